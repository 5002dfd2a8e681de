#!/usr/bin/env bash
# Writes DIR/poetry.lock on a network whose package index serves only the "simple" API (Poetry's
# default resolver also wants the per-release JSON API): resolves through a temporary explicit
# simple source, then removes that source again and recomputes the lock's content hash.
# Authoring aid for the e2e apps; needs `poetry` (2.x) on PATH or in $POETRY.
# usage: tests/e2e/tools/poetry-lock.sh DIR [INDEX_URL]
# INDEX_URL defaults to pip's own index setting: PIP_INDEX_URL, else index-url in pip's
# configuration (`pip config list`).
set -euo pipefail
dir=$1
index=${2:-${PIP_INDEX_URL:-}}
if [ -z "$index" ]; then
	index=$(python3 -m pip config list 2>/dev/null |
		sed -n "s/^\(global\|install\|:env:\)\.index-url='\(.*\)'\$/\2/p" | tail -1) || true
fi
[ -n "$index" ] || {
	echo "poetry-lock.sh: no package index: pass INDEX_URL, set PIP_INDEX_URL, or configure pip (pip config set global.index-url URL)" >&2
	exit 2
}
poetry=${POETRY:-poetry}
py=$(dirname "$(readlink -f "$(command -v "$poetry")")")/python
cd "$dir"
cp pyproject.toml pyproject.toml.orig
trap 'mv -f pyproject.toml.orig pyproject.toml' EXIT
printf '\n[[tool.poetry.source]]\nname = "e2e-simple"\nurl = "%s"\npriority = "primary"\n' "$index" >>pyproject.toml
"$poetry" lock
mv -f pyproject.toml.orig pyproject.toml
trap - EXIT
"$py" - <<'PY'
import re
from poetry.factory import Factory

lock = open("poetry.lock", encoding="utf-8").read()
lock = re.sub(r'\n\[package\.source\]\ntype = "legacy"\nurl = "[^"]*"\nreference = "e2e-simple"\n', "\n", lock)
open("poetry.lock", "w", encoding="utf-8").write(lock)
digest = Factory().create_poetry(".").locker._get_content_hash()
lock = re.sub(r'(?m)^content-hash = ".*"$', f'content-hash = "{digest}"', lock)
open("poetry.lock", "w", encoding="utf-8").write(lock)
PY
"$poetry" check --lock
