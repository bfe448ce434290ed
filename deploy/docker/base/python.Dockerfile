# Stand-in for python:3.10-slim, built by scripts/local_base_images.sh on a machine without a registry:
# the Debian 12 stand-in plus a CPython 3.10 built on Debian 12, copied into /usr/local (the build
# context's python/ folder), with the runtime libraries its extension modules link against.
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
ARG PYTHON_VERSION=3.10
LABEL org.opencontainers.image.description="Local stand-in for python:3.10-slim (CPython ${PYTHON_VERSION} on Debian 12)"
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates netbase tzdata libssl3 libsqlite3-0 libffi8 \
        libuuid1 libbz2-1.0 liblzma5 libreadline8 libncursesw6 libtinfo6 zlib1g libexpat1 libnsl2 libtirpc3 libcrypt1 \
 && rm -rf /var/lib/apt/lists/*
COPY python/ /usr/local/
ENV PATH=/usr/local/bin:$PATH LANG=C.UTF-8 PYTHON_VERSION=${PYTHON_VERSION}
RUN ldconfig \
 && python3.10 -m ensurepip --default-pip >/dev/null \
 && rm -rf /root/.cache \
 && find /usr/local -depth -name __pycache__ -type d -exec rm -rf {} + \
 && python3 -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib, readline, uuid, decimal, hashlib, venv; print("ok", ssl.OPENSSL_VERSION)' \
 && python --version && pip --version
CMD ["python3"]
