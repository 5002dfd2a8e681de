# A worker that serves nothing (python worker.py): HEALTHCHECK NONE, no EXPOSE, keeps running.
SERVES=none
RUN_SECONDS=8
CODE_FILE=worker.py
KEEP=layer
INSTALL_RE='pip install'
NAIVE_BASE_RE='^python:'
