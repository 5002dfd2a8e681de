# Plain PHP on Apache + mod_php: a front controller, PSR-4 classes and a Composer path repository
# (no package registry is reachable here); the dependency change adds a second path package.
PORT=8161
INIT_ARGS=(--port 8161)
CODE_FILE=src/Home.php
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='composer install'
NAIVE_BASE_RE='^php:'
NOTE="path-repository packages only (the Composer package registry is not reachable); the stand-in is Debian's PHP and Apache, not the official build"
