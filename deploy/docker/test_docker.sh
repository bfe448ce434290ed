#!/usr/bin/env bash
# `make test-docker`: build the images, bring docker-compose.yml up on loopback, test it
# (tests/docker/test_compose.py), bring it down. Not part of `make test`: it takes several minutes.
#
#   DOCKER_BASE=local     (default) no registry needed: scripts/local_base_images.sh builds stand-ins
#                         for python:3.10-slim, postgres:15, redis:7 and nginx:1.25 from Debian
#   DOCKER_BASE=official  use the official images (pulled by Docker as usual)
#
# Installs Debian's docker.io and docker-compose when docker is missing, and starts dockerd (as
# root, without systemd) when no daemon answers; a daemon it started is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PY:-.venv/bin/python}"
DOCKER_BASE="${DOCKER_BASE:-local}"
started_dockerd=""

say() { echo "[test-docker] $*"; }
sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

model="${CJ_TEST_DOCKER_MODEL:-models/assistant.tar.gz}"
[ -f "$model" ] || { echo "[test-docker] no model at $model: run 'make train' first" >&2; exit 1; }

if ! command -v docker >/dev/null || { ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; }; then
    say "installing docker.io and docker-compose from Debian"
    sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io docker-compose \
        || { sudo_ apt-get update && sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io docker-compose; }
fi

stop_dockerd() {
    if [ -n "$started_dockerd" ]; then
        say "stopping the dockerd this run started (pid $started_dockerd)"
        sudo_ kill "$started_dockerd" 2>/dev/null || true
        for _ in $(seq 30); do kill -0 "$started_dockerd" 2>/dev/null || break; sleep 1; done
    fi
}
trap stop_dockerd EXIT

if ! docker info >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || { echo "[test-docker] no Docker daemon answers; start it (or run as root)" >&2; exit 1; }
    mkdir -p build/docker
    say "starting dockerd (log: build/docker/dockerd.log)"
    setsid dockerd >build/docker/dockerd.log 2>&1 < /dev/null &
    started_dockerd=$!
    for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { tail -20 build/docker/dockerd.log >&2; echo "[test-docker] dockerd did not start" >&2; exit 1; }
fi

if [ "$DOCKER_BASE" = local ]; then
    bash scripts/local_base_images.sh
    set -a; . build/docker/local-images.env; set +a
fi
PYTHON_IMAGE="${CJ_PYTHON_IMAGE:-python:3.10-slim}" bash deploy/docker/build.sh

say "docker-compose.yml up, tests, down (a few minutes) ..."
CJ_DOCKER_TESTS=1 "$PY" -m pytest tests/docker -s -p no:cacheprovider
"$PY" - <<'PYEOF'
import json, pathlib
r = json.loads(pathlib.Path("build/docker/results.json").read_text())
b = r.get("build", {})
print(f"[test-docker] images: rasa {b.get('size_mb', {}).get('rasa')} MB, actions {b.get('size_mb', {}).get('actions')} MB; "
      f"build {b.get('build_s')} s; all services healthy {r.get('time_to_healthy_s')} s after `up -d`")
c = r.get("conversation", {})
print(f"[test-docker] killed {r.get('killed')}: " + "; ".join(f"{t['message']!r} -> {t['answered_by']} ({t['ms']} ms)" for t in c.get("turns", [])))
print(f"[test-docker] recovery: {r.get('recovery')}")
PYEOF
