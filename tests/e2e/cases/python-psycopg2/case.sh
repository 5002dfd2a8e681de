# Flask with psycopg2 (not -binary): compiled against libpq-dev in the build stage, libpq5 at run time.
PORT=8104
INIT_ARGS=(--port 8104)
CODE_FILE=app.py
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='pip install'
NAIVE_BASE_RE='^python:'
