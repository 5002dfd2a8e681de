# shellcheck shell=bash
# One example app through every check, and the report. Sourced by run.sh.
#
# An app is tests/e2e/apps/NAME (the project, untouched) plus tests/e2e/cases/NAME:
#   case.sh           PORT, INIT_ARGS (extra `dockgen init` flags), PROJECT (member path, if any),
#                     CODE_FILE (the file whose one line holds the marker e2e-v1), HEALTH_PATH,
#                     KEEP (how dependency reuse shows: layer | cargo | gobuild), INSTALL_RE (the
#                     dependency step's instruction), NAIVE_BASE_RE (which generated image the naive
#                     Dockerfile builds on), NOTE (what this network keeps the app from testing),
#                     LOCK (`uv`, `npm`, `pnpm`: the lockfile is not committed; the package manager
#                     writes it at run time, before `dockgen init` and again after the dependency
#                     change), and the options for other kinds of apps (see tests/e2e/README.md):
#                     SERVES (http | none), RUN_SECONDS, SPA_ROUTE, ASSET_RE, OTHER_FILE,
#                     PNPM_VERSION; functions generate_project DIR and change_deps DIR
#   naive.Dockerfile  the seed lesson's naive Dockerfile (one stage, COPY . . before the install)
#   deps/             files laid over the project for the dependency change (manifest + lockfile)

BUILD_TIMEOUT=${E2E_BUILD_TIMEOUT:-900}
HEALTH_TIMEOUT=${E2E_HEALTH_TIMEOUT:-100}

# load_case APP: reads the app's case.sh into fresh variables.
load_case() {
	PORT="" INIT_ARGS=() PROJECT="" CODE_FILE="" HEALTH_PATH=/ KEEP=layer INSTALL_RE="" NAIVE_BASE_RE="" NOTE="" LOCK=""
	SERVES=http RUN_SECONDS=10 SPA_ROUTE="" ASSET_RE="" OTHER_FILE="" PNPM_VERSION=""
	unset -f generate_project change_deps
	# shellcheck source=/dev/null
	. "$E2E_DIR/cases/$1/case.sh"
	APP_DIR=$E2E_WORK/apps/$1
	NAIVE_DIR=$E2E_WORK/naive/$1
	APP_LOGS=$E2E_WORK/logs/$1
	DOCKERFILE=$APP_DIR/${PROJECT:+$PROJECT/}Dockerfile
	RESULT=$E2E_WORK/results/$1.tsv
}

# record KEY VALUE: one figure or check result of the current app.
record() { printf '%s\t%s\n' "$1" "$2" >>"$RESULT"; }

# result APP KEY: a recorded value ("" when absent).
result() {
	local f=$E2E_WORK/results/$1.tsv
	[ -f "$f" ] || return 0
	awk -F'\t' -v k="$2" '$1 == k { v = $2 } END { printf "%s", v }' "$f"
}

# fail CHECK MESSAGE [LOG...]: records the failed check and prints the logs' tails.
fail() {
	local check=$1 msg=$2
	shift 2
	record failed "$check"
	record reason "$msg"
	say "  FAIL $check: $msg"
	local log
	for log in "$@"; do tail_log "$log" 40; done
	return 1
}

# harness_uv: the uv that writes lockfiles at run time, installed from the package index (whatever
# pip is configured with) into a venv under the work dir; the version dockgen pins for the images
# (detectors/python.toml), so the image's uv reads its lockfile. Prints its path.
harness_uv() {
	local version venv log=$E2E_WORK/logs/uv-install.log
	version=$(sed -n 's/^uv_version = "\(.*\)"$/\1/p' "$REPO/detectors/python.toml")
	[ -n "$version" ] || die "no uv_version in detectors/python.toml"
	venv=$E2E_WORK/cache/uv-$version
	if [ ! -x "$venv/bin/uv" ]; then
		rm -rf "$venv"
		{ python3 -m venv "$venv" && "$venv/bin/python" -m pip install "uv==$version"; } >"$log" 2>&1 || {
			tail_log "$log" >&2
			die "installing uv $version into $venv failed"
		}
	fi
	echo "$venv/bin/uv"
}

# write_lock DIR: writes the lockfile of an app whose case sets LOCK (run in the app's directory,
# with the uv cache under the work dir and the host's certificate store).
write_lock() {
	local dir=$1
	case $LOCK in
	"") return 0 ;;
	uv)
		UV_CACHE_DIR=$E2E_WORK/cache/uv UV_SYSTEM_CERTS=1 UV_PYTHON_DOWNLOADS=never \
			"$(harness_uv)" lock --directory "$dir" >>"$APP_LOGS/lock.log" 2>&1
		;;
	npm)
		(cd "$dir" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund) >>"$APP_LOGS/lock.log" 2>&1
		;;
	pnpm)
		(cd "$dir" && npx --yes "pnpm@$(pnpm_version "$dir")" install --lockfile-only --ignore-scripts) >>"$APP_LOGS/lock.log" 2>&1
		;;
	*)
		say "  unknown LOCK=$LOCK" >>"$APP_LOGS/lock.log"
		return 1
		;;
	esac
}

