# A Cargo workspace: the server crate uses a path-dependency library crate and tiny_http.
PORT=8122
# The generator writes a workspace member's Dockerfile next to it; it builds from the root.
PROJECT=crates/server
INIT_ARGS=(--port 8122)
CODE_FILE=crates/greeting/src/lib.rs
HEALTH_PATH=/healthz
KEEP=cargo
INSTALL_RE='cargo chef cook'
NAIVE_BASE_RE='^rust:'
