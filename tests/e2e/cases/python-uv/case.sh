# FastAPI served by uvicorn, dependencies locked in uv.lock and installed with uv.
PORT=8102
INIT_ARGS=(--port 8102)
CODE_FILE=main.py
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='uv sync'
NAIVE_BASE_RE='^python:'
# uv.lock names the package index it was resolved from, so it is not committed: `uv lock` writes it
# (pyproject.toml's exclude-newer keeps it the same on every run).
LOCK=uv
