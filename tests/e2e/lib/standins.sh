# shellcheck shell=bash
# Stand-in base images: a debootstrap'd Debian bookworm imported once, then one recipe per kind of
# official image (tests/e2e/standins/*.Dockerfile), tagged with exactly the names the generated
# Dockerfiles use. Images are keyed by a hash of recipe, build arguments and host payload, so a rerun
# with the same work dir reuses them. Sourced by run.sh.

STANDINS="$E2E_DIR/standins"
BASE_IMAGE="dockgen-e2e/base:bookworm"
# Bump the suffix when the way the root file system is made changes.
ROOTFS_TAR="$E2E_WORK/cache/bookworm-minbase-2.tar"

# debian_mirror: the Debian mirror the host's apt fetches bookworm from (the first deb822 stanza in
# /etc/apt/sources.list.d/*.sources whose Suites has bookworm, else a `deb URI bookworm ...` line of
# /etc/apt/sources.list or *.list), so that no mirror is written into the harness.
debian_mirror() {
	local m="" f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		m=$(awk -v RS= '{
			uri = ""; deb = 0; suite = 0; on = 1
			n = split($0, line, "\n")
			for (i = 1; i <= n; i++) {
				l = line[i]
				if (l ~ /^[Uu][Rr][Ii][Ss]:/) { sub(/^[^:]*:[ \t]*/, "", l); split(l, u, /[ \t]+/); uri = u[1] }
				else if (l ~ /^[Tt]ypes:/) { deb = (l " ") ~ /[ \t]deb[ \t]/ }
				else if (l ~ /^[Ss]uites:/) { suite = (l " ") ~ /[ \t]bookworm[ \t]/ }
				else if (l ~ /^[Ee]nabled:[ \t]*no/) { on = 0 }
			}
			if (uri != "" && deb && suite && on) { print uri; exit }
		}' "$f")
		[ -z "$m" ] || break
	done
	if [ -z "$m" ]; then
		m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '
			$1 == "deb" {
				i = 2
				if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
				if ($(i + 1) == "bookworm") { print $i; exit }
			}')
	fi
	[ -n "$m" ] || die "no Debian mirror for bookworm in the host's apt sources (/etc/apt/sources.list.d/*.sources or /etc/apt/sources.list)"
	printf '%s\n' "${m%/}"
}

# make_base_image: debootstraps bookworm (cached as a tarball under the work dir) and imports it.
make_base_image() {
	if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
		return 0
	fi
	local t0 log=$E2E_WORK/logs/debootstrap.log
	t0=$(now_ms)
	if [ ! -s "$ROOTFS_TAR" ]; then
		local root=$E2E_WORK/cache/rootfs
		unmount_under "$root" 2>/dev/null || true
		rm -rf "$root"
		mkdir -p "$root"
		debootstrap --variant=minbase bookworm "$root" "$(debian_mirror)" >"$log" 2>&1 || {
			unmount_under "$root"
			tail_log "$log"
			die "debootstrap failed"
		}
		unmount_under "$root"
		rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
		# Like the official slim images: no docs, man pages or translations, now or in later installs.
		rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
		printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
			'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
			>"$root/etc/dpkg/dpkg.cfg.d/docker-slim"
		# The test network's TLS gateway: trusted by stand-ins only (update-ca-certificates picks
		# these up when a recipe installs ca-certificates).
		mkdir -p "$root/usr/local/share/ca-certificates"
		cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
		tar -C "$root" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf "$ROOTFS_TAR.tmp" .
		mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
		rm -rf "$root"
	fi
	docker import \
		--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		--change 'CMD ["bash"]' "$ROOTFS_TAR" "$BASE_IMAGE" >/dev/null ||
		die "docker import of the bookworm rootfs failed"
	say "base image $BASE_IMAGE ready in $(secs $(($(now_ms) - t0)))s"
}

