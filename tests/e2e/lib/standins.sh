# shellcheck shell=bash
# Stand-in base images: a debootstrap'd Debian bookworm imported once, then one recipe per kind of
# official image (tests/e2e/standins/*.Dockerfile), tagged with exactly the names the generated
# Dockerfiles use. Images are keyed by a hash of recipe, build arguments and host payload, so a rerun
# with the same work dir reuses them. Sourced by run.sh.

STANDINS="$E2E_DIR/standins"

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

# rootfs_tar SUITE: the cached root file system tarball of a Debian suite.
# Bump the suffix when the way the root file system is made changes.
rootfs_tar() { echo "$E2E_WORK/cache/$1-minbase-2.tar"; }

# make_rootfs_tar SUITE: debootstraps SUITE (bookworm, trixie) with the host's Debian mirror into a
# tarball cached under the work dir (the host's debootstrap and archive keyring verify it).
make_rootfs_tar() {
	local suite=$1 tar root log=$E2E_WORK/logs/debootstrap-$1.log
	tar=$(rootfs_tar "$suite")
	[ -s "$tar" ] && return 0
	root=$E2E_WORK/cache/rootfs-$suite
	mkdir -p "$E2E_WORK/cache" "$E2E_WORK/logs"
	unmount_under "$root" 2>/dev/null || true
	rm -rf "$root"
	mkdir -p "$root"
	debootstrap --variant=minbase "$suite" "$root" "$(debian_mirror)" >"$log" 2>&1 || {
		unmount_under "$root"
		tail_log "$log"
		die "debootstrap $suite failed"
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
	tar -C "$root" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf "$tar.tmp" .
	mv "$tar.tmp" "$tar"
	rm -rf "$root"
}

# base_image SUITE: the name of the imported root file system of SUITE.
base_image() { echo "dockgen-e2e/base:$1"; }

# make_base_image [SUITE]: debootstraps SUITE (default bookworm; cached as a tarball under the work
# dir) and imports it as $(base_image SUITE).
make_base_image() {
	local suite=${1:-bookworm} image t0
	image=$(base_image "$suite")
	if docker image inspect "$image" >/dev/null 2>&1; then
		return 0
	fi
	t0=$(now_ms)
	make_rootfs_tar "$suite"
	docker import \
		--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		--change 'CMD ["bash"]' "$(rootfs_tar "$suite")" "$image" >/dev/null ||
		die "docker import of the $suite rootfs failed"
	say "base image $image ready in $(secs $(($(now_ms) - t0)))s"
}

# standin_for IMAGE: prints "SUITE RECIPE [BUILD_ARG=VALUE...]" for an image name from the first
# matching line of standins/images.txt, or fails when none fits (the caller reports the name).
standin_for() {
	local ref=$1 repo tag pattern suite recipe args minor major version variant
	repo=${ref%:*}
	tag=${ref##*:}
	[ "$repo" != "$ref" ] || return 1
	while read -r pattern suite recipe args; do
		case $pattern in "" | "#"*) continue ;; esac
		# shellcheck disable=SC2053 # the pattern is a glob on purpose
		[[ $ref == $pattern ]] || continue
		[ "$recipe" != - ] || return 1
		minor=$(printf '%s' "$tag" | grep -oE '[0-9]+\.[0-9]+' | head -1) || true
		major=$(printf '%s' "$tag" | grep -oE '[0-9]+' | head -1) || true
		version=${tag%%-*}
		variant=${repo##*/}
		variant=${variant%-debian[0-9]*}
		args=${args//%minor%/$minor}
		args=${args//%major%/$major}
		args=${args//%version%/$version}
		args=${args//%variant%/$variant}
		args=${args//%family%/${variant%%[0-9]*}}
		echo "$suite $recipe${args:+ $args}"
		return 0
	done <"$STANDINS/images.txt"
	return 1
}

# stage_payload KIND DIR [ARG=VALUE...]: puts what the recipe copies from the host into its build
# context, and prints a fingerprint of it (so a new host toolchain makes a new stand-in).
stage_payload() {
	local kind=$1 dir=$2
	shift 2
	case "$kind $*" in
	"distroless VARIANT=nodejs"*)
		local node_bin
		node_bin=$(readlink -f "$(command -v node)") || die "the distroless nodejs stand-in needs a node binary on the host"
		cp "$node_bin" "$dir/node"
		"$node_bin" --version
		;;
	bun*)
		local want=${1#BUN_VERSION=} pkg=@oven/bun-linux-x64 exact tgz
		[ "$want" != latest ] || want=""
		# Bun's default Linux build needs AVX2; the baseline build runs on any x86-64.
		grep -qw avx2 /proc/cpuinfo || pkg=$pkg-baseline
		exact=$(npm view "$pkg${want:+@$want}" version --json 2>/dev/null | python3 -c 'import json, sys; v = json.load(sys.stdin); v = v if isinstance(v, list) else [v]; print(max(v, key=lambda s: [int(x) for x in s.split("-")[0].split(".")]))') ||
			die "npm knows no $pkg${want:+@$want} (the bun stand-in unpacks Bun's npm package)"
		tgz=$E2E_WORK/cache/bun/${pkg#@oven/}-$exact.tgz
		if [ ! -s "$tgz" ]; then
			# Stand-ins build in parallel: each packs into its own directory, the rename is atomic.
			local tmp
			tmp=$(mktemp -d "$E2E_WORK/cache/bun.XXXXXX")
			(cd "$tmp" && npm pack --silent "$pkg@$exact" >/dev/null 2>&1) || die "npm pack $pkg@$exact failed"
			mkdir -p "$E2E_WORK/cache/bun"
			mv "$tmp"/*.tgz "$tgz"
			rm -rf "$tmp"
		fi
		tar -xzf "$tgz" -C "$dir" package/bin/bun
		mv "$dir/package/bin/bun" "$dir/bun"
		rm -rf "$dir/package"
		echo "bun $exact ($pkg)"
		;;
	node*)
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
	rust*)
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

# build_standin SUITE KIND [ARG=VALUE...]: builds (or reuses) one stand-in and prints its image name.
build_standin() {
	local suite=$1 kind=$2 base
	shift 2
	local recipe=$STANDINS/$kind.Dockerfile
	base=$(base_image "$suite")
	if [ "$kind" = base ]; then
		echo "$base"
		return 0
	fi
	[ -f "$recipe" ] || die "no stand-in recipe $recipe"
	local label ctx fingerprint key image log a
	# kind-suite-values, e.g. distroless-trixie-cc-cc-65532 (image names are lower case).
	label=$(printf '%s' "$kind $suite ${*#*=}" | sed -E 's/ +$//; s/[^A-Za-z0-9_.]+/-/g' | tr '[:upper:]' '[:lower:]' | cut -c1-100)
	ctx=$E2E_WORK/standins/$label
	rm -rf "$ctx"
	mkdir -p "$ctx"
	fingerprint=$(stage_payload "$kind" "$ctx" "$@")
	key=$( {
		cat "$recipe"
		echo "$* $fingerprint"
		docker image inspect --format '{{.Id}}' "$base"
	} | sha256sum | cut -c1-12)
	image="dockgen-e2e/$label:$key"
	if ! docker image inspect "$image" >/dev/null 2>&1; then
		log=$E2E_WORK/logs/standin-$label.log
		local build_args=(--build-arg "BASE=$base" --build-arg "SUITE=$suite")
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
		die "no stand-in recipe for image(s): ${unknown[*]} (add a line to tests/e2e/standins/images.txt, and a recipe to tests/e2e/standins/ if no existing one fits)"
	local suite
	for suite in $(for ref in "$@"; do standin_for "$ref"; done | cut -d' ' -f1 | sort -u); do
		make_base_image "$suite"
	done
	# Distinct stand-ins build in parallel (mostly apt downloads); names map onto them afterwards.
	local specs=() pids=() i
	mapfile -t specs < <(for ref in "$@"; do standin_for "$ref"; done | sort -u)
	mkdir -p "$E2E_WORK/standins"
	# At most E2E_STANDIN_JOBS at once (default 3): the cores are shared.
	local failed=0 running=0
	for i in "${!specs[@]}"; do
		if [ "$running" -ge "${E2E_STANDIN_JOBS:-3}" ]; then
			wait -n || failed=1
			running=$((running - 1))
		fi
		# shellcheck disable=SC2086
		build_standin ${specs[$i]} >"$E2E_WORK/standins/image.$i" &
		pids+=($!)
		running=$((running + 1))
	done
	while [ "$running" -gt 0 ]; do
		wait -n || failed=1
		running=$((running - 1))
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

# standin_run IMAGE PROGRAM [ARG...]: runs one program of a stand-in (output and errors).
standin_run() { docker run --rm --network host --entrypoint "$2" "$1" "${@:3}" 2>&1; }

# describe_standins IMAGE...: how each stand-in differs from the official image it replaces.
describe_standins() {
	local ref spec size have
	printf '%-44s %-9s %s\n' "image name (tag used)" "size MiB" "stand-in contents (differs from the official image)"
	for ref in "$@"; do
		spec=$(standin_for "$ref")
		local suite=${spec%% *} deb
		spec=${spec#* }
		deb="Debian $([ "$suite" = trixie ] && echo 13 || echo 12)"
		size=$(mib "$(docker image inspect --format '{{.Size}}' "$ref" 2>/dev/null || echo 0)")
		have=""
		case ${spec%% *} in
		base) have="debootstrap minbase $suite (official slim: same release, similar size)" ;;
		python) have="$deb $(standin_run "$ref" python --version) (tag says ${ref#python:})" ;;
		node) have="$deb, host node $(standin_run "$ref" node --version), npm $(standin_run "$ref" npm --version) (tag says ${ref#node:}; no yarn)" ;;
		rust) have="$deb, host $(standin_run "$ref" rustc --version | cut -d' ' -f1-2), no docs (tag says ${ref#rust:}; official ~0.8 GB)" ;;
		golang) have="$deb $(standin_run "$ref" go version | cut -d' ' -f3) (tag says ${ref#golang:}; official ~0.8 GB)" ;;
		distroless) have="files copied from $deb packages, user $(docker image inspect --format '{{.Config.User}}' "$ref")$(case $spec in *nodejs*) echo ", host node $(node --version)" ;; esac) (official built by Bazel, same layout)" ;;
		busybox) have="Debian busybox-static 1.35 linked against glibc (tag says ${ref#busybox:})" ;;
		php) have="$deb PHP $(standin_run "$ref" php -r 'echo PHP_VERSION;') with Apache + mod_php, laid out like the official image (tag says ${ref#php:})" ;;
		composer) have="$deb Composer $(standin_run "$ref" composer --version | awk '/^Composer/ { print $3 }') as a script whose libraries the php stand-in also carries (tag says ${ref#composer:}; official: a phar)" ;;
		maven) have="Debian Maven $(standin_run "$ref" mvn --batch-mode -v | awk 'NR == 1 { print $3 }') + OpenJDK 17, Debian's Maven repository only (tag says ${ref#maven:})" ;;
		temurin) have="$deb OpenJDK $(standin_run "$ref" java -version | awk -F'"' 'NR == 1 { print $2 }') (official: Temurin on Ubuntu; tag says ${ref#eclipse-temurin:})" ;;
		nginx) have="$deb nginx $(standin_run "$ref" nginx -v | sed 's/.*nginx\///') as uid 101 (official: nginx.org build on Alpine; tag says ${ref#*:})" ;;
		bun) have="$deb, Bun $(standin_run "$ref" /usr/local/bin/bun --version) from its npm package (tag says ${ref#oven/bun:})" ;;
		esac
		printf '%-44s %-9s %s\n' "$ref" "$size" "${have:-?}"
	done
}
