#!/usr/bin/env bash
# Lists what is due in data/versions.toml: defaults past or near their end of support, defaults the
# family's policy would now replace (a newer LTS, a settled new line, a new Rust stable), lines whose
# support ends within `due_within_days`, estimated end dates that have passed, tool pins not
# compared with their releases for 180 days. Lines already past their end stay in the table (pins of
# them get a warning) and are shown, not due. Exits 1 when something is due.
#   scripts/versions-due.sh                     # today
#   scripts/versions-due.sh --today 2027-03-01  # as on another day
# How to update the table: see the header of data/versions.toml (a one-file change).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --locked --example versions_due -- "$@"