# pnpm_version DIR: the pnpm that writes a lockfile: PNPM_VERSION, else the project's packageManager
# pin, else 10.
pnpm_version() {
	local pinned
	pinned=$(python3 -c 'import json, sys; pm = json.load(open(sys.argv[1])).get("packageManager", ""); print(pm.split("@")[1].split("+")[0] if pm.startswith("pnpm@") else "")' "$1/package.json" 2>/dev/null) || true
	echo "${PNPM_VERSION:-${pinned:-10}}"
}

# is_generated APP: the app's project is written at run time by its case's generate_project.
is_generated() { grep -qE '^generate_project\(\)' "$E2E_DIR/cases/$1/case.sh" 2>/dev/null; }

# generate_app APP: copies the app to the work dir and runs the fresh `dockgen init --yes` on it.
generate_app() {
	local app=$1
	load_case "$app"
	rm -rf "$APP_DIR" "$NAIVE_DIR" "$RESULT"
	mkdir -p "$APP_LOGS" "$(dirname "$APP_DIR")" "$(dirname "$NAIVE_DIR")"
	if declare -F generate_project >/dev/null; then
		mkdir -p "$APP_DIR"
		(generate_project "$APP_DIR") >"$APP_LOGS/generate.log" 2>&1 || {
			say "$app: generating the project failed"
			fail generate "generate_project failed" "$APP_LOGS/generate.log"
			return 1
		}
	else
		cp -a "$E2E_DIR/apps/$app" "$APP_DIR"
	fi
	write_lock "$APP_DIR" || {
		say "$app: writing the lockfile failed"
		fail generate "$LOCK lock failed" "$APP_LOGS/lock.log"
		return 1
	}
	# The naive build gets the same project, lockfile included.
	cp -a "$APP_DIR" "$NAIVE_DIR"
	if ! "$DOCKGEN" init --yes "${INIT_ARGS[@]}" "$APP_DIR" >"$APP_LOGS/init.log" 2>&1; then
		say "$app: dockgen init failed"
		fail generate "dockgen init --yes ${INIT_ARGS[*]} failed" "$APP_LOGS/init.log"
		return 1
	fi
	[ -f "$DOCKERFILE" ] || {
		fail generate "dockgen init wrote no ${DOCKERFILE#"$APP_DIR"/}" "$APP_LOGS/init.log"
		return 1
	}
	cp "$DOCKERFILE" "$APP_LOGS/Dockerfile"
	say "$app: ${DOCKERFILE#"$E2E_WORK"/} ($(grep -c '' "$DOCKERFILE") lines; images: $(app_images "$app" | tr '\n' ' '))"
}

# app_images APP: the images the app's generated Dockerfile refers to.
app_images() {
	load_case "$1"
	python3 "$E2E_DIR/lib/images.py" "$DOCKERFILE"
}

# build LOG TAG DOCKERFILE CONTEXT [ARGS...]: a BuildKit build with plain progress into LOG;
# prints the wall time in milliseconds. Builds take turns (one at a time across all apps) so that
# each one's time is its own; the apps' lanes still overlap their waits (health checks, HTTP).
build() {
	local log=$1 tag=$2 file=$3 ctx=$4 t0 rc=0 lock
	shift 4
	exec {lock}>"$E2E_WORK/build.lock"
	flock "$lock"
	t0=$(now_ms)
	timeout "$BUILD_TIMEOUT" /usr/bin/docker build --network host --progress=plain \
		--label "dockgen-e2e-app=$tag" -f "$file" -t "$tag" "$@" "$ctx" >"$log" 2>&1 || rc=$?
	echo $(($(now_ms) - t0))
	exec {lock}>&-
	return $rc
}

# cache_mounts FILE: snapshot of the engine's cache mounts (id, usage count, size, target).
cache_mounts() {
	docker system df -v --format '{{json .BuildCache}}' | python3 "$E2E_DIR/lib/buildlog.py" mounts >"$1"
}

# forget_cache_mounts: removes the cache mounts this app's Dockerfile declares, so its cold build
# starts without packages an earlier app of the same ecosystem left there (apps of one ecosystem
# run one after the other, so no running build uses them).
forget_cache_mounts() {
	local id
	cache_mounts "$APP_LOGS/mounts-before-cold"
	for id in $(python3 "$E2E_DIR/lib/buildlog.py" ids "$APP_LOGS/mounts-before-cold" "$DOCKERFILE"); do
		docker builder prune -f --filter "id=$id" >/dev/null
	done
}

# wait_http PATH EXPECT [SECONDS]: waits until GET PATH on the app's port answers with EXPECT in
# the body (EXPECT "" = any 2xx answer).
wait_http() {
	local path=$1 expect=$2 deadline body
	deadline=$(($(date +%s) + ${3:-40}))
	while [ "$(date +%s)" -lt "$deadline" ]; do
		if body=$(curl -fsS --max-time 3 "http://127.0.0.1:$PORT$path" 2>/dev/null); then
			case $body in *"$expect"*) return 0 ;; esac
		fi
		sleep 0.5
	done
	say "  GET $path: ${body:-no answer}" | head -3
	return 1
}

