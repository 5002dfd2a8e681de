#!/usr/bin/env bash
# Times `dockgen detect --json` against `dockgen init --yes --stdout` over every fixture that
# succeeds (tests/fixtures/<ecosystem>/<case>.toml with no `exit`), each with its case's flags, and
# prints the totals and the ratio init/detect (goal: within 1.5x).
#
# Usage: scripts/bench-render.sh [ROUNDS] [BINARY]   (defaults: 5, target/release/dockgen)
#        scripts/bench-render.sh --callgrind FIXTURE  (instruction counts of one fixture, both commands)
# env: BENCH_ECOSYSTEMS="node python" limits the fixtures to those ecosystems (to compare binaries
#      built before and after an ecosystem was added).
set -euo pipefail
cd "$(dirname "$0")/.."

cases() {
    # One line per successful case: the fixture directory, then its flags, NUL-free and tab-separated.
    python3 - <<'PY'
import glob, os, tomllib
only = os.environ.get("BENCH_ECOSYSTEMS", "").split()
for f in sorted(glob.glob("tests/fixtures/*/*.toml")):
    if only and f.split("/")[2] not in only:
        continue
    with open(f, "rb") as h:
        case = tomllib.load(h)
    if case.get("exit", 0) != 0:
        continue
    print("\t".join([f[:-5]] + case.get("args", [])))
PY
}

if [[ ${1:-} == --callgrind ]]; then
    fixture=${2:?fixture directory}
    bin=${3:-target/release/dockgen}
    for cmd in "detect --json" "init --yes --stdout"; do
        out=$(mktemp)
        # shellcheck disable=SC2086
        valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" $cmd "$fixture" >/dev/null 2>&1
        printf '%-22s %s instructions\n' "$cmd" "$(awk '/^summary:/ {print $2}' "$out")"
        rm -f "$out"
    done
    exit 0
fi

rounds=${1:-5}
bin=${2:-target/release/dockgen}
[[ -x $bin ]] || { echo "no $bin: run cargo build --release first" >&2; exit 2; }
mapfile -t list < <(cases)

run_all() {
    local line dir
    local -a words
    for ((r = 0; r < rounds; r++)); do
        for line in "${list[@]}"; do
            IFS=$'\t' read -r -a words <<<"$line"
            dir=${words[0]}
            "$bin" "$@" "${words[@]:1}" "$dir" >/dev/null 2>&1 || {
                echo "failed: $bin $* ${words[*]:1} $dir" >&2
                exit 1
            }
        done
    done
}

now() { date +%s%N; }
t0=$(now); run_all detect --json; t1=$(now); run_all init --yes --stdout; t2=$(now)
detect_ms=$(((t1 - t0) / 1000000))
init_ms=$(((t2 - t1) / 1000000))
runs=$((rounds * ${#list[@]}))
echo "fixtures: ${#list[@]}, rounds: $rounds ($runs runs per command, $bin)"
echo "detect --json:        ${detect_ms} ms ($((detect_ms * 1000 / runs)) us/run)"
echo "init --yes --stdout:  ${init_ms} ms ($((init_ms * 1000 / runs)) us/run)"
awk -v i="$init_ms" -v d="$detect_ms" 'BEGIN { printf "ratio init/detect:    %.2fx\n", i / d }'
