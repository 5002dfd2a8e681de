# Stands in for rust:X-slim-SUITE (and, with FULL=1, the full rust:X-SUITE image, which adds the usual
# build dependencies: make, pkg-config, OpenSSL headers, git, curl): the host's stable toolchain
# (without docs and sources) under RUSTUP_HOME, rustup and its proxies in CARGO_HOME/bin, and the C
# toolchain the official image has.
ARG BASE
FROM ${BASE}
ARG FULL
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates gcc libc6-dev \
      ${FULL:+make pkg-config libssl-dev git curl} \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
ENV RUSTUP_HOME=/usr/local/rustup \
    CARGO_HOME=/usr/local/cargo \
    PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CARGO_HTTP_CAINFO=/etc/ssl/certs/ca-certificates.crt \
    RUSTUP_AUTO_INSTALL=0
COPY toolchain/ /usr/local/rustup/toolchains/stable-x86_64-unknown-linux-gnu/
COPY rustup /usr/local/cargo/bin/rustup
RUN cd /usr/local/cargo/bin \
 && for p in cargo rustc rustdoc; do ln rustup "$p"; done \
 && printf 'default_toolchain = "stable-x86_64-unknown-linux-gnu"\nprofile = "minimal"\nversion = "12"\n' > /usr/local/rustup/settings.toml \
 && chmod -R a+w /usr/local/cargo \
 && rustc --version && cargo --version
