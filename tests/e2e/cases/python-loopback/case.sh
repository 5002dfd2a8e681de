# A server whose HOST defaults to 127.0.0.1: the image sets HOST=0.0.0.0, so it is reachable from outside.
PORT=8106
CODE_FILE=main.py
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='pip install'
NAIVE_BASE_RE='^python:'
