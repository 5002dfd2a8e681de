# Express, dependencies locked in package-lock.json and installed with npm.
PORT=8111
INIT_ARGS=(--port 8111)
CODE_FILE=server.js
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='npm (ci|install)'
NAIVE_BASE_RE='^node:'
