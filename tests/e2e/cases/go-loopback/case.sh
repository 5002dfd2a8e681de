# A server whose listen address defaults to 127.0.0.1 (STATUSBOARD_HTTP_ADDR); standard library only.
# dockgen must set STATUSBOARD_HTTP_ADDR=0.0.0.0:8133 in the image, or the listen check fails.
PORT=8133
CODE_FILE=message.go
HEALTH_PATH=/livez
KEEP=gobuild
INSTALL_RE='go build'
NAIVE_BASE_RE='^golang:'
NOTE="default listen address 127.0.0.1:8133 (STATUSBOARD_HTTP_ADDR); standard library only (no Go module proxy is reachable); the dependency change adds a local module through replace, then dockgen regen copies its go.mod"
# The dependency is a local module (no module proxy here), and go mod download reads the go.mod of
# a local replacement, so the Dockerfile must copy it: like a user who adds one, re-run dockgen
# (regen keeps the Dockerfile's shape and adds the module files to the download step).
change_deps() {
	cp -a "$E2E_DIR/cases/go-loopback/deps/." "$1/"
	"$DOCKGEN" regen --force "$1"
}
