# shellcheck shell=bash
# Shared helpers for the e2e harness: logging, timing, failure reporting.
# Sourced by run.sh; expects E2E_WORK to be set.

say() { printf '%s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
	printf 'e2e: error: %s\n' "$*" >&2
	exit 1
}

# now_ms: wall clock in milliseconds.
now_ms() { date +%s%3N; }

# secs MS: milliseconds as seconds with one decimal.
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }

# ratio A B: A / B with one decimal ("-" when B is 0 or empty).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else if (a / b >= 10) printf "%.0f", a / b; else printf "%.1f", a / b }'; }

# percent A B: A as a percentage of B (one decimal below 10 %).
percent() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else if (a * 100 / b < 10) printf "%.1f%%", a * 100 / b; else printf "%.0f%%", a * 100 / b }'; }

# mib BYTES: bytes as MiB (one decimal below 10 MiB).
mib() { awk -v b="$1" 'BEGIN { m = b / 1048576; if (m < 10) printf "%.1f", m; else printf "%.0f", m }'; }

# tail_log FILE [N]: the last N lines of a log, indented, for failure reports.
tail_log() {
	local file=$1 n=${2:-40}
	[ -s "$file" ] || return 0
	printf '   --- last %s lines of %s\n' "$n" "${file#"$E2E_WORK"/}"
	tail -n "$n" "$file" | sed 's/^/   | /'
}
