# Stands in for nginxinc/nginx-unprivileged:X-alpine(-slim): Debian's nginx laid out like the
# unprivileged image. User `nginx` = 101 (group 101), listens on 8080, configuration in
# /etc/nginx/nginx.conf + /etc/nginx/conf.d/default.conf (conf.d writable by 101), pages in
# /usr/share/nginx/html, the PID file and temporary files under /tmp, logs to stdout/stderr,
# `wget` is busybox's (as on Alpine) and /bin/sh a POSIX shell. No /docker-entrypoint.d scripts.
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx busybox \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && ln -s /bin/busybox /usr/local/bin/wget \
 && groupadd --system --gid 101 nginx \
 && useradd --system --uid 101 --gid nginx --no-create-home --home-dir /nonexistent --shell /sbin/nologin nginx \
 && rm -rf /etc/nginx/sites-enabled /etc/nginx/sites-available /etc/nginx/conf.d/* /var/www/html \
 && mkdir -p /usr/share/nginx/html /var/cache/nginx /var/log/nginx \
 && printf '%s\n' \
      'worker_processes auto;' \
      'error_log /var/log/nginx/error.log notice;' \
      'pid /tmp/nginx.pid;' \
      'include /etc/nginx/modules-enabled/*.conf;' \
      'events { worker_connections 1024; }' \
      'http {' \
      '    proxy_temp_path /tmp/proxy_temp;' \
      '    client_body_temp_path /tmp/client_temp;' \
      '    fastcgi_temp_path /tmp/fastcgi_temp;' \
      '    uwsgi_temp_path /tmp/uwsgi_temp;' \
      '    scgi_temp_path /tmp/scgi_temp;' \
      '    include /etc/nginx/mime.types;' \
      '    default_type application/octet-stream;' \
      '    access_log /var/log/nginx/access.log;' \
      '    sendfile on;' \
      '    keepalive_timeout 65;' \
      '    include /etc/nginx/conf.d/*.conf;' \
      '}' > /etc/nginx/nginx.conf \
 && printf '%s\n' \
      'server {' \
      '    listen 8080;' \
      '    listen [::]:8080;' \
      '    server_name localhost;' \
      '    location / {' \
      '        root /usr/share/nginx/html;' \
      '        index index.html index.htm;' \
      '    }' \
      '    error_page 500 502 503 504 /50x.html;' \
      '    location = /50x.html { root /usr/share/nginx/html; }' \
      '}' > /etc/nginx/conf.d/default.conf \
 && echo '<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>' > /usr/share/nginx/html/index.html \
 && echo '<!DOCTYPE html><html><body><h1>An error occurred.</h1></body></html>' > /usr/share/nginx/html/50x.html \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log \
 && chown -R 101:0 /var/cache/nginx /etc/nginx/conf.d /var/log/nginx \
 && chmod -R g+w /var/cache/nginx /etc/nginx/conf.d \
 && nginx -t && rm -f /tmp/nginx.pid && chmod 1777 /tmp
EXPOSE 8080
STOPSIGNAL SIGQUIT
USER 101
CMD ["nginx", "-g", "daemon off;"]
