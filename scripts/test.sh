#!/usr/bin/env bash
# The test command: installs the linters, then runs every test (unit, CLI on fixtures, snapshots,
# hadolint/checkov over the snapshots).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
export PATH="$PWD/.tools/venv/bin:$PATH"
cargo test --locked "$@"
