# Flask served by gunicorn, dependencies from requirements.txt installed with pip.
PORT=8101
INIT_ARGS=(--port 8101)
CODE_FILE=app.py
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='pip install'
NAIVE_BASE_RE='^python:'
