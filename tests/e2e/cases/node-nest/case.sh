# NestJS compiled with tsc (`npm run build`), dev dependencies needed to build but not to run.
PORT=8113
INIT_ARGS=(--port 8113)
CODE_FILE=src/app.controller.ts
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='npm (ci|install)'
NAIVE_BASE_RE='^node:'