# run_container NAME IMAGE: starts the app on the host network.
run_container() {
	docker rm -f "$1" >/dev/null 2>&1 || true
	docker run -d --name "$1" --label dockgen-e2e --network host "$2" >/dev/null
}

# container_logs NAME FILE: the container's output, for failure reports.
container_logs() { docker logs "$1" >"$2" 2>&1 || true; }

# check_nonroot NAME IMAGE: every process of the container runs with a non-zero uid; prints how it
# was seen (`id -u` where the image has it, /proc for shell-less images).
check_nonroot() {
	local name=$1 image=$2 user pid uids puids how
	user=$(docker image inspect --format '{{.Config.User}}' "$image")
	case ${user%%:*} in "" | 0 | root)
		say "  image USER is '${user}'"
		return 1
		;;
	esac
	pid=$(docker inspect --format '{{.State.Pid}}' "$name")
	uids=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$pid/status")
	# `docker top` lists every process in the container (uid as seen from the host).
	puids=$(docker top "$name" -o pid,uid | awk 'NR > 1 { print $2 }' | sort -u | tr '\n' ' ')
	case " $uids $puids " in *" 0 "*)
		say "  a process runs as root (uids: $uids; processes: $puids)"
		return 1
		;;
	esac
	if how=$(docker exec "$name" id -u 2>/dev/null); then
		[ "$how" != 0 ] || return 1
		echo "uid $how (id -u)"
	else
		echo "uid ${uids%% *} (/proc, no id)"
	fi
}

# wait_healthy NAME DEADLINE: polls the health status until healthy (prints the seconds taken from
# START) or unhealthy / DEADLINE (epoch seconds).
wait_healthy() {
	local name=$1 start=$2 deadline=$3 status
	while :; do
		status=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$name")
		case $status in
		healthy)
			# When the first passing probe ended, from Docker's own health log.
			echo "healthy at $(docker inspect "$name" | python3 "$E2E_DIR/lib/buildlog.py" healthy || echo "?")s"
			return 0
			;;
		unhealthy | none)
			echo "$status"
			return 1
			;;
		esac
		[ "$(date +%s)" -lt "$deadline" ] || {
			echo "still $status after $((deadline - start))s"
			return 1
		}
		sleep 1
	done
}

# change_code DIR: the one-line code change (marker e2e-v1 → e2e-v2 in CODE_FILE).
change_code() {
	local file=$1/$CODE_FILE
	[ "$(grep -c 'e2e-v1' "$file")" = 1 ] || {
		say "  $CODE_FILE must hold the marker e2e-v1 on exactly one line"
		return 1
	}
	sed -i 's/e2e-v1/e2e-v2/' "$file"
}

# naive_base: the generated Dockerfile's image the naive Dockerfile builds on.
naive_base() {
	python3 "$E2E_DIR/lib/images.py" "$DOCKERFILE" | grep -E "$NAIVE_BASE_RE" | head -1
}

# cached_step LOG [WIDTH]: the dependency step (INSTALL_RE) must be reported CACHED; prints it
# shortened to WIDTH characters ("CACHED: npm ci --omit=dev"), or the steps that ran.
cached_step() {
	local log=$1 width=${2:-56} steps
	steps=$(python3 "$E2E_DIR/lib/buildlog.py" steps "$log" "$INSTALL_RE") || {
		say "  no build step matches /$INSTALL_RE/"
		return 1
	}
	if printf '%s\n' "$steps" | grep -q '^RAN '; then
		printf '%s\n' "$steps" | sed 's/^/  /'
		return 1
	fi
	# The last matching step, its instruction shortened.
	echo "CACHED: $(printf '%s\n' "$steps" | tail -1 | sed 's/^CACHED \[[^]]*\] //' | awk -v w="$width" '{ if (length($0) > w) print substr($0, 1, w - 1) "…"; else print }')"
}

# check_kept LOG BEFORE AFTER: did the code-only rebuild keep the dependencies? Prints how.
check_kept() {
	local log=$1 before=$2 after=$3 out reused crates
	case $KEEP in
	layer)
		# The dependency step is its own layer before the source copy: it must be CACHED.
		cached_step "$log"
		;;
	cargo)
		# The dependency layer (cargo chef cook) must be CACHED, and the build after the source
		# copy must compile no registry crate, only the project's own (workspace and path) crates.
		out=$(cached_step "$log" 30) || {
			printf '%s\n' "$out"
			return 1
		}
		crates=$(python3 "$E2E_DIR/lib/buildlog.py" crates "$log")
		if [ -n "$crates" ]; then
			say "  registry crates recompiled: $(printf '%s\n' "$crates" | tr '\n' ' ')"
			return 1
		fi
		echo "$out; 0 registry crates rebuilt"
		;;
	gobuild)
		# No module to download (standard library only): the compiled packages live in the
		# go-build cache mount, which the rebuild must reuse.
		reused=$(python3 "$E2E_DIR/lib/buildlog.py" reused "$before" "$after" "$DOCKERFILE" | grep -c '/root/.cache/go-build') || true
		[ "$reused" != 0 ] || {
			say "  the go-build cache mount was not reused"
			return 1
		}
		echo "go-build cache mount reused (no modules)"
		;;
	*)
		say "  unknown KEEP=$KEEP"
		return 1
		;;
	esac
}

