#!/usr/bin/env bash
# Build local stand-ins for the official base images that the Dockerfile and docker-compose.yml
# name by default (python:3.10-slim, postgres:15, redis:7, nginx:1.25), for machines that can reach
# Debian's package mirror and PyPI but no container registry.
#
#   bash scripts/local_base_images.sh          # builds what is missing, then writes the env file
#   bash scripts/local_base_images.sh --force  # rebuilds everything
#
# What it makes (tags under cj-local/, each labelled with what it stands in for):
#   cj-local/debian:bookworm-slim  debootstrap (minbase) of Debian 12 from this machine's Debian
#                                  mirror (/etc/apt/sources.list*), imported with `docker import`
#   cj-local/python:3.10-slim      that + this machine's CPython 3.10 copied to /usr/local (the
#                                  layout of python:3.10-slim), pip from ensurepip
#   cj-local/postgres:15           PostgreSQL 15 from Debian, with an entrypoint that does what the
#                                  official image's does for POSTGRES_USER/_PASSWORD/_DB
#   cj-local/redis:7               Redis 7.0 from Debian
#   cj-local/nginx:1.22            nginx 1.22 from Debian (Debian 12 has no 1.25)
# and writes build/docker/local-images.env (CJ_PYTHON_IMAGE=..., CJ_POSTGRES_IMAGE=..., ...), which
# `make test-docker` reads so the Dockerfile (build arg PYTHON_IMAGE) and docker-compose.yml
# (CJ_*_IMAGE) use the stand-ins instead of the official images.
#
# Python: Debian 12 ships Python 3.11 only, and Rasa 3.6 needs 3.8 to 3.10; no CPython source can be
# downloaded here. So the stand-in copies a CPython 3.10 built on this machine (pyenv; found as
# python3.10 on PATH or under $PYENV_ROOT/versions/3.10*) into /usr/local, without its
# site-packages or test suites. It was built against Debian 12's libraries, which the image installs.
# Set CJ_STANDIN_PYTHON=/path/to/python3.10 to choose another one.
set -euo pipefail
cd "$(dirname "$0")/.."

FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1
DOCKER="${DOCKER:-docker}"
OUT_ENV=build/docker/local-images.env
DEBIAN_TAG=cj-local/debian:bookworm-slim
PYTHON_TAG=cj-local/python:3.10-slim
POSTGRES_TAG=cj-local/postgres:15
REDIS_TAG=cj-local/redis:7
NGINX_TAG=cj-local/nginx:1.22

say() { echo "[base-images] $*"; }
have_image() { [ "$FORCE" = 0 ] && "$DOCKER" image inspect "$1" >/dev/null 2>&1; }
sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

"$DOCKER" info >/dev/null 2>&1 || { echo "[base-images] the Docker daemon does not answer (start dockerd first)" >&2; exit 1; }

# ---------------------------------------------------------------- Debian 12 rootfs
debian_mirror() {
    # The first Debian (not security) mirror this machine's apt uses; deb822 .sources or one-line form.
    local uri
    uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {for (i = 2; i <= NF; i++) print $i}' \
          | grep -E '/debian/?$' | head -n1 || true)
    [ -n "$uri" ] || uri=$(grep -hE '^deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^(http|https|file):/) {print $i; break}}' \
          | grep -E '/debian/?$' | head -n1 || true)
    echo "${uri:-http://deb.debian.org/debian}"
}

