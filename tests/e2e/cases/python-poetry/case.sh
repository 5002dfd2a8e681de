# Flask served by gunicorn, dependencies locked in poetry.lock (with a dev group the image skips).
PORT=8103
INIT_ARGS=(--port 8103)
CODE_FILE=wsgi.py
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='pip install|poetry install|poetry export'
NAIVE_BASE_RE='^python:'
