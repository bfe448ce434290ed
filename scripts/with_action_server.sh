#!/usr/bin/env bash
# Run a command with the action server running beside it (on 127.0.0.1 only, with only the
# environment it needs: the CJ_* settings but no store URLs), and stop the server afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${CJ_ACTIONS_PORT:-5055}"
mkdir -p build
settings=()
while IFS= read -r -d '' entry; do
  case "$entry" in
    CJ_DATABASE_URL=*|CJ_REDIS_URL=*) ;;
    CJ_*) settings+=("$entry") ;;
  esac
done < <(env -0)
env -i PATH="$PATH" HOME="${HOME:-/tmp}" LANG="${LANG:-C.UTF-8}" TF_CPP_MIN_LOG_LEVEL=2 \
    SANIC_HOST=127.0.0.1 "${settings[@]}" \
    .venv/bin/python -m rasa_sdk --actions actions --port "$PORT" > build/action-server.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "The action server did not start:" >&2; cat build/action-server.log >&2; exit 1; fi
  sleep 0.5
done
"$@"
