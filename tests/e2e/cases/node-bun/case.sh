# A Bun server (bun init shape: "module": "index.ts", Bun.serve): runs as `bun index.ts` on Bun's
# own image, dependencies from bun.lock.
PORT=8133
INIT_ARGS=(--port 8133)
CODE_FILE=index.ts
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='bun install'
NAIVE_BASE_RE='^oven/bun:'