# standin_for IMAGE: prints "KIND [BUILD_ARG=VALUE...]" for an image name, or fails when no stand-in
# recipe fits (the caller reports the name).
standin_for() {
	local ref=$1 repo tag
	repo=${ref%:*}
	tag=${ref##*:}
	[ "$repo" != "$ref" ] || return 1
	case "$repo:$tag" in
	debian:bookworm-slim | debian:bookworm | debian:12-slim | debian:12) echo base ;;
	python:*-slim-bookworm | python:*-slim) echo python ;;
	node:*-bookworm-slim | node:*-slim) echo node ;;
	rust:*-slim-bookworm | rust:*-slim) echo rust ;;
	golang:*-bookworm)
		local minor
		minor=$(printf '%s' "${tag%-bookworm}" | grep -oE '^1\.[0-9]+') || return 1
		case $minor in 1.21 | 1.22 | 1.23) echo "golang GO_MINOR=$minor" ;; *) return 1 ;; esac
		;;
	gcr.io/distroless/static-debian12:nonroot) echo "distroless VARIANT=static" ;;
	gcr.io/distroless/cc-debian12:nonroot) echo "distroless VARIANT=cc" ;;
	busybox:*-musl) echo busybox ;;
	php:*-apache | php:*-apache-bookworm | php:*-apache-trixie) echo php ;;
	composer:*) echo composer ;;
	maven:*-eclipse-temurin-*) echo maven ;;
	eclipse-temurin:*-jdk | eclipse-temurin:*-jdk-jammy | eclipse-temurin:*-jdk-noble)
		echo "temurin PACKAGE=openjdk-17-jdk-headless" ;;
	eclipse-temurin:*-jre | eclipse-temurin:*-jre-jammy | eclipse-temurin:*-jre-noble)
		echo "temurin PACKAGE=openjdk-17-jre-headless" ;;
	*) return 1 ;;
	esac
}

# stage_payload KIND DIR: puts what the recipe copies from the host into its build context, and
# prints a fingerprint of it (so a new host toolchain makes a new stand-in).
stage_payload() {
	local kind=$1 dir=$2
	case $kind in
	node)
		local node_bin npm_dir
		node_bin=$(readlink -f "$(command -v node)") || die "the node stand-in needs a node binary on the host"
		npm_dir=$(dirname "$(dirname "$node_bin")")/lib/node_modules
		[ -d "$npm_dir/npm" ] || die "the node stand-in needs npm next to $node_bin ($npm_dir/npm)"
		cp "$node_bin" "$dir/node"
		mkdir -p "$dir/node_modules"
		cp -a "$npm_dir/npm" "$dir/node_modules/"
		[ -d "$npm_dir/corepack" ] && cp -a "$npm_dir/corepack" "$dir/node_modules/"
		"$node_bin" --version
		;;
	rust)
		local sysroot
		sysroot=$(rustc +stable --print sysroot 2>/dev/null || rustc --print sysroot) ||
			die "the rust stand-in needs the host's rust toolchain"
		mkdir -p "$dir/toolchain"
		# Hard links when the work dir shares the file system (fast, no extra space).
		cp -al "$sysroot/bin" "$sysroot/lib" "$dir/toolchain/" 2>/dev/null ||
			cp -a "$sysroot/bin" "$sysroot/lib" "$dir/toolchain/"
		rm -rf "$dir/toolchain/lib/rustlib/src" "$dir/toolchain/lib/rustlib/etc"
		cp "$(command -v rustup)" "$dir/rustup" || die "the rust stand-in needs rustup on the host"
		"$sysroot/bin/rustc" --version
		;;
	*) echo none ;;
	esac
}