# wait_logs NAME EXPECT [SECONDS]: waits until the container's output holds EXPECT (programs that
# serve nothing print the marker instead of answering it).
wait_logs() {
	local name=$1 expect=$2 deadline
	deadline=$(($(date +%s) + ${3:-40}))
	while [ "$(date +%s)" -lt "$deadline" ]; do
		docker logs "$name" 2>&1 | grep -qF "$expect" && return 0
		sleep 0.5
	done
	say "  the output of $name never showed $expect"
	return 1
}

# answers NAME EXPECT: the app shows the marker EXPECT: GET / for a server, its output otherwise.
answers() {
	case $SERVES in
	none) wait_logs "$1" "$2" ;;
	*) wait_http / "$2" ;;
	esac
}

# check_shape IMAGE: a program that serves nothing says so in its image: HEALTHCHECK NONE and no
# EXPOSE. Prints what it saw.
check_shape() {
	local test ports
	test=$(docker image inspect --format '{{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}' "$1")
	ports=$(docker image inspect --format '{{range $p, $v := .Config.ExposedPorts}}{{$p}} {{end}}' "$1")
	[ "$test" = '["NONE"]' ] || {
		say "  HEALTHCHECK is ${test:-not set} (a program that serves nothing needs HEALTHCHECK NONE)"
		return 1
	}
	[ -z "$ports" ] || {
		say "  the image exposes $ports but serves nothing"
		return 1
	}
	echo "HEALTHCHECK NONE, no EXPOSE"
}

# check_listen NAME: the server's listening socket on PORT accepts connections from outside the
# container (0.0.0.0 or ::), read from the host in /proc (the container's processes' sockets,
# whatever network it runs in). Prints the address.
check_listen() {
	local name=$1 pids out rc=0
	pids=$(docker top "$name" -o pid | awk 'NR > 1 { print $1 }')
	# shellcheck disable=SC2086 # one argument per PID
	out=$(python3 "$E2E_DIR/lib/listen.py" "$PORT" $pids) || rc=$?
	case $rc in
	0) echo "listens on $(printf '%s\n' "$out" | head -1)" ;;
	1)
		say "  listens on $(printf '%s\n' "$out" | tr '\n' ' ')only: not reachable from outside the container"
		return 1
		;;
	*)
		say "  no process of the container listens on port $PORT"
		return 1
		;;
	esac
}

# check_spa: a single-page app: the index answers, the client-side route SPA_ROUTE answers with
# the same index.html (fallback), and a hashed asset the index refers to (ASSET_RE) is served with
# a long-lived Cache-Control (max-age of 30 days or more, or immutable). Prints what it saw.
check_spa() {
	local base=http://127.0.0.1:$PORT index route asset headers cc age
	local re=${ASSET_RE:-'(src|href)="[^"]*[-.][A-Za-z0-9_-]{8,}\.(js|css|mjs)"'}
	index=$(curl -fsS --max-time 5 "$base/" 2>/dev/null) || {
		say "  GET / failed"
		return 1
	}
	route=$(curl -fsS --max-time 5 "$base$SPA_ROUTE" 2>/dev/null) || {
		say "  GET $SPA_ROUTE failed (no SPA fallback)"
		return 1
	}
	[ "$route" = "$index" ] || {
		say "  GET $SPA_ROUTE did not answer with index.html"
		return 1
	}
	asset=$(printf '%s' "$index" | grep -oE "$re" | head -1 | sed -E 's/^[a-z]+="//; s/"$//')
	[ -n "$asset" ] || {
		say "  index.html refers to no hashed asset matching /$re/"
		return 1
	}
	case $asset in
	http*) ;;
	/*) asset=$base$asset ;;
	*) asset=$base/${asset#./} ;;
	esac
	headers=$(curl -fsS --max-time 5 -D - -o /dev/null "$asset" 2>/dev/null) || {
		say "  GET $asset failed"
		return 1
	}
	cc=$(printf '%s\n' "$headers" | tr -d '\r' | awk -F': *' 'tolower($1) == "cache-control" { print $2 }' | tail -1)
	age=$(printf '%s' "$cc" | grep -oE 'max-age=[0-9]+' | cut -d= -f2 | head -1)
	case $cc in
	*immutable*) ;;
	*)
		[ "${age:-0}" -ge 2592000 ] || {
			say "  ${asset#"$base"} has Cache-Control: ${cc:-none} (a hashed asset needs max-age >= 30 days or immutable)"
			return 1
		}
		;;
	esac
	echo "SPA fallback $SPA_ROUTE; ${asset#"$base"}: $cc"
}

# wait_alive NAME START: a program that serves nothing passes when it still runs RUN_SECONDS after
# START or has exited with 0 (a one-shot job); prints which.
wait_alive() {
	local name=$1 start=$2 state
	while :; do
		state=$(docker inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$name")
		case $state in
		"exited 0")
			echo "exited 0 after $(($(date +%s) - start))s"
			return 0
			;;
		exited* | dead*)
			echo "died ($state)"
			return 1
			;;
		esac
		if [ "$(date +%s)" -ge $((start + RUN_SECONDS)) ]; then
			echo "still running after ${RUN_SECONDS}s"
			return 0
		fi
		sleep 1
	done
}

# change_other DIR: a change to OTHER_FILE (a file of another workspace member than the app): one
# comment line appended, in the file's own syntax.
change_other() {
	local file=$1/$OTHER_FILE
	[ -f "$file" ] || {
		say "  OTHER_FILE $OTHER_FILE does not exist"
		return 1
	}
	case $file in
	*.py | *.toml | *.sh | *.rb | *.yaml | *.yml) echo "# e2e: another member changed" >>"$file" ;;
	*.css) echo "/* e2e: another member changed */" >>"$file" ;;
	*) echo "// e2e: another member changed" >>"$file" ;;
	esac
}

