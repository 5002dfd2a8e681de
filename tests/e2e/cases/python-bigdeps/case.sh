# Flask with 110 pinned packages (pandas, boto3, celery, django, google-cloud-storage, ...): the
# code-change rebuild keeps the install, where the naive Dockerfile reinstalls everything.
PORT=8108
INIT_ARGS=(--port 8108)
CODE_FILE=app.py
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='pip install'
NAIVE_BASE_RE='^python:'
