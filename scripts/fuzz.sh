#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for SECONDS seconds each (default 60) and prints, per target,
# the executions, the time and the executions per second libFuzzer reported. Not part of CI.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a C++ compiler (libfuzzer-sys builds
# libFuzzer). Works on the stable toolchain: without a sanitizer (`-s none`) cargo-fuzz passes only
# stable flags (-Cpasses=sancov-module, -Cllvm-args=...); release mode (-O) for speed. The first
# build compiles dockgen with codegen-units=1 and takes minutes. A finding (panic, crash, timeout,
# out-of-memory) stops that target, leaves the input under fuzz/artifacts/<target>/ and makes the
# script exit 1. Corpora grow under fuzz/corpus/<target>/ (gitignored) across runs.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
cargo fuzz build -O -s none >/dev/null || exit 2
status=0
printf '%-14s %12s %8s %10s  %s\n' target execs seconds execs/s result
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  log="$(mktemp)"
  start=$(date +%s)
  nice cargo fuzz run -O -s none "$t" "corpus/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1 \
    >"$log" 2>&1
  rc=$?
  end=$(date +%s)
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  execs=${execs:-0}
  elapsed=$((end - start))
  rate=$((execs / (elapsed > 0 ? elapsed : 1)))
  result=ok
  if [ $rc -ne 0 ]; then
    result="FINDING (see fuzz/artifacts/$t, log $log)"
    status=1
  else
    rm -f "$log"
  fi
  printf '%-14s %12s %8s %10s  %s\n' "$t" "$execs" "$elapsed" "$rate" "$result"
done
exit $status