# build_standin KIND [ARG=VALUE...]: builds (or reuses) one stand-in and prints its image name.
build_standin() {
	local kind=$1
	shift
	local recipe=$STANDINS/$kind.Dockerfile
	if [ "$kind" = base ]; then
		echo "$BASE_IMAGE"
		return 0
	fi
	[ -f "$recipe" ] || die "no stand-in recipe $recipe"
	local label=${kind}${1:+-${1#*=}} ctx fingerprint key image log a
	ctx=$E2E_WORK/standins/$label
	rm -rf "$ctx"
	mkdir -p "$ctx"
	fingerprint=$(stage_payload "$kind" "$ctx")
	key=$( {
		cat "$recipe"
		echo "$* $fingerprint"
		docker image inspect --format '{{.Id}}' "$BASE_IMAGE"
	} | sha256sum | cut -c1-12)
	image="dockgen-e2e/$label:$key"
	if ! docker image inspect "$image" >/dev/null 2>&1; then
		log=$E2E_WORK/logs/standin-$label.log
		local build_args=(--build-arg "BASE=$BASE_IMAGE")
		for a in "$@"; do build_args+=(--build-arg "$a"); done
		# Recipes that add an apt source take the host's mirror (not part of the image key).
		! grep -q '^ARG DEBIAN_MIRROR$' "$recipe" || build_args+=(--build-arg "DEBIAN_MIRROR=$(debian_mirror)")
		docker build --network host --progress=plain -f "$recipe" "${build_args[@]}" -t "$image" "$ctx" \
			>"$log" 2>&1 || {
			tail_log "$log" >&2
			die "building the $label stand-in failed"
		}
	fi
	rm -rf "$ctx"
	echo "$image"
}

# make_standins IMAGE...: builds the stand-in for each image name and tags it with that name;
# an image name no recipe covers is an error naming it.
make_standins() {
	local ref spec unknown=() t0
	t0=$(now_ms)
	for ref in "$@"; do
		standin_for "$ref" >/dev/null || unknown+=("$ref")
	done
	[ ${#unknown[@]} -eq 0 ] ||
		die "no stand-in recipe for image(s): ${unknown[*]} (add one to tests/e2e/lib/standins.sh and tests/e2e/standins/)"
	make_base_image
	# Distinct stand-ins build in parallel (mostly apt downloads); names map onto them afterwards.
	local specs=() pids=() i
	mapfile -t specs < <(for ref in "$@"; do standin_for "$ref"; done | sort -u)
	mkdir -p "$E2E_WORK/standins"
	for i in "${!specs[@]}"; do
		# shellcheck disable=SC2086
		build_standin ${specs[$i]} >"$E2E_WORK/standins/image.$i" &
		pids+=($!)
	done
	local failed=0
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || failed=1
	done
	[ $failed = 0 ] || die "a stand-in image failed to build (see above)"
	for ref in "$@"; do
		spec=$(standin_for "$ref")
		for i in "${!specs[@]}"; do
			if [ "${specs[$i]}" = "$spec" ]; then
				docker tag "$(cat "$E2E_WORK/standins/image.$i")" "$ref"
			fi
		done
	done
	say "stand-ins ready in $(secs $(($(now_ms) - t0)))s"
}

# describe_standins IMAGE...: how each stand-in differs from the official image it replaces.
describe_standins() {
	local ref spec size have
	printf '%-44s %-9s %s\n' "image name (tag used)" "size MiB" "stand-in contents (differs from the official image)"
	for ref in "$@"; do
		spec=$(standin_for "$ref")
		size=$(mib "$(docker image inspect --format '{{.Size}}' "$ref" 2>/dev/null || echo 0)")
		case ${spec%% *} in
		base) have="debootstrap minbase bookworm (official slim: same release, similar size)" ;;
		python) have="Debian $(docker run --rm --network host "$ref" python --version 2>&1) (tag says ${ref#python:})" ;;
		node) have="host node $(docker run --rm --network host "$ref" node --version), npm $(docker run --rm --network host "$ref" npm --version 2>/dev/null) (tag says ${ref#node:}; no yarn)" ;;
		rust) have="host $(docker run --rm --network host "$ref" rustc --version | cut -d' ' -f1-2), no docs (tag says ${ref#rust:}; official ~0.8 GB)" ;;
		golang) have="Debian backports $(docker run --rm --network host "$ref" go version | cut -d' ' -f3) (tag says ${ref#golang:}; official ~0.8 GB)" ;;
		distroless) have="files copied from Debian 12 packages (official built by Bazel, same layout)" ;;
		busybox) have="Debian busybox-static 1.35 linked against glibc (tag says ${ref#busybox:})" ;;
		php) have="Debian PHP $(docker run --rm --network host --entrypoint php "$ref" -r 'echo PHP_VERSION;') with Apache + mod_php, laid out like the official image (tag says ${ref#php:})" ;;
		composer) have="Debian Composer $(docker run --rm --network host "$ref" composer --version 2>/dev/null | awk '{ print $3 }') as a script, its libraries also in the php stand-in (tag says ${ref#composer:}; official: a phar)" ;;
		maven) have="Debian Maven $(docker run --rm --network host "$ref" mvn --batch-mode -v 2>/dev/null | awk 'NR == 1 { print $3 }') + OpenJDK 17, Debian's Maven repository only (tag says ${ref#maven:})" ;;
		temurin) have="Debian OpenJDK $(docker run --rm --network host "$ref" java -version 2>&1 | awk -F'"' 'NR == 1 { print $2 }') on Debian (official: Temurin on Ubuntu; tag says ${ref#eclipse-temurin:})" ;;
		esac
		printf '%-44s %-9s %s\n' "$ref" "$size" "${have:-?}"
	done
}
