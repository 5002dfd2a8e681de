# Stands in for composer:X: only /usr/bin/composer is used (COPY --from=composer). It is Debian's
# composer script, which needs the libraries the php stand-in also carries (see php.Dockerfile).
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates composer git unzip \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && composer --version
CMD ["composer"]
