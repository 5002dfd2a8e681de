# A server whose listen address defaults to 127.0.0.1 (STATUSBOARD_HTTP_ADDR); standard library only.
# dockgen must set STATUSBOARD_HTTP_ADDR=0.0.0.0:8133 in the image, or the listen check fails.
PORT=8133
CODE_FILE=message.go
HEALTH_PATH=/livez
KEEP=gobuild
INSTALL_RE='go build'
NAIVE_BASE_RE='^golang:'
NOTE="default listen address 127.0.0.1:8133 (STATUSBOARD_HTTP_ADDR); standard library only (no Go module proxy is reachable); the dependency change adds a local module through replace"
