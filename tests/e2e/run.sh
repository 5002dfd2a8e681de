#!/usr/bin/env bash
# dockgen end-to-end: generate Dockerfiles for the example apps with the freshly built dockgen, build
# them with a real BuildKit (Docker Engine from Debian's packages, started here under a work dir),
# run them, and prove they run as non-root, turn healthy, keep the dependency layer across a
# code-only change and rebuild after a dependency change. Compares each with the naive Dockerfile.
#
# usage: tests/e2e/run.sh [--bench] [--no-naive] [--clean] [--keep] [APP...]
#   --bench   also write the figures to tests/e2e/results.md
#   --no-naive  skip the naive Dockerfile's builds (figures only, no check; CI's choice; not with --bench)
#   --clean   start from an empty work dir (no cached root file system or stand-in images)
#   --keep    leave the app images in the engine's data dir (the engine itself is always stopped)
#   APP       only these apps (directory names under tests/e2e/apps/, or cases/ whose case.sh
#             generates the project)
# env: E2E_WORK (default target/e2e, outside the source tree), E2E_JOBS (apps in flight at once, default 3; builds always take turns),
#      E2E_STANDIN_JOBS (stand-in images built at once, default 3)
#
# Needs root (installs docker.io/debootstrap when missing, runs dockerd) and Debian 12.
# BENCH, T_START and others are read by the sourced lib/*.sh.
# shellcheck disable=SC2034
set -euo pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$E2E_DIR/../.." && pwd)
E2E_WORK=${E2E_WORK:-$REPO/target/e2e}
E2E_JOBS=${E2E_JOBS:-3}
BENCH=0 CLEAN=0 KEEP_IMAGES=0 NAIVE=1
SELECTED=()
while [ $# -gt 0 ]; do
	case $1 in
	--bench) BENCH=1 ;;
	--clean) CLEAN=1 ;;
	--keep) KEEP_IMAGES=1 ;;
	--no-naive) NAIVE=0 ;;
	-h | --help)
		sed -n '2,/^# Needs root/p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	-*)
		echo "unknown option $1 (see --help)" >&2
		exit 2
		;;
	*) SELECTED+=("$1") ;;
	esac
	shift
done

# shellcheck source=lib/common.sh
. "$E2E_DIR/lib/common.sh"
# shellcheck source=lib/dockerd.sh
. "$E2E_DIR/lib/dockerd.sh"
# shellcheck source=lib/standins.sh
. "$E2E_DIR/lib/standins.sh"
# shellcheck source=lib/app.sh
. "$E2E_DIR/lib/app.sh"

[ "$(id -u)" = 0 ] || die "run as root: the harness starts its own dockerd"
[ "$CLEAN" = 0 ] || {
	unmount_under "$E2E_WORK" 2>/dev/null || true
	rm -rf "$E2E_WORK"
}
mkdir -p "$E2E_WORK/logs" "$E2E_WORK/cache"
rm -rf "$E2E_WORK/logs"/* "$E2E_WORK/apps" "$E2E_WORK/naive" "$E2E_WORK/results"
mkdir -p "$E2E_WORK/results"

BG_PIDS=()
cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM
	for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	if [ -n "$DOCKERD_PID" ] && [ "$KEEP_IMAGES" = 0 ]; then
		docker images --filter label=dockgen-e2e-app -q 2>/dev/null | sort -u | xargs -r /usr/bin/docker rmi -f >/dev/null 2>&1 || true
		# The build cache and cache mounts are not reused by the next run (it starts cold): free them.
		docker builder prune -af >/dev/null 2>&1 || true
	fi
	stop_dockerd
	exit "$rc"
}
trap cleanup EXIT
trap 'echo; echo "e2e: interrupted"; exit 130' INT
trap 'exit 143' TERM

T_START=$(now_ms)
APPS=()
[ "$BENCH" = 0 ] || NAIVE=1
if [ ${#SELECTED[@]} -gt 0 ]; then
	for a in "${SELECTED[@]}"; do
		[ -d "$E2E_DIR/apps/$a" ] || is_generated "$a" || die "no app $a under tests/e2e/apps/ (nor a generated one under tests/e2e/cases/)"
		APPS+=("$a")
	done
else
	for d in "$E2E_DIR"/apps/*/; do APPS+=("$(basename "$d")"); done
	# Apps whose project the case generates at run time (e.g. big workspaces) have no apps/ dir.
	for d in "$E2E_DIR"/cases/*/; do
		a=$(basename "$d")
		[ -d "$E2E_DIR/apps/$a" ] || ! is_generated "$a" || APPS+=("$a")
	done
fi
for a in "${APPS[@]}"; do
	[ -f "$E2E_DIR/cases/$a/case.sh" ] || die "app $a has no tests/e2e/cases/$a/case.sh (see tests/e2e/README.md)"
done

# phase NAME: the wall time since the previous phase, for the closing timing line.
PHASES=() T_PHASE=$T_START
phase() {
	local t
	t=$(now_ms)
	PHASES+=("$1 $(secs $((t - T_PHASE)))s")
	T_PHASE=$t
}

step "tools and engine"
ensure_host_packages
# dockgen compiles while the engine starts and the base root file system is made. The debug profile:
# `dockgen init` takes milliseconds either way, and in CI the tests have just built this binary.
(cd "$REPO" && cargo build --locked --quiet) >"$E2E_WORK/logs/cargo-build.log" 2>&1 &
CARGO_PID=$!
BG_PIDS+=("$CARGO_PID")
start_dockerd
# Cold builds: no build cache or cache mounts from an earlier run (stand-in images stay).
docker builder prune -af >/dev/null
make_base_image
wait "$CARGO_PID" || {
	tail_log "$E2E_WORK/logs/cargo-build.log"
	die "cargo build failed"
}
DOCKGEN=${CARGO_TARGET_DIR:-$REPO/target}/debug/dockgen
say "dockgen: $("$DOCKGEN" --version)"

phase "dockgen build + engine"

step "generate Dockerfiles (dockgen init --yes)"
GENERATED=()
for app in "${APPS[@]}"; do
	if generate_app "$app"; then
		GENERATED+=("$app")
	fi
done

phase "generate"

step "stand-in base images"
mapfile -t IMAGES < <(for app in "${GENERATED[@]}"; do app_images "$app"; done | sort -u)
[ ${#IMAGES[@]} -gt 0 ] || die "no generated Dockerfile to build"
say "images the generated Dockerfiles use: ${IMAGES[*]}"
make_standins "${IMAGES[@]}"
describe_standins "${IMAGES[@]}" | tee "$E2E_WORK/results/standins.txt"

phase "stand-ins"

step "apps ($E2E_JOBS at a time)"
run_apps "${GENERATED[@]}"
phase "apps"

step "results"
say "phases: $(join "${PHASES[@]}")"
report "${APPS[@]}"
