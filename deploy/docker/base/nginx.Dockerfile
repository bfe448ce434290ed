# Stand-in for nginx:1.25, built by scripts/local_base_images.sh: nginx 1.22 from Debian 12 (Debian 12
# has no 1.25; docker-compose.yml uses nothing newer than 1.19), logs to the container's output.
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
LABEL org.opencontainers.image.description="Local stand-in for nginx:1.25 (Debian 12's nginx 1.22)"
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/* \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
