# Stands in for golang:X-bookworm: Debian's golang-GO_MINOR-go (bookworm-backports) at /usr/local/go,
# GOPATH=/go and GOTOOLCHAIN=local as in the official image.
ARG BASE
FROM ${BASE}
ARG GO_MINOR
# The host's Debian mirror (tests/e2e/lib/standins.sh reads it from the host's apt sources).
ARG DEBIAN_MIRROR
RUN echo "deb ${DEBIAN_MIRROR} bookworm-backports main" > /etc/apt/sources.list.d/backports.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends -t bookworm-backports ca-certificates git "golang-${GO_MINOR}-go" \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && ln -s "/usr/lib/go-${GO_MINOR}" /usr/local/go \
 && mkdir -p /go/bin /go/src && chmod -R 1777 /go
ENV GOPATH=/go \
    GOTOOLCHAIN=local \
    PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /go
RUN go version
