# A generated 300-member npm workspace (one app, apps/web, and 299 libraries), made at run time:
# the Dockerfile must not grow with the members, a source change in another member must keep the
# install CACHED, and a dependency added to the app must reinstall.
PORT=8171
PROJECT=apps/web
INIT_ARGS=(--port 8171 --project apps/web)
CODE_FILE=apps/web/server.js
OTHER_FILE=packages/lib-150/index.js
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='npm (ci|install)'
NAIVE_BASE_RE='^node:'
LOCK=npm
generate_project() { "$E2E_DIR/tools/gen-workspace" --pm npm --members 300 --port 8171 "$1"; }
change_deps() { "$E2E_DIR/tools/gen-workspace" add-dependency "$1" is-number ^7.0.0; }
