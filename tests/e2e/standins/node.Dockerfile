# Stands in for node:X-bookworm-slim: the host's node binary with npm and corepack under
# /usr/local, and the `node` user with uid/gid 1000 as in the official image.
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends libstdc++6 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && cat /usr/local/share/ca-certificates/*.crt > /usr/local/share/e2e-extra-ca.pem \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY node /usr/local/bin/node
COPY node_modules/ /usr/local/lib/node_modules/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack \
 && node --version && npm --version && corepack --version
# Node trusts its own CA bundle plus the test network's gateway (no ca-certificates package, as in
# the official slim image). The registry mirror here serves package metadata without signatures,
# which corepack would otherwise refuse.
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/e2e-extra-ca.pem \
    COREPACK_INTEGRITY_KEYS=0 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
CMD ["node"]
