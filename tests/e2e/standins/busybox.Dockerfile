# Stands in for busybox:X-musl: a statically linked busybox at /bin/busybox (Debian's
# busybox-static, linked against glibc rather than musl) with its applets linked into /bin.
ARG BASE
FROM ${BASE} AS files
RUN apt-get update \
 && apt-get install -y --no-install-recommends busybox-static \
 && rm -rf /var/lib/apt/lists/*
FROM scratch
COPY --from=files /bin/busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["sh"]