# run_app APP: every check for one app; figures and results go to $E2E_WORK/results/APP.tsv.
run_app() {
	local app=$1 img c ms base out t_run before after
	load_case "$app"
	img=dockgen-e2e-app/$app
	c=e2e-$app
	if [ "$SERVES" = none ]; then say "-- $app (serves nothing)"; else say "-- $app (port $PORT)"; fi
	[ -z "$NOTE" ] || say "  note: $NOTE"

	# 1. Cold build of the generated Dockerfile, run it, answer, non-root.
	forget_cache_mounts
	ms=$(build "$APP_LOGS/build-cold.log" "$img:v1" "$DOCKERFILE" "$APP_DIR") ||
		{ fail build "cold build failed ($(secs "$ms")s)" "$APP_LOGS/build-cold.log"; return 1; }
	record cold_ms "$ms"
	say "  cold build $(secs "$ms")s"
	if [ "$SERVES" = none ]; then
		out=$(check_shape "$img:v1") || { fail shape "$out"; return 1; }
		say "  $out"
	fi
	run_container "$c" "$img:v1" || { fail run "docker run failed"; return 1; }
	t_run=$(date +%s)
	answers "$c" e2e-v1 || {
		container_logs "$c" "$APP_LOGS/run-v1.log"
		if [ "$SERVES" = none ]; then
			fail run "the program never printed e2e-v1" "$APP_LOGS/run-v1.log"
		else
			fail http "GET / did not answer with e2e-v1" "$APP_LOGS/run-v1.log"
		fi
		return 1
	}
	if [ "$SERVES" != none ]; then
		wait_http "$HEALTH_PATH" "" 5 || {
			container_logs "$c" "$APP_LOGS/run-v1.log"
			fail http "GET $HEALTH_PATH did not answer" "$APP_LOGS/run-v1.log"
			return 1
		}
		out=$(check_listen "$c") || { fail listen "$out"; return 1; }
		record listen "$out"
		say "  $out"
		if [ -n "$SPA_ROUTE" ]; then
			out=$(check_spa) || { fail spa "$out"; return 1; }
			record spa "$out"
			say "  $out"
		fi
	fi
	if [ "$SERVES" = none ] && [ "$(docker inspect --format '{{.State.Running}}' "$c")" != true ]; then
		# A one-shot program may be done already: its image's USER is what can be checked.
		out=$(docker image inspect --format '{{.Config.User}}' "$img:v1")
		case ${out%%:*} in "" | 0 | root) fail nonroot "image USER is '$out'"; return 1 ;; esac
		out="USER $out (exited)"
	else
		out=$(check_nonroot "$c" "$img:v1") || { fail nonroot "runs as root: $out"; return 1; }
	fi
	record nonroot "$out"
	if [ "$SERVES" = none ]; then say "  printed e2e-v1, $out"; else say "  answers on :$PORT, $out"; fi

	# 2. The naive Dockerfile on the same base, from the same (untouched) project.
	if [ "$NAIVE" = 1 ]; then
		base=$(naive_base)
		[ -n "$base" ] || { fail naive "no image matching /$NAIVE_BASE_RE/ in the generated Dockerfile"; return 1; }
		ms=$(build "$APP_LOGS/naive-cold.log" "$img:naive-v1" "$E2E_DIR/cases/$app/naive.Dockerfile" \
			"$NAIVE_DIR" --build-arg "BASE=$base") ||
			{ fail naive "naive build failed" "$APP_LOGS/naive-cold.log"; return 1; }
		record naive_cold_ms "$ms"
	fi

	# 3. A one-line code change: the dependency step must be kept and the new code live.
	change_code "$APP_DIR" && change_code "$NAIVE_DIR" || { fail code "code change failed"; return 1; }
	cache_mounts "$APP_LOGS/mounts-before-code"
	ms=$(build "$APP_LOGS/build-code.log" "$img:v2" "$DOCKERFILE" "$APP_DIR") ||
		{ fail build "rebuild after the code change failed" "$APP_LOGS/build-code.log"; return 1; }
	record code_ms "$ms"
	cache_mounts "$APP_LOGS/mounts-after-code"
	out=$(check_kept "$APP_LOGS/build-code.log" "$APP_LOGS/mounts-before-code" "$APP_LOGS/mounts-after-code") ||
		{ say "$out"; fail cache "dependencies were not kept after a code-only change" "$APP_LOGS/build-code.log"; return 1; }
	record kept "$out"
	say "  code-change rebuild $(secs "$ms")s, $out"
	# 3b. A change in another workspace member than the app keeps the install step too.
	if [ -n "$OTHER_FILE" ]; then
		change_other "$APP_DIR" || { fail other "changing $OTHER_FILE failed"; return 1; }
		ms=$(build "$APP_LOGS/build-other.log" "$img:v2" "$DOCKERFILE" "$APP_DIR") ||
			{ fail build "rebuild after the change in $OTHER_FILE failed" "$APP_LOGS/build-other.log"; return 1; }
		record other_ms "$ms"
		out=$(cached_step "$APP_LOGS/build-other.log") ||
			{ say "$out"; fail cache "the install step ran again after a change in $OTHER_FILE" "$APP_LOGS/build-other.log"; return 1; }
		record other_kept "$out"
		say "  rebuild after a change in $OTHER_FILE $(secs "$ms")s, $out"
	fi
	if [ "$NAIVE" = 1 ]; then
		ms=$(build "$APP_LOGS/naive-code.log" "$img:naive-v2" "$E2E_DIR/cases/$app/naive.Dockerfile" \
			"$NAIVE_DIR" --build-arg "BASE=$base") ||
			{ fail naive "naive rebuild failed" "$APP_LOGS/naive-code.log"; return 1; }
		record naive_code_ms "$ms"
		# The naive file's only RUN is the install (and build): how much of its rebuild it takes.
		record naive_install_s "$(python3 "$E2E_DIR/lib/buildlog.py" seconds "$APP_LOGS/naive-code.log" '^RUN')"
		say "  naive code-change rebuild $(secs "$ms")s"
		record naive_size "$(docker image inspect --format '{{.Size}}' "$img:naive-v2")"
		docker rmi -f "$img:naive-v1" "$img:naive-v2" >/dev/null 2>&1 || true
	fi
	record size "$(docker image inspect --format '{{.Size}}' "$img:v2")"

	# 4. The first container's HEALTHCHECK (its first probe runs one interval after the start);
	# a program that serves nothing instead runs RUN_SECONDS without dying, or exits 0.
	if [ "$SERVES" = none ]; then
		out=$(wait_alive "$c" "$t_run") || {
			container_logs "$c" "$APP_LOGS/run-v1.log"
			fail run "$out" "$APP_LOGS/run-v1.log"
			return 1
		}
	else
		out=$(wait_healthy "$c" "$t_run" $((t_run + HEALTH_TIMEOUT))) || {
			docker inspect --format '{{range .State.Health.Log}}exit {{.ExitCode}}: {{.Output}}{{println}}{{end}}' \
				"$c" >"$APP_LOGS/health.log" 2>&1 || true
			container_logs "$c" "$APP_LOGS/run-v1.log"
			fail health "$out" "$APP_LOGS/health.log" "$APP_LOGS/run-v1.log"
			return 1
		}
	fi
	record health "$out"
	say "  $out"
	docker rm -f "$c" >/dev/null

	# 5. The rebuilt image serves the changed code.
	run_container "$c" "$img:v2" || { fail run "docker run (v2) failed"; return 1; }
	answers "$c" e2e-v2 || {
		container_logs "$c" "$APP_LOGS/run-v2.log"
		fail code "the rebuilt image does not serve the changed code" "$APP_LOGS/run-v2.log" "$APP_LOGS/build-code.log"
		return 1
	}
	docker rm -f "$c" >/dev/null

	# 6. A dependency change (manifest + lockfile from cases/APP/deps, or the case's change_deps):
	# rebuilds, reusing the package manager's cache mount, and still serves.
	if declare -F change_deps >/dev/null; then
		(change_deps "$APP_DIR") >>"$APP_LOGS/deps-change.log" 2>&1 ||
			{ fail deps "change_deps failed" "$APP_LOGS/deps-change.log"; return 1; }
	else
		cp -a "$E2E_DIR/cases/$app/deps/." "$APP_DIR/"
	fi
	write_lock "$APP_DIR" || { fail deps "$LOCK lock after the dependency change failed" "$APP_LOGS/lock.log"; return 1; }
	cache_mounts "$APP_LOGS/mounts-before-deps"
	ms=$(build "$APP_LOGS/build-deps.log" "$img:v3" "$DOCKERFILE" "$APP_DIR") ||
		{ fail deps "rebuild after the dependency change failed" "$APP_LOGS/build-deps.log"; return 1; }
	record deps_ms "$ms"
	# The install step must have run again (the new dependency is in the image).
	if python3 "$E2E_DIR/lib/buildlog.py" steps "$APP_LOGS/build-deps.log" "$INSTALL_RE" | grep '^RAN ' >/dev/null; then :; else
		fail deps "the install step /$INSTALL_RE/ did not run after the dependency change" "$APP_LOGS/build-deps.log"
		return 1
	fi
	cache_mounts "$APP_LOGS/mounts-after-deps"
	out=$(python3 "$E2E_DIR/lib/buildlog.py" reused "$APP_LOGS/mounts-before-deps" "$APP_LOGS/mounts-after-deps" "$DOCKERFILE") ||
		{ fail deps "the dependency rebuild used no existing cache mount" "$APP_LOGS/build-deps.log"; return 1; }
	record deps_mounts "$(printf '%s\n' "$out" | awk '{ printf "%s%s (%s)", sep, $1, $2; sep = ", " }')"
	run_container "$c" "$img:v3" || { fail run "docker run (v3) failed"; return 1; }
	answers "$c" e2e-v2 || {
		container_logs "$c" "$APP_LOGS/run-v3.log"
		fail deps "the image with the changed dependencies does not answer" "$APP_LOGS/run-v3.log"
		return 1
	}
	docker rm -f "$c" >/dev/null
	say "  dependency-change rebuild $(secs "$ms")s, cache mounts reused: $(result "$app" deps_mounts)"
	record status pass
}

