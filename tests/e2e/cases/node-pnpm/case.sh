# Fastify (ES modules), dependencies locked in pnpm-lock.yaml, pnpm pinned by packageManager.
PORT=8112
INIT_ARGS=(--port 8112)
CODE_FILE=src/server.js
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='pnpm (install|fetch)'
NAIVE_BASE_RE='^node:'
