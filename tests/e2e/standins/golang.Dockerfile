# Stands in for golang:X-bookworm / golang:X-trixie: Debian's golang-GO_MINOR-go (from SUITE or
# SUITE-backports; the newest one there when that minor is not packaged) at /usr/local/go, with the
# C toolchain the official image has for cgo, GOPATH=/go and GOTOOLCHAIN=local.
ARG BASE
FROM ${BASE}
ARG SUITE
ARG GO_MINOR
# The host's Debian mirror (tests/e2e/lib/standins.sh reads it from the host's apt sources).
ARG DEBIAN_MIRROR
RUN echo "deb ${DEBIAN_MIRROR} ${SUITE}-backports main" > /etc/apt/sources.list.d/backports.list \
 && apt-get update \
 && pkg="golang-${GO_MINOR}-go" \
 && if ! apt-cache show "$pkg" >/dev/null 2>&1; then \
      pkg=$(apt-cache pkgnames golang-1. | grep -E '^golang-1\.[0-9]+-go$' | sort -V | tail -1); \
      echo "no golang-${GO_MINOR}-go in ${SUITE}: using $pkg"; \
    fi \
 && apt-get install -y --no-install-recommends -t "${SUITE}-backports" ca-certificates git gcc libc6-dev "$pkg" \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && ln -s "/usr/lib/go-$(echo "$pkg" | sed 's/^golang-//; s/-go$//')" /usr/local/go \
 && mkdir -p /go/bin /go/src && chmod -R 1777 /go
ENV GOPATH=/go \
    GOTOOLCHAIN=local \
    PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /go
RUN go version