# run_apps APP...: runs the apps in E2E_JOBS lanes. Apps of one ecosystem (name prefix) share a
# lane, so two builds that use the same cache mounts never overlap and each mount check sees only
# its own build.
run_apps() {
	local lanes=() app group i best
	declare -A group_size=()
	for app in "$@"; do group_size[${app%%-*}]=$((${group_size[${app%%-*}]:-0} + 1)); done
	declare -A lane_of=()
	local -a lane_load=()
	for ((i = 0; i < E2E_JOBS; i++)); do lane_load[i]=0; done
	for group in $(for g in "${!group_size[@]}"; do echo "${group_size[$g]} $g"; done | sort -rn | awk '{ print $2 }'); do
		best=0
		for ((i = 1; i < E2E_JOBS; i++)); do
			[ "${lane_load[i]}" -lt "${lane_load[best]}" ] && best=$i
		done
		lane_of[$group]=$best
		lane_load[best]=$((lane_load[best] + group_size[$group]))
	done
	for ((i = 0; i < E2E_JOBS; i++)); do lanes[i]=""; done
	for app in "$@"; do
		i=${lane_of[${app%%-*}]}
		lanes[i]="${lanes[i]} $app"
	done
	local pids=()
	for ((i = 0; i < E2E_JOBS; i++)); do
		[ -n "${lanes[i]}" ] || continue
		(
			for app in ${lanes[i]}; do
				local t0
				t0=$(now_ms)
				run_app "$app" >"$E2E_WORK/logs/$app/summary.txt" 2>&1 || true
				printf 'took_ms\t%s\n' $(($(now_ms) - t0)) >>"$E2E_WORK/results/$app.tsv"
				say "  ($app took $(secs $(($(now_ms) - t0)))s)" >>"$E2E_WORK/logs/$app/summary.txt"
				# Its images are not needed any more (the build cache keeps the layers the
				# other apps share); keeps the engine's disk use flat as apps are added.
				[ "$KEEP_IMAGES" = 1 ] || docker images --filter "label=dockgen-e2e-app" --format '{{.Repository}}:{{.Tag}}' |
					grep "^dockgen-e2e-app/$app:" | xargs -r /usr/bin/docker rmi -f >/dev/null 2>&1 || true
				cat "$E2E_WORK/logs/$app/summary.txt"
			done
		) &
		pids+=($!)
		BG_PIDS+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || true; done
}

