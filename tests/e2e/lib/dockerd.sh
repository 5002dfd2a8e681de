# shellcheck shell=bash
# The harness's own Docker engine: Debian's docker.io, started in the background with every path
# under $E2E_WORK/dockerd, driven by Debian's client, stopped by PID and cleaned up on exit.
# Sourced by run.sh.

DOCKERD_DIR="$E2E_WORK/dockerd"
DOCKERD_PID=""

# The packaged client: the newer CLI that may come first on PATH refuses BuildKit without buildx.
docker() { /usr/bin/docker "$@"; }

# ensure_host_packages: installs docker.io, debootstrap and Python's venv (for the harness's own uv)
# from Debian when missing.
ensure_host_packages() {
	local missing=()
	[ -x /usr/bin/docker ] && [ -x /usr/sbin/dockerd ] || missing+=(docker.io)
	command -v debootstrap >/dev/null || missing+=(debootstrap)
	python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]} from Debian's packages"
	[ "$(id -u)" = 0 ] || die "installing ${missing[*]} needs root"
	apt-get update -qq >"$E2E_WORK/apt.log" 2>&1 || {
		tail_log "$E2E_WORK/apt.log"
		die "apt-get update failed"
	}
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
		>>"$E2E_WORK/apt.log" 2>&1 || {
		tail_log "$E2E_WORK/apt.log"
		die "apt-get install ${missing[*]} failed"
	}
}

# start_dockerd: starts the engine and waits until it answers; exports DOCKER_HOST for the client.
start_dockerd() {
	local d=$DOCKERD_DIR
	mkdir -p "$d"
	# No bridge, no iptables, no forwarding: the engine must not touch the host's network setup,
	# so builds and containers use --network host.
	cat >"$d/daemon.json" <<-JSON
		{
		  "storage-driver": "overlay2",
		  "iptables": false,
		  "ip6tables": false,
		  "ip-masq": false,
		  "ip-forward": false,
		  "bridge": "none",
		  "features": { "buildkit": true },
		  "deprecated-key-path": "$d/key.json",
		  "shutdown-timeout": 5,
		  "log-level": "warn"
		}
	JSON
	rm -f "$d/docker.pid" "$d/docker.sock"
	setsid /usr/sbin/dockerd --config-file "$d/daemon.json" --data-root "$d/data" \
		--exec-root "$d/exec" --pidfile "$d/docker.pid" -H "unix://$d/docker.sock" \
		>"$d/dockerd.log" 2>&1 </dev/null &
	DOCKERD_PID=$!
	export DOCKER_HOST="unix://$d/docker.sock" DOCKER_BUILDKIT=1 DOCKER_CONFIG="$d/client"
	mkdir -p "$DOCKER_CONFIG"
	for _ in $(seq 1 100); do
		if docker version >/dev/null 2>&1; then
			say "dockerd $(docker version --format '{{.Server.Version}}') running as PID $DOCKERD_PID under ${d#"$REPO"/}"
			return 0
		fi
		kill -0 "$DOCKERD_PID" 2>/dev/null || break
		sleep 0.2
	done
	tail_log "$d/dockerd.log"
	die "dockerd did not start"
}

# stop_dockerd: removes the harness's containers, stops the engine by its PID (and anything left in
# its process group, e.g. its containerd), then unmounts whatever it left mounted under the work dir.
stop_dockerd() {
	[ -n "$DOCKERD_PID" ] || return 0
	local pid=$DOCKERD_PID
	DOCKERD_PID=""
	if kill -0 "$pid" 2>/dev/null; then
		local ids
		ids=$(docker ps -aq --filter label=dockgen-e2e 2>/dev/null || true)
		[ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || true
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
	fi
	# setsid made dockerd the leader of its own process group: whatever is left in it is ours.
	kill -KILL -- "-$pid" 2>/dev/null || true
	unmount_under "$DOCKERD_DIR"
}

# unmount_under DIR: lazily unmounts every mount point below DIR, deepest first.
unmount_under() {
	local dir mp
	dir=$(readlink -f "$1")
	awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r |
		while read -r mp; do
			umount -l "$(printf '%b' "$mp")" 2>/dev/null || warn "could not unmount $mp"
		done
}
