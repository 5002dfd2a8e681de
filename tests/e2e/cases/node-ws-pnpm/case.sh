# A generated 300-member pnpm workspace (one app, apps/web, and 299 libraries), made at run time:
# the Dockerfile must not grow with the members, a source change in another member must keep the
# install CACHED, and a dependency added to the app must reinstall.
PORT=8172
PROJECT=apps/web
INIT_ARGS=(--port 8172 --project apps/web)
CODE_FILE=apps/web/server.js
OTHER_FILE=packages/lib-150/index.js
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='pnpm (install|fetch)'
NAIVE_BASE_RE='^node:'
LOCK=pnpm
generate_project() { "$E2E_DIR/tools/gen-workspace" --pm pnpm --members 300 --port 8172 "$1"; }
change_deps() { "$E2E_DIR/tools/gen-workspace" add-dependency "$1" is-number ^7.0.0; }