# report APP...: the table (stdout, and tests/e2e/results.md with --bench) and the verdict line.
report() {
	local app rows=() passed=0 total=0 status
	local header="| app | cold build | code-change rebuild | naive rebuild | speed-up | image MiB | naive MiB | size vs naive | deps after code change | non-root | health | app time | result |"
	local rule="|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|---:|---|"
	for app in "$@"; do
		total=$((total + 1))
		status=$(result "$app" status)
		if [ "$status" = pass ]; then
			passed=$((passed + 1))
			status=pass
		else
			status="FAIL: $(result "$app" failed) — $(result "$app" reason)"
		fi
		local cold code naive size nsize took
		cold=$(result "$app" cold_ms) code=$(result "$app" code_ms) naive=$(result "$app" naive_code_ms)
		took=$(result "$app" took_ms)
		size=$(result "$app" size) nsize=$(result "$app" naive_size)
		rows+=("| $app | ${cold:+$(secs "$cold")s} | ${code:+$(secs "$code")s} | ${naive:+$(secs "$naive")s} | ${naive:+$(ratio "$naive" "$code")×} | ${size:+$(mib "$size")} | ${nsize:+$(mib "$nsize")} | ${size:+$(percent "$size" "$nsize")} | $(result "$app" kept) | $(result "$app" nonroot) | $(result "$app" health) | ${took:+$(secs "$took")s} | $status |")
	done
	local verdict="e2e: $passed/$total apps built, ran as non-root, healthy, cache kept"
	# Per-app wall time (lanes overlap, so these add up to more than the total).
	say "per-app time: $(for app in "$@"; do t=$(result "$app" took_ms); echo "$app ${t:+$(secs "$t")s}"; done | sort -t' ' -k2 -rn | paste -sd, - | sed 's/,/, /g')"
	{
		printf '%s\n%s\n' "$header" "$rule"
		printf '%s\n' "${rows[@]}"
	} | tee "$E2E_WORK/results/table.md"
	say ""
	say "total time $(secs $(($(now_ms) - T_START)))s"
	if [ "$BENCH" = 1 ]; then
		write_results_md "$@" >"$E2E_DIR/results.md"
		say "wrote ${E2E_DIR#"$REPO"/}/results.md"
	fi
	say "$verdict"
	[ "$passed" = "$total" ]
}

