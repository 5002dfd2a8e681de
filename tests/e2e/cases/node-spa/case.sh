# A Vite single-page app: built in the image, served by nginx-unprivileged as uid 101; unknown paths
# get index.html (client-side routes), hashed assets a long Cache-Control.
PORT=8131
INIT_ARGS=(--port 8131)
CODE_FILE=index.html
HEALTH_PATH=/
SPA_ROUTE=/settings/profile
KEEP=layer
INSTALL_RE='npm (ci|install)'
NAIVE_BASE_RE='^node:'
LOCK=npm
