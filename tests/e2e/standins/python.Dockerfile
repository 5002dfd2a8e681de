# Stands in for python:X-slim-<release>: Debian's python3 with venv, reachable as
# /usr/local/bin/python like in the official image, and pip allowed to install system-wide.
# pip is installed from the pip wheel python3-venv carries (Debian disables ensurepip for the system
# python) into /usr/local, not from Debian's python3-pip: that package pulls python3-wheel and python3-packaging into the system site-packages,
# which pip cannot uninstall (no RECORD file) when a tool the Dockerfile installs (Poetry) needs a
# newer packaging. The official image has no Debian Python packages either.
# python3-dev: the official image ships Python.h, which packages built from source need.
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 python3-dev python3-venv \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED \
 && whl=$(ls /usr/share/python-wheels/pip-*.whl | head -n 1) \
 && python3 "$whl/pip" install --no-index --no-cache-dir "$whl" \
 && ln -s /usr/bin/python3 /usr/local/bin/python \
 && ln -s /usr/bin/python3 /usr/local/bin/python3 \
 && { [ -e /usr/local/bin/pip ] || ln -s "$(command -v pip3)" /usr/local/bin/pip; } \
 && pip --version
ENV LANG=C.UTF-8 \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    UV_NATIVE_TLS=1
CMD ["python3"]
