# Stands in for oven/bun:X (FLAVOUR=full), oven/bun:X-slim (slim) and oven/bun:X-distroless
# (distroless): Bun's Linux build from its npm package (the version the tag names, or the newest one
# it admits) at /usr/local/bin/bun with bunx next to it, user `bun` = 1000 (group 1000), home
# /home/bun and WORKDIR /home/bun/app as in the official images. full and slim: Debian with a shell
# (full adds ca-certificates and curl); distroless:
# no shell, glibc, CA certificates, user bun.
ARG BASE
ARG FLAVOUR=full
FROM ${BASE} AS debian
RUN cat /usr/local/share/ca-certificates/*.crt > /usr/local/share/e2e-extra-ca.pem \
 && groupadd --gid 1000 bun \
 && useradd --uid 1000 --gid bun --shell /bin/sh --create-home bun \
 && mkdir -p /home/bun/app && chown bun:bun /home/bun/app
COPY bun /usr/local/bin/bun
RUN ln -s bun /usr/local/bin/bunx && bun --version
# Bun trusts its own CA list plus the test network's gateway.
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/e2e-extra-ca.pem \
    BUN_RUNTIME_TRANSPILER_CACHE_PATH=0 \
    BUN_INSTALL_BIN=/usr/local/bin
WORKDIR /home/bun/app
CMD ["/usr/local/bin/bun"]

FROM debian AS slim

FROM debian AS full
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin

FROM debian AS files
RUN set -e; o=/out; mkdir -p $o/etc/ssl/certs $o/tmp $o/usr/lib/x86_64-linux-gnu $o/usr/lib64 $o/usr/local/bin $o/home/bun/app $o/usr/local/share; \
    chmod 1777 $o/tmp; chown -R 1000:1000 $o/home/bun; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\nbun:x:1000:1000::/home/bun:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > $o/etc/passwd; \
    printf 'root:x:0:\nbun:x:1000:\nnonroot:x:65532:\n' > $o/etc/group; \
    cp /usr/local/share/e2e-extra-ca.pem $o/usr/local/share/; cp -L /etc/os-release $o/etc/os-release; \
    cp -a /usr/local/bin/bun /usr/local/bin/bunx $o/usr/local/bin/; \
    ln -s usr/lib $o/lib; ln -s usr/lib64 $o/lib64; \
    for l in $(ldd /usr/local/bin/bun | awk '$2 == "=>" && $3 ~ /^\// { print $3 }') /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 \
             /usr/lib/x86_64-linux-gnu/libnss_dns.so.2 /usr/lib/x86_64-linux-gnu/libnss_files.so.2 /usr/lib/x86_64-linux-gnu/libresolv.so.2; do \
      cp -L "$l" $o/usr/lib/x86_64-linux-gnu/; \
    done; \
    ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 $o/usr/lib64/ld-linux-x86-64.so.2

FROM scratch AS distroless
COPY --from=files /out/ /
ENV PATH=/usr/local/bin:/usr/bin:/bin \
    NODE_EXTRA_CA_CERTS=/usr/local/share/e2e-extra-ca.pem \
    BUN_RUNTIME_TRANSPILER_CACHE_PATH=0
USER 1000
WORKDIR /home/bun/app
ENTRYPOINT ["/usr/local/bin/bun"]

FROM ${FLAVOUR}
