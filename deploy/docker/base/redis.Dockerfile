# Stand-in for redis:7, built by scripts/local_base_images.sh: Redis 7.0 from Debian 12.
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
LABEL org.opencontainers.image.description="Local stand-in for redis:7 (Debian 12's redis-server 7.0)"
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
WORKDIR /data
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no"]
