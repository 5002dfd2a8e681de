# One crate (tiny_http + serde_json from the registry), built for the distroless cc runtime.
PORT=8121
INIT_ARGS=(--port 8121)
CODE_FILE=src/main.rs
HEALTH_PATH=/healthz
KEEP=cargo
INSTALL_RE='cargo chef cook'
NAIVE_BASE_RE='^rust:'