build_debian() {
    if have_image "$DEBIAN_TAG"; then say "$DEBIAN_TAG exists"; return; fi
    command -v debootstrap >/dev/null || { say "installing debootstrap"; sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap; }
    local mirror rootfs started
    mirror=$(debian_mirror)
    rootfs=$(mktemp -d /var/tmp/cj-bookworm.XXXXXX)
    started=$(date +%s)
    say "debootstrap --variant=minbase bookworm from $mirror (a few minutes) ..."
    sudo_ debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 \
        || { tail -20 "$rootfs.log" >&2; exit 1; }
    # What debian:bookworm-slim does: no docs or man pages from later installs, apt caches cleaned,
    # no services started by package scripts, and the same sources (main + updates + security).
    sudo_ tee "$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" >/dev/null <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
    sudo_ tee "$rootfs/etc/apt/apt.conf.d/docker-clean" >/dev/null <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
APT::Install-Recommends "false";
CFG
    printf '#!/bin/sh\nexit 101\n' | sudo_ tee "$rootfs/usr/sbin/policy-rc.d" >/dev/null
    sudo_ chmod 755 "$rootfs/usr/sbin/policy-rc.d"
    sudo_ rm -f "$rootfs/etc/apt/sources.list"
    sudo_ tee "$rootfs/etc/apt/sources.list.d/debian.sources" >/dev/null <<SRC
Types: deb
URIs: ${mirror}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian*}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    sudo_ rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/usr/share/doc/* \
        "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log "$rootfs"/tmp/* "$rootfs"/root/.bash_history
    say "docker import -> $DEBIAN_TAG"
    sudo_ tar -C "$rootfs" --numeric-owner -c . | "$DOCKER" import \
        --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' \
        --message "debootstrap minbase bookworm from $mirror (stand-in for debian:bookworm-slim)" - "$DEBIAN_TAG" >/dev/null
    sudo_ rm -rf "$rootfs" "$rootfs.log"
    say "$DEBIAN_TAG built in $(( $(date +%s) - started )) s"
}

# ---------------------------------------------------------------- the stand-ins built on it
find_python310() {
    local candidate
    for candidate in "${CJ_STANDIN_PYTHON:-}" "$(command -v python3.10 || true)" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10; do
        [ -n "$candidate" ] && [ -x "$candidate" ] || continue
        "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 || continue
        echo "$candidate"; return 0
    done
    return 1
}

build_python() {
    if have_image "$PYTHON_TAG"; then say "$PYTHON_TAG exists"; return; fi
    local python prefix version context started
    python=$(find_python310) || { echo "[base-images] no CPython 3.10 on this machine (set CJ_STANDIN_PYTHON)" >&2; exit 1; }
    prefix=$("$python" -c 'import sys; print(sys.base_prefix)')
    version=$("$python" -c 'import platform; print(platform.python_version())')
    say "CPython $version from $prefix -> /usr/local in $PYTHON_TAG"
    context=$(mktemp -d /var/tmp/cj-python-context.XXXXXX)
    mkdir "$context/python"
    # Like python:3.10-slim: no test suites, no static library, no byte code; and none of this
    # machine's site-packages (pip comes from ensurepip in the image).
    tar -C "$prefix" -c --exclude='./lib/python3.10/site-packages/*' --exclude='test' --exclude='tests' \
        --exclude='idle_test' --exclude='idlelib' --exclude='tkinter' --exclude='turtledemo' --exclude='_tkinter*' --exclude='__pycache__' --exclude='*.pyc' --exclude='libpython*.a' \
        --exclude='./share/man' . | tar -C "$context/python" -x
    cp deploy/docker/base/python.Dockerfile "$context/Dockerfile"
    started=$(date +%s)
    "$DOCKER" build -q -t "$PYTHON_TAG" --build-arg DEBIAN_IMAGE="$DEBIAN_TAG" --build-arg PYTHON_VERSION="$version" "$context" >/dev/null
    rm -rf "$context"
    say "$PYTHON_TAG built in $(( $(date +%s) - started )) s"
}

build_service() {  # tag, Dockerfile under deploy/docker/base/
    if have_image "$1"; then say "$1 exists"; return; fi
    local started
    started=$(date +%s)
    "$DOCKER" build -q -t "$1" --build-arg DEBIAN_IMAGE="$DEBIAN_TAG" -f "deploy/docker/base/$2" deploy/docker/base >/dev/null
    say "$1 built in $(( $(date +%s) - started )) s"
}

build_debian
build_python
build_service "$POSTGRES_TAG" postgres.Dockerfile
build_service "$REDIS_TAG" redis.Dockerfile
build_service "$NGINX_TAG" nginx.Dockerfile

mkdir -p "$(dirname "$OUT_ENV")"
cat >"$OUT_ENV" <<ENV
# Written by scripts/local_base_images.sh: local stand-ins for the official images.
CJ_PYTHON_IMAGE=$PYTHON_TAG
CJ_POSTGRES_IMAGE=$POSTGRES_TAG
CJ_REDIS_IMAGE=$REDIS_TAG
CJ_NGINX_IMAGE=$NGINX_TAG
ENV
say "wrote $OUT_ENV"
"$DOCKER" image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^cj-local/' | sed 's/^/  /' || true
