# Maven, the JDK's HTTP server and one library (gson); plugin versions pinned to Debian's packages.
PORT=8141
# No web framework, so dockgen needs to be told that it serves HTTP.
INIT_ARGS=(--port 8141)
CODE_FILE=src/main/java/com/example/e2e/Greeting.java
HEALTH_PATH=/healthz
KEEP=layer
INSTALL_RE='dependency:go-offline'
NAIVE_BASE_RE='^maven:'
NOTE="plain Maven with Debian's plugin versions; Spring Boot cannot be tested here (no Maven repository is reachable and Debian does not package it)"
