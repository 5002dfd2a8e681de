# Stands in for gcr.io/distroless/VARIANT-debian12|13[:nonroot|:debug-nonroot|:latest|:debug], from the
# packages of the same Debian release (SUITE). No shell and no package manager (the debug tags add a
# static busybox under /busybox, as the official ones do); passwd/group with `nonroot` (65532), CA
# certificates, /tmp and a home. VARIANT:
#   static    nothing else
#   base      + glibc, OpenSSL's libraries
#   cc        + libgcc and libstdc++
#   python3   + Debian's python3 (/usr/bin/python3, no pip), ENTRYPOINT python3
#   nodejsNN  + the host's node at /nodejs/bin/node (tag's major not honoured), ENTRYPOINT node
#   javaNN    + Debian's openjdk-NN-jre-headless, /usr/bin/java, ENTRYPOINT ["/usr/bin/java", "-jar"]
# Shared libraries are what the variant's programs link (their ldd closure) plus glibc's NSS modules.
ARG BASE
ARG ENTRY=static
FROM ${BASE} AS files
ARG VARIANT
ARG DEBUG
COPY . /payload/
RUN set -e; pk="ca-certificates"; \
    case $VARIANT in \
      static) ;; \
      base) pk="$pk openssl" ;; \
      cc) pk="$pk openssl libstdc++6" ;; \
      python3) pk="$pk openssl python3" ;; \
      nodejs*) pk="$pk openssl libstdc++6" ;; \
      java*) pk="$pk openssl openjdk-${VARIANT#java}-jre-headless"; mkdir -p /usr/share/man/man1 ;; \
      *) echo "unknown distroless variant $VARIANT"; exit 1 ;; \
    esac; \
    [ -z "$DEBUG" ] || pk="$pk busybox-static"; \
    apt-get update; apt-get install -y --no-install-recommends $pk; rm -rf /var/lib/apt/lists/*
RUN set -e; o=/out; \
    mkdir -p $o/etc/ssl/certs $o/tmp $o/home/nonroot $o/root $o/usr/bin $o/usr/lib/x86_64-linux-gnu $o/usr/lib64; \
    chmod 1777 $o/tmp; chmod 700 $o/root; chown 65532:65532 $o/home/nonroot; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > $o/etc/passwd; \
    printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > $o/etc/group; \
    printf 'hosts: files dns\n' > $o/etc/nsswitch.conf; \
    cp /etc/ssl/certs/ca-certificates.crt $o/etc/ssl/certs/; \
    cp -L /etc/os-release $o/etc/os-release; \
    ln -s usr/bin $o/bin; ln -s usr/lib $o/lib; ln -s usr/lib64 $o/lib64; \
    elves=""; \
    case $VARIANT in \
      static) ;; \
      python3) \
        py=$(readlink -f /usr/bin/python3); cp -a "$py" $o/usr/bin/; ln -s "${py##*/}" $o/usr/bin/python3; \
        cp -a "/usr/lib/${py##*/}" $o/usr/lib/; \
        elves="$py $(find "/usr/lib/${py##*/}" -name '*.so')" ;; \
      nodejs*) \
        mkdir -p $o/nodejs/bin; cp /payload/node $o/nodejs/bin/node; elves=/payload/node ;; \
      java*) \
        jvm=/usr/lib/jvm/java-${VARIANT#java}-openjdk-amd64; mkdir -p $o/usr/lib/jvm $o/etc/ssl/certs/java; \
        cp -rL "$jvm" $o/usr/lib/jvm/; ln -s "$jvm/bin/java" $o/usr/bin/java; \
        cp -L /etc/ssl/certs/java/cacerts $o/etc/ssl/certs/java/; \
        elves="$(find "$jvm" -name '*.so' -o -path '*/bin/*' -type f)" ;; \
    esac; \
    if [ "$VARIANT" != static ]; then \
      for l in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 \
               libresolv.so.2 libnss_dns.so.2 libnss_files.so.2 libssl.so.3 libcrypto.so.3; do \
        cp -L /usr/lib/x86_64-linux-gnu/$l $o/usr/lib/x86_64-linux-gnu/; \
      done; \
      case $VARIANT in base) ;; *) cp -L /usr/lib/x86_64-linux-gnu/libgcc_s.so.1 /usr/lib/x86_64-linux-gnu/libstdc++.so.6 $o/usr/lib/x86_64-linux-gnu/ ;; esac; \
      ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 $o/usr/lib64/ld-linux-x86-64.so.2; \
      for e in $elves; do \
        ldd "$e" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | while read -r l; do \
          t=$o/usr/lib/x86_64-linux-gnu/${l##*/}; [ -e "$t" ] || cp -L "$l" "$t"; \
        done; \
      done; \
    fi; \
    if [ -n "$DEBUG" ]; then \
      mkdir -p $o/busybox; cp /bin/busybox $o/busybox/busybox; \
      for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$o/busybox/$a"; done; \
    fi
FROM scratch AS plain
ARG USER=65532
COPY --from=files /out/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/busybox \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER ${USER}
WORKDIR /home/nonroot
# The entrypoint of each family (ENTRY=%family%, with -debug on the debug tags).
FROM plain AS entry-static
FROM plain AS entry-base
FROM plain AS entry-cc
FROM plain AS entry-python
ENTRYPOINT ["/usr/bin/python3"]
FROM plain AS entry-nodejs
ENTRYPOINT ["/nodejs/bin/node"]
FROM plain AS entry-java
ENTRYPOINT ["/usr/bin/java", "-jar"]
FROM plain AS entry-static-debug
ENTRYPOINT ["/busybox/sh"]
FROM entry-static-debug AS entry-base-debug
FROM entry-static-debug AS entry-cc-debug
FROM entry-python AS entry-python-debug
FROM entry-nodejs AS entry-nodejs-debug
FROM entry-java AS entry-java-debug
FROM entry-${ENTRY}
