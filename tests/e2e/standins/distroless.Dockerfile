# Stands in for gcr.io/distroless/{static,cc}-debian12:nonroot: no shell, no package manager; only
# passwd/group with `nonroot` (65532), CA certificates, /tmp and a home, plus (cc) glibc, libgcc
# and OpenSSL. VARIANT=static|cc.
ARG BASE
FROM ${BASE} AS files
ARG VARIANT
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3 \
 && rm -rf /var/lib/apt/lists/*
RUN set -e; o=/out; \
    mkdir -p $o/etc/ssl/certs $o/tmp $o/home/nonroot $o/root $o/usr/lib/x86_64-linux-gnu $o/usr/lib64; \
    chmod 1777 $o/tmp; chmod 700 $o/root; chown 65532:65532 $o/home/nonroot; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > $o/etc/passwd; \
    printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > $o/etc/group; \
    printf 'hosts: files dns\n' > $o/etc/nsswitch.conf; \
    cp /etc/ssl/certs/ca-certificates.crt $o/etc/ssl/certs/; \
    cp -a /etc/os-release $o/etc/ 2>/dev/null || cp /usr/lib/os-release $o/etc/os-release; \
    ln -s usr/lib $o/lib; ln -s usr/lib64 $o/lib64; \
    if [ "$VARIANT" = cc ]; then \
      for l in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 \
               libresolv.so.2 libnss_dns.so.2 libnss_files.so.2 libgcc_s.so.1 libssl.so.3 libcrypto.so.3; do \
        cp -L /usr/lib/x86_64-linux-gnu/$l $o/usr/lib/x86_64-linux-gnu/; \
      done; \
      ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 $o/usr/lib64/ld-linux-x86-64.so.2; \
    fi
FROM scratch
COPY --from=files /out/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 65532
WORKDIR /home/nonroot
