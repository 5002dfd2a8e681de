#!/usr/bin/env bash
# Times `dockgen detect` and `dockgen init` on generated monorepos, and `detect` against a bare
# walk of the same tree (examples/walk.rs: the `ignore` crate, as dockgen uses it), in one run:
#   - npm-300, pnpm-300: tests/e2e/tools/gen-workspace workspaces of 300 members;
#   - npm-100k: the npm one with ~330 source files in each member (about 100k files).
# Everything is generated in a temporary directory and removed afterwards. Prints the median of
# ROUNDS runs of each command, and the ratios detect/walk and init/detect.
#
# Usage: scripts/bench-monorepo.sh [--debug] [ROUNDS]   (default 5 rounds, release binaries)
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
if [[ ${1:-} == --debug ]]; then
    profile=debug
    shift
fi
rounds=${1:-5}
flag=()
[[ $profile == release ]] && flag=(--release)
cargo build --locked --quiet "${flag[@]}" --bin dockgen --example walk
bin=$PWD/target/$profile/dockgen
walk=$PWD/target/$profile/examples/walk

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen=tests/e2e/tools/gen-workspace
"$gen" --pm npm --members 300 "$tmp/npm-300" >/dev/null
"$gen" --pm pnpm --members 300 "$tmp/pnpm-300" >/dev/null
"$gen" --pm npm --members 300 "$tmp/npm-100k" >/dev/null
python3 - "$tmp/npm-100k" <<'PY'
import os, sys
root = sys.argv[1]
for i in range(1, 300):
    d = os.path.join(root, "packages", f"lib-{i:03d}", "src")
    os.makedirs(d, exist_ok=True)
    for j in range(333):
        with open(os.path.join(d, f"m{j:03d}.js"), "w") as f:
            f.write(f"module.exports = {j};\n")
PY

python3 - "$bin" "$walk" "$rounds" "$tmp" <<'PY'
import os, statistics, subprocess, sys, time
bin, walk, rounds, tmp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

def median_ms(cmd, cwd):
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)

print(f"{'tree':<10} {'files':>7} {'walk ms':>8} {'detect ms':>10} {'init ms':>8} {'detect/walk':>12} {'init/detect':>12}")
for name in ("npm-300", "pnpm-300", "npm-100k"):
    root = os.path.join(tmp, name)
    files = int(subprocess.run([walk, root], capture_output=True, text=True, check=True).stdout)
    w = median_ms([walk, root], root)
    d = median_ms([bin, "detect", "--json", root], root)
    i = median_ms([bin, "init", "--yes", "--stdout", "--project", "apps/web", root], root)
    print(f"{name:<10} {files:>7} {w:>8.1f} {d:>10.1f} {i:>8.1f} {d / w:>11.2f}x {i / d:>11.2f}x")
PY
