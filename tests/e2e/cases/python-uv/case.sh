# FastAPI served by uvicorn, dependencies locked in uv.lock and installed with uv.
PORT=8102
INIT_ARGS=(--port 8102)
CODE_FILE=main.py
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='uv sync'
NAIVE_BASE_RE='^python:'
