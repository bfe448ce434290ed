#!/usr/bin/env bash
# Start, stop or check the scale-out topology on this machine's loopback:
#   PostgreSQL 127.0.0.1:55432 (shared tracker store), Redis 127.0.0.1:56379 (lock store),
#   action server :6055, Rasa servers :6005 and :6006, nginx 127.0.0.1:8080 in front.
#
#   bash deploy/scale_out.sh start    # idempotent: starts only what is not running
#   bash deploy/scale_out.sh status
#   bash deploy/scale_out.sh stop
#   bash deploy/scale_out.sh clean    # stop, then delete the PostgreSQL cluster and nginx's files
#
# Installs postgresql, redis-server and nginx from Debian if they are missing. PIDs and logs are
# under build/scale/; the PostgreSQL cluster and nginx's files are in a folder their service users
# can enter even when the checkout is in a home directory (CJ_SCALE_RUNTIME_DIR, by default under
# /var/tmp; build/scale/postgres and build/scale/nginx link to it). The processes themselves are
# started by deploy/topology.py, which takes the command lines and endpoints from bot/tools/serve.py.
set -euo pipefail
cd "$(dirname "$0")/.."

command="${1:-status}"
PY="${PY:-.venv/bin/python}"

install_packages() {
    local missing=()
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    [ "${#missing[@]}" -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "[scale] installing ${missing[*]} from Debian"
    # Debian starts the packaged services on install where it can; this topology does not use them
    # (its own PostgreSQL, Redis and nginx run on other ports from build/scale/).
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" \
        || { $sudo apt-get update && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"; }
}

export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export RASA_TELEMETRY_ENABLED=false

case "$command" in
    start)
        install_packages
        [ -f models/assistant.tar.gz ] || { echo "[scale] no model: run 'make train' first" >&2; exit 1; }
        exec "$PY" -m deploy.topology start
        ;;
    stop|status|clean)
        exec "$PY" -m deploy.topology "$command"
        ;;
    *)
        echo "usage: $0 start|stop|status|clean" >&2
        exit 2
        ;;
esac
