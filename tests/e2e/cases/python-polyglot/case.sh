# Flask serving frontend/dist: the Vite frontend builds in its own Node stage, only dist/ is copied.
PORT=8107
INIT_ARGS=(--port 8107)
CODE_FILE=app.py
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='pip install'
NAIVE_BASE_RE='^python:'
