# SvelteKit with adapter-node: `vite build` writes build/, the image runs `node build` (server-side
# rendering) on PORT, with production dependencies only.
PORT=8132
INIT_ARGS=(--port 8132)
CODE_FILE=src/routes/+page.server.js
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='npm (ci|install)'
NAIVE_BASE_RE='^node:'
LOCK=npm
