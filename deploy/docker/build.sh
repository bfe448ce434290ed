#!/usr/bin/env bash
# Build the images of the Dockerfile with BuildKit: the Rasa server (target rasa) and the action
# server (target actions). Used by `make docker-build` and `make test-docker`.
#
#   IMAGE          community-justice-assistant:latest
#   ACTIONS_IMAGE  community-justice-assistant-actions:latest
#   PYTHON_IMAGE   python:3.10-slim (scripts/local_base_images.sh makes a local stand-in)
#   TRAIN_MODEL    0 (mount models/ at run time); 1 trains the model into the image
#   PIP_CA_BUNDLE  a CA bundle for pip behind a TLS-inspecting proxy, passed as a build secret
#                  (never stored in a layer); default: the one this machine's pip is configured with
#
# Writes build/docker/build.json: seconds per target and image sizes.
set -euo pipefail
cd "$(dirname "$0")/../.."

IMAGE="${IMAGE:-community-justice-assistant:latest}"
ACTIONS_IMAGE="${ACTIONS_IMAGE:-community-justice-assistant-actions:latest}"
PYTHON_IMAGE="${PYTHON_IMAGE:-python:3.10-slim}"
TRAIN_MODEL="${TRAIN_MODEL:-0}"

# A docker CLI that builds with BuildKit: one with buildx (Docker 23+), or an older one (20.10) whose
# built-in BuildKit DOCKER_BUILDKIT=1 turns on. A newer CLI without buildx only has the legacy builder.
build=()
for docker in ${DOCKER:-} $(type -ap docker); do
    if "$docker" buildx version >/dev/null 2>&1; then build=("$docker" buildx build --load); break; fi
    major=$("$docker" version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1 || true)
    if [[ "$major" =~ ^[0-9]+$ ]] && [ "$major" -lt 23 ]; then build=(env DOCKER_BUILDKIT=1 "$docker" build); break; fi
done
[ "${#build[@]}" -gt 0 ] || { echo "[docker-build] no docker CLI with BuildKit found (install buildx)" >&2; exit 1; }

secret=()
ca="${PIP_CA_BUNDLE:-${PIP_CERT:-$(python3 -m pip config get global.cert 2>/dev/null || true)}}"
if [ -n "$ca" ] && [ -s "$ca" ]; then secret=(--secret "id=pip_ca,src=$ca"); echo "[docker-build] pip trusts the CA bundle $ca (build secret)"; fi

mkdir -p build/docker
declare -A seconds
for target in actions rasa; do
    tag="$IMAGE"; [ "$target" = actions ] && tag="$ACTIONS_IMAGE"
    echo "[docker-build] $target -> $tag (base $PYTHON_IMAGE) ..."
    started=$(date +%s)
    "${build[@]}" --target "$target" -t "$tag" --build-arg PYTHON_IMAGE="$PYTHON_IMAGE" \
        --build-arg TRAIN_MODEL="$TRAIN_MODEL" "${secret[@]}" --progress=plain . > "build/docker/build-$target.log" 2>&1 \
        || { tail -40 "build/docker/build-$target.log" >&2; echo "[docker-build] $target failed: build/docker/build-$target.log" >&2
             if grep -qE "failed to do request|pull access denied|manifest unknown|no such host" "build/docker/build-$target.log"; then
                 echo "[docker-build] the base image $PYTHON_IMAGE could not be fetched; with no registry, run 'make docker-base-images' first" >&2
             fi
             exit 1; }
    seconds[$target]=$(( $(date +%s) - started ))
    echo "[docker-build] $target built in ${seconds[$target]} s"
done

size() { docker image inspect --format '{{.Size}}' "$1"; }
cat > build/docker/build.json <<JSON
{"image": "$IMAGE", "actions_image": "$ACTIONS_IMAGE", "python_image": "$PYTHON_IMAGE", "train_model": "$TRAIN_MODEL",
 "build_s": {"rasa": ${seconds[rasa]}, "actions": ${seconds[actions]}},
 "size_mb": {"rasa": $(( $(size "$IMAGE") / 1000000 )), "actions": $(( $(size "$ACTIONS_IMAGE") / 1000000 ))}}
JSON
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "^(${IMAGE%%:*}|${ACTIONS_IMAGE%%:*}):" || true
