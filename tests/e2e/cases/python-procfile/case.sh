# Procfile web: gunicorn on $PORT is the start command; release: is documented, not run.
PORT=8105
INIT_ARGS=(--port 8105)
CODE_FILE=app.py
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='pip install'
NAIVE_BASE_RE='^python:'
