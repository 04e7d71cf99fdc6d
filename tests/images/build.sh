#!/usr/bin/env bash
# Builds the local container images the whole-stack tests run, from Debian packages only (no image registry is
# reachable on this project's machines). Each image honours the contract of the production image the AppHost uses
# (entrypoint and command, environment, ports, paths, user): see tests/images/README.md.
#
#   tests/images/build.sh [--rebuild] [IMAGE...]     IMAGE: bookworm sid postgres redis coturn synapse (default: all)
#
# Caching: an image that exists and was built from the same inputs (its build folder, this script, and the image it
# is built on) is kept. --rebuild builds the named images (default: all) again. Prints each step as it starts, with
# the seconds since the script started ("[  42 s] ..."), and how long each build took.
# Needs root (podman import of a debootstrap tree keeps its owners), podman, debootstrap, and CONTAINERS_CONF
# pointing at .ci/containers.conf on machines where crun fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$repo/.ci/containers.conf}"

MIRROR="${MATRIX_TEST_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PREFIX="localhost/matrix-test"
# The Synapse release the image must hold: the build fails if Debian's package is another one, rather than run
# the tests on a Synapse the image name does not say.
SYNAPSE_RELEASE="1.160"

BOOKWORM="$PREFIX/debian:bookworm"
SID="$PREFIX/debian:sid"
POSTGRES="$PREFIX/postgres:18"
REDIS="$PREFIX/redis:8"
COTURN="$PREFIX/coturn:4.6"
SYNAPSE="$PREFIX/synapse:$SYNAPSE_RELEASE"

all=(bookworm sid postgres redis coturn synapse)
rebuild=0
wanted=()
for arg in "$@"; do
  case "$arg" in
    --rebuild) rebuild=1 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    bookworm|sid|postgres|redis|coturn|synapse) wanted+=("$arg") ;;
    *) echo "build.sh: unknown argument '$arg' (images: ${all[*]}; option: --rebuild)" >&2; exit 2 ;;
  esac
