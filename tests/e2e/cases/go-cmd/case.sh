# cmd/server main package plus an internal package; standard library only (no module proxy here).
PORT=8131
INIT_ARGS=(--port 8131)
CODE_FILE=internal/greet/greet.go
HEALTH_PATH=/healthz
KEEP=gobuild
INSTALL_RE='go build'
NAIVE_BASE_RE='^golang:'
NOTE="standard library only (no Go module proxy is reachable); the dependency change adds a local module through replace"
