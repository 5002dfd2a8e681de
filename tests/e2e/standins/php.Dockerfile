# Stands in for php:X-apache-<debian>: Debian's Apache with mod_php (prefork) laid out the way the
# official image is, for what generated Dockerfiles rely on: PHP_INI_DIR=/usr/local/etc/php with
# php.ini-production and a conf.d/ that Apache's PHP and the CLI both read, OPcache enabled,
# docker-php-entrypoint and apache2-foreground, Apache's run, lock and log directories writable by
# any user (logs to stdout/stderr), AllowOverride All under /var/www, /var/www/html world-writable,
# STOPSIGNAL SIGWINCH. Debian's composer package is installed too: the composer stand-in's
# /usr/bin/composer is Debian's script, which loads its libraries from /usr/share/php (the official
# php image has no Composer; the official composer image ships a self-contained phar).
ARG BASE
FROM ${BASE}
ENV PHP_INI_DIR=/usr/local/etc/php \
    APACHE_CONFDIR=/etc/apache2 \
    APACHE_ENVVARS=/etc/apache2/envvars
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates apache2 libapache2-mod-php php-cli php-opcache composer \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && v=$(php -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;') \
 && mkdir -p "$PHP_INI_DIR" \
 && cp "/usr/lib/php/$v/php.ini-production" "/usr/lib/php/$v/php.ini-development" "$PHP_INI_DIR/" \
 && mv "/etc/php/$v/apache2/conf.d" "$PHP_INI_DIR/conf.d" \
 && rm -rf "/etc/php/$v/cli/conf.d" \
 && for sapi in apache2 cli; do \
      ln -s "$PHP_INI_DIR/conf.d" "/etc/php/$v/$sapi/conf.d"; \
      ln -sf "$PHP_INI_DIR/php.ini" "/etc/php/$v/$sapi/php.ini"; \
    done \
 && . "$APACHE_ENVVARS" \
 && for dir in "$APACHE_LOCK_DIR" "$APACHE_RUN_DIR" "$APACHE_LOG_DIR"; do \
      rm -rf "$dir"; mkdir -p "$dir"; chown www-data:www-data "$dir"; chmod 1777 "$dir"; \
    done \
 && ln -sfT /dev/stderr "$APACHE_LOG_DIR/error.log" \
 && ln -sfT /dev/stdout "$APACHE_LOG_DIR/access.log" \
 && ln -sfT /dev/stdout "$APACHE_LOG_DIR/other_vhosts_access.log" \
 && rm -rf /var/www/html && mkdir -p /var/www/html && chown www-data:www-data /var/www/html && chmod 1777 /var/www/html \
 && printf '%s\n' 'DirectoryIndex disabled' 'DirectoryIndex index.php index.html' \
      '<Directory /var/www/>' '  Options -Indexes' '  AllowOverride All' '</Directory>' \
      > /etc/apache2/conf-available/docker-php.conf \
 && a2enconf docker-php \
 && printf '%s\n' '#!/bin/sh' 'set -e' 'if [ "${1#-}" != "$1" ]; then set -- apache2-foreground "$@"; fi' 'exec "$@"' \
      > /usr/local/bin/docker-php-entrypoint \
 && printf '%s\n' '#!/bin/sh' 'set -e' '. "$APACHE_ENVVARS"' 'rm -f "$APACHE_PID_FILE"' 'exec apache2 -DFOREGROUND "$@"' \
      > /usr/local/bin/apache2-foreground \
 && chmod +x /usr/local/bin/docker-php-entrypoint /usr/local/bin/apache2-foreground \
 && php -m | grep -qi opcache \
 && apache2ctl -M 2>/dev/null | grep -q php
ENTRYPOINT ["docker-php-entrypoint"]
STOPSIGNAL SIGWINCH
WORKDIR /var/www/html
EXPOSE 80
CMD ["apache2-foreground"]