# join ITEM...: the items separated by ", " ("none" when there are none).
join() {
	[ $# -gt 0 ] || {
		echo none
		return
	}
	local out=$1 item
	shift
	for item in "$@"; do out="$out, $item"; done
	echo "$out"
}

# write_results_md APP...: the figures of this run as Markdown.
write_results_md() {
	local app
	cat <<-EOF
		# dockgen end-to-end results

		Written by \`tests/e2e/run.sh --bench\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo),
		Docker Engine $(docker version --format '{{.Server.Version}}' 2>/dev/null) with BuildKit, $E2E_JOBS apps at a time) with dockgen $("$DOCKGEN" --version | awk '{ print $2 }').
		Figures come from one run on one machine: read them as ratios, not absolute times. Base images
		are local stand-ins (no registry here), so image sizes are stand-in sizes; see the end.

		- *cold build*: generated Dockerfile, empty build cache (stand-in base images present). A stage
		  two apps share is built by the first one only: the Rust chef stage, which compiles cargo-chef,
		  is part of the first Rust app's cold build.
		- *code-change rebuild*: after changing one source line; *naive rebuild*: the same change
		  with the naive Dockerfile (one stage, \`COPY . .\` before the dependency install, same base).
		- *size vs naive*: the final image's size as a percentage of the naive image's.
		- *deps after code change*: how the rebuild kept the dependencies (a \`CACHED\` install layer, for
		  Rust \`cargo chef cook\` with no registry crate compiled after it; for Go the compiled packages
		  in a BuildKit cache mount).

	EOF
	cat "$E2E_WORK/results/table.md"
	echo
	echo "Dependency change (manifest + lockfile with one more package):"
	echo
	for app in "$@"; do
		local d
		d=$(result "$app" deps_ms)
		[ -n "$d" ] && echo "- $app: rebuilt in $(secs "$d")s, cache mounts reused: $(result "$app" deps_mounts)"
	done
	echo
	echo "## Against the targets"
	echo
	local kept=0 fast=() slow=() small=() big=() larger=() n=0 sp pc
	for app in "$@"; do
		n=$((n + 1))
		[ -n "$(result "$app" kept)" ] && kept=$((kept + 1))
		[ -n "$(result "$app" code_ms)" ] || continue
		sp=$(ratio "$(result "$app" naive_code_ms)" "$(result "$app" code_ms)")
		if awk -v r="$sp" 'BEGIN { exit !(r >= 10) }'; then
			fast+=("$app ${sp}×")
		else
			slow+=("$app ${sp}× (naive install $(result "$app" naive_install_s)s)")
		fi
		pc=$(percent "$(result "$app" size)" "$(result "$app" naive_size)")
		if awk -v a="$(result "$app" size)" -v b="$(result "$app" naive_size)" 'BEGIN { exit !(a * 3 <= b) }'; then
			small+=("$app $pc")
		else
			big+=("$app $pc")
		fi
		if awk -v a="$(result "$app" size)" -v b="$(result "$app" naive_size)" 'BEGIN { exit !(a > b) }'; then
			larger+=("$app $pc")
		fi
	done
	echo "- Dependencies kept after a code-only change: $kept/$n apps."
	echo "- Code-change rebuild at least 10× faster than naive: $(join "${fast[@]}")."
	[ ${#slow[@]} -eq 0 ] || echo "  Below 10×: $(join "${slow[@]}"). There the naive reinstall itself takes only seconds (small apps, a fast package mirror), so BuildKit's fixed cost per build bounds the ratio."
	echo "- Final image at most 1/3 of the naive one: $(join "${small[@]}")."
	[ ${#big[@]} -eq 0 ] || echo "  Above 1/3: $(join "${big[@]}"). Same runtime base on both sides; the interpreter or JVM image dominates, and the generated image saves only build tools, dev dependencies and caches."
	[ ${#larger[@]} -eq 0 ] || echo "- Larger than the naive image (a finding for the generator; compare \`docker history\` of both): $(join "${larger[@]}")."
	local notes=0
	for app in "$@"; do
		load_case "$app"
		if [ -n "$NOTE" ]; then
			[ $notes = 1 ] || printf '\nWhat this network keeps out of reach:\n\n'
			notes=1
			echo "- $app: $NOTE"
		fi
	done
	echo
	echo "Stand-in base images (how they differ from the official images):"
	echo
	echo '```'
	cat "$E2E_WORK/results/standins.txt"
	echo '```'
}
