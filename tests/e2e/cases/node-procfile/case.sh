# A Procfile app: `web: node server.js` is the start (over package.json's start script), `release:`
# is noted and not run by the image.
PORT=8134
INIT_ARGS=(--port 8134)
CODE_FILE=server.js
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='npm (ci|install)'
NAIVE_BASE_RE='^node:'
LOCK=npm
