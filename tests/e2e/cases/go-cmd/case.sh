# cmd/server main package plus an internal package; standard library only (no module proxy here).
PORT=8131
INIT_ARGS=(--port 8131)
CODE_FILE=internal/greet/greet.go
HEALTH_PATH=/healthz
KEEP=gobuild
INSTALL_RE='go build'
NAIVE_BASE_RE='^golang:'
NOTE="standard library only (no Go module proxy is reachable); the dependency change adds a local module through replace, then dockgen regen copies its go.mod"
# The dependency is a local module (no module proxy here), and go mod download reads the go.mod of
# a local replacement, so the Dockerfile must copy it: like a user who adds one, re-run dockgen
# (regen keeps the Dockerfile's shape and adds the module files to the download step).
change_deps() {
	cp -a "$E2E_DIR/cases/go-cmd/deps/." "$1/"
	"$DOCKGEN" regen --force "$1"
}
