# A worker script: no web framework, no listen call. HEALTHCHECK NONE, no EXPOSE; it keeps running.
SERVES=none
CODE_FILE=worker.js
KEEP=layer
INSTALL_RE='npm (ci|install)'
NAIVE_BASE_RE='^node:'
LOCK=npm