done
[ ${#wanted[@]} -gt 0 ] || wanted=("${all[@]}")
is_wanted() { local w; for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done; return 1; }

command -v podman >/dev/null || { echo "build.sh: podman is not installed (apt-get install podman runc)" >&2; exit 1; }

# The inputs an image is built from, as one hash stored in its label, so a changed input rebuilds it: for a base,
# the code that makes it and its suite and packages; for the others, their build folder, the base image's id and
# the build arguments.
LABEL=matrix-test.inputs
inputs_hash() { # $1: build folder or "" (bases), $2: base image or "", rest: other inputs
  local folder="$1" base="$2"; shift 2
  {
    printf '%s\n' "$@"
    if [ -z "$folder" ]; then declare -f import_base; fi
    if [ -n "$folder" ]; then (cd "$folder" && find . -type f -print0 | sort -z | xargs -0 sha256sum); fi
    if [ -n "$base" ]; then podman image inspect --format '{{.Id}}' "$base"; fi
  } | sha256sum | cut -c1-32
}
current() { # $1: image, $2: wanted hash. True when the image exists with that hash and no rebuild was asked for.
  [ "$rebuild" = 0 ] || return 1
  podman image exists "$1" || return 1
  [ "$(podman image inspect --format "{{index .Labels \"$LABEL\"}}" "$1" 2>/dev/null)" = "$2" ]
}

total_start=$(date +%s)
report() { printf '%-40s %s\n' "$1" "$2"; }
progress() { printf '[%4d s] %s\n' "$(( $(date +%s) - total_start ))" "$*"; }
# Reads a build's output on stdin into the log $2 and prints the step lines of it for image $1: podman's "STEP n/m",
# debootstrap's phases (the first "I: Retrieving", "I: Extracting"... of each run of them, not one per package).
steps() {
  local image="$1" log="$2" line phase last=""
  while IFS= read -r line; do
    printf '%s\n' "$line" >> "$log"
    case "$line" in
      STEP\ *) progress "$image: ${line:0:100}" ;;
      I:\ *) phase="${line#I: }"; phase="${phase%% *}"
             [ "$phase" = "$last" ] || progress "$image: debootstrap: ${line:3:90}"; last="$phase" ;;
    esac
  done
}
timed() { # $1: image; rest: command. Runs it and reports the seconds it took.
  local image="$1" start; shift
  start=$(date +%s)
  progress "$image: building (machine load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  "$@" || return $?
  report "$image" "built in $(( $(date +%s) - start )) s"
}

# A Debian root filesystem (debootstrap minbase) imported as an image. $1 image, $2 suite, $3 extra packages.
build_base() {
  local image="$1" suite="$2" include="$3" hash root
  hash=$(inputs_hash "" "" "$suite" "$include" "$MIRROR")
  if current "$image" "$hash"; then report "$image" "cached"; return; fi
  root=$(mktemp -d /tmp/matrix-test-rootfs.XXXXXX)
  local status=0 previous
  previous=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  # import_base is part of the bases' input hash, so its progress is read from its log rather than printed by it.
  tail -n +1 -F "$root.log" 2>/dev/null > >(steps "$image" /dev/null) &
  local follower=$!
  timed "$image" import_base "$image" "$suite" "$include" "$root" "$hash" || status=$?
  kill "$follower" 2>/dev/null || true
  rm -rf "$root"
  [ "$status" != 0 ] || forget "$previous" "$image"
  return $status
}
import_base() {
  local image="$1" suite="$2" include="$3" root="$4" hash="$5"
  debootstrap --variant=minbase ${include:+--include="$include"} "$suite" "$root" "$MIRROR" >"$root.log" 2>&1 \
    || { tail -n 30 "$root.log" >&2; rm -f "$root.log"; echo "build.sh: debootstrap of $suite failed" >&2; return 1; }
  rm -f "$root.log"
  # As Debian's official images do: services are never started by package scripts inside a build, and
  # documentation is not installed (smaller images, faster builds).
  printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"; chmod 755 "$root/usr/sbin/policy-rc.d"
  printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\n' \
    > "$root/etc/dpkg/dpkg.cfg.d/matrix-test-nodoc"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' > "$root/etc/apt/apt.conf.d/90matrix-test"
  if [ "$suite" = sid ]; then
    # The mirror's unstable Release file may be past its Valid-Until date; its packages are still the ones wanted.
    printf 'Acquire::Check-Valid-Until "false";\n' >> "$root/etc/apt/apt.conf.d/90matrix-test"
  else
    printf 'deb %s %s main\ndeb %s %s-updates main\ndeb http://deb.debian.org/debian-security %s-security main\n' \
      "$MIRROR" "$suite" "$MIRROR" "$suite" "$suite" > "$root/etc/apt/sources.list"
  fi
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' \
    --change "LABEL $LABEL=$hash" \
    - "$image" >/dev/null
}

# An image from tests/images/<folder>/Containerfile on top of $3.
build_image() {
  local image="$1" folder="$here/$2" base="$3" hash
  podman image exists "$base" || { echo "build.sh: $image needs $base: build it first (tests/images/build.sh)" >&2; return 1; }
  hash=$(inputs_hash "$folder" "$base" "$SYNAPSE_RELEASE")
  if current "$image" "$hash"; then report "$image" "cached"; return; fi
  timed "$image" podman_build "$image" "$folder" "$base" "$hash"
}
podman_build() { # Only the log of a failed build is shown.
  local image="$1" folder="$2" base="$3" hash="$4" log previous
  previous=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  log=$(mktemp /tmp/matrix-test-build.XXXXXX)
  local no_cache=()
  # --rebuild means fresh packages: podman's layer cache would otherwise give back the old layers in a second.
  [ "$rebuild" = 0 ] || no_cache=(--no-cache)
  podman build --pull=never "${no_cache[@]}" --build-arg "BASE=$base" --build-arg "SYNAPSE_RELEASE=$SYNAPSE_RELEASE" \
      --label "$LABEL=$hash" -t "$image" -f "$folder/Containerfile" "$folder" 2>&1 | steps "$image" "$log"
  if [ "${PIPESTATUS[0]}" != 0 ]; then
    tail -n 40 "$log" >&2; rm -f "$log"
    echo "build.sh: building $image failed (log above)" >&2; return 1
  fi
  rm -f "$log"
  forget "$previous" "$image"
}
forget() { # $1: the id an image had before it was rebuilt. Removed once nothing (tag, child image) uses it.
  [ -n "$1" ] && [ "$1" != "$(podman image inspect --format '{{.Id}}' "$2")" ] || return 0
  podman rmi "$1" >/dev/null 2>&1 || true
}

if is_wanted bookworm; then build_base "$BOOKWORM" bookworm ""; fi
# python3-cffi-backend: debootstrap of sid fails without it in --include.
if is_wanted sid; then build_base "$SID" sid "python3-cffi-backend"; fi
# PostgreSQL and Redis from sid: the same major versions as the production images (postgres 18.6, redis 8.10);
# coturn from bookworm: 4.6.1, next to the production 4.6.3.
if is_wanted postgres; then build_image "$POSTGRES" postgres "$SID"; fi
if is_wanted redis; then build_image "$REDIS" redis "$SID"; fi
if is_wanted coturn; then build_image "$COTURN" coturn "$BOOKWORM"; fi
if is_wanted synapse; then build_image "$SYNAPSE" synapse "$SID"; fi
report "all images" "ready in $(( $(date +%s) - total_start )) s"
