#!/bin/sh
# nginx for docker-compose.yml: render deploy/nginx.conf.template (mounted read-only at
# /etc/cj/nginx.conf.template) the way deploy/topology.py does for deploy/scale_out.sh, then run
# nginx in the foreground. Logs go to the container's output (docker compose logs nginx).
#   CJ_NGINX_LISTEN     address:port to listen on inside the container (0.0.0.0:8080)
#   CJ_RASA_UPSTREAMS   the Rasa servers, host:port separated by spaces
set -eu
template=/etc/cj/nginx.conf.template
root=/tmp/cj-nginx
prefix="$root/prefix"
listen="${CJ_NGINX_LISTEN:-0.0.0.0:8080}"
upstreams="${CJ_RASA_UPSTREAMS:?set CJ_RASA_UPSTREAMS to the Rasa servers, e.g. rasa-a:5005 rasa-b:5005}"

mkdir -p "$prefix/logs"
for sub in body proxy fastcgi uwsgi scgi; do
    mkdir -p "$prefix/tmp/$sub"
    chmod 777 "$prefix/tmp/$sub"   # the workers run as an unprivileged user
done
ln -sf /dev/stdout "$prefix/logs/access.log"
ln -sf /dev/stderr "$prefix/logs/error.log"

# One failed connection takes a server out for 30 s. A container that is stopped or killed takes its
# address with it, so connecting to it fails only when the connect times out: with more allowed
# failures, every request sent its way in the meantime would wait that long.
servers=""
for upstream in $upstreams; do
    servers="$servers server $upstream max_fails=1 fail_timeout=30s;"
done
sed -e "s|@PREFIX@|$prefix|g" -e "s|@LISTEN@|$listen|g" -e "s|@RASA_SERVERS@|$servers|g" \
    "$template" > "$root/nginx.conf"

nginx -t -q -p "$prefix" -c "$root/nginx.conf" -e stderr
exec nginx -p "$prefix" -c "$root/nginx.conf" -e stderr -g 'daemon off;'
