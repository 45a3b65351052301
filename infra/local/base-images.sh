#!/usr/bin/env bash
# Build the local base image(s) when absent: no registry is reachable on this kind of machine, so
# `orchest/base-kernel-py` (Python 3 + nbclient + ipykernel + pandas, user jovyan with
# passwordless sudo, like Orchest's images) is made with debootstrap from the Debian mirror apt
# uses, then imported into podman's storage (DESIGN.md §10).
#
# Usage: infra/local/base-images.sh [--force]
#   --force   rebuild even when the image exists
# Settings (environment):
#   ORCHEST_DEBIAN_MIRROR   mirror URL; default: the first Debian (non-security) URI in apt's sources
#   ORCHEST_BASE_SUITE      Debian suite; default bookworm
#   ORCHEST_BASE_PACKAGES   extra comma-separated packages to include
#   ORCHEST_DEBOOTSTRAP_CACHE  .deb cache dir; default <repo>/.tools/debootstrap-cache
#   CONTAINERS_CONF         podman config; default: the one podman-service.sh writes, when present
# Then the service image orchest/redis:local (infra/local/redis-image.sh).
# Tags: orchest/base-kernel-py:local and orchest/base-kernel-py (:latest); podman stores them as
# localhost/orchest/base-kernel-py:*, and the Docker API resolves the short names to them.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"
IMAGE="orchest/base-kernel-py"
SUITE="${ORCHEST_BASE_SUITE:-bookworm}"
CACHE_DIR="${ORCHEST_DEBOOTSTRAP_CACHE:-$REPO_DIR/.tools/debootstrap-cache}"
BOOT_PACKAGES="bash,ca-certificates,python3"
# gdb-minimal satisfies python3-pydevd's "gdb" dependency (via ipykernel -> debugpy) at a fraction of gdb's size.
PACKAGES="python3-nbclient,python3-ipykernel,python3-pandas,python3-pip,sudo,gdb-minimal"
[ -z "${ORCHEST_BASE_PACKAGES:-}" ] || PACKAGES="$PACKAGES,$ORCHEST_BASE_PACKAGES"
NB_UID=1000
NB_GID=100   # "users", as in the Jupyter docker-stacks images Orchest's images derived from

die() { echo "base-images.sh: error: $*" >&2; exit 1; }
note() { echo "base-images.sh: $*" >&2; }

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg (usage: $0 [--force])" ;;
  esac
done

if [ -z "${CONTAINERS_CONF:-}" ]; then
  conf="${ORCHEST_PODMAN_DIR:-$REPO_DIR/.tools/podman}/containers.conf"
  [ -f "$conf" ] && export CONTAINERS_CONF="$conf"
fi

[ "$(id -u)" = "0" ] || die "must run as root (debootstrap needs chroot and device nodes)"
command -v podman >/dev/null 2>&1 || die "podman missing; run infra/local/podman-service.sh start first"

image_exists() { podman image exists "$1" 2>/dev/null; }

if [ "$FORCE" = 0 ] && image_exists "$IMAGE:local"; then
  # Keep the aliases in place even when an earlier run was interrupted between import and tag.
  image_exists "$IMAGE:latest" || podman tag "$IMAGE:local" "$IMAGE:latest"
  note "$IMAGE:local exists ($(podman image inspect --format '{{.Id}}' "$IMAGE:local" | cut -c1-12)); use --force to rebuild"
  "$SCRIPT_DIR/redis-image.sh" >/dev/null
  exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  note "installing debootstrap with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 || true; DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap >/dev/null; } \
    || die "apt-get install debootstrap failed"
fi

# The Debian mirror apt uses here: first URI of a stanza/line whose suite is $SUITE (not -security).
find_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v suite="$SUITE" '
      function flush() { if (uri != "" && has) { print uri; found = 1; exit } uri = ""; has = 0 }
      /^[[:space:]]*$/ { flush(); next }
      /^Enabled:[[:space:]]*no/ { uri = "-" }
      /^URIs:/ { if (uri != "-") uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) has = 1 }
      END { if (!found) flush() }' "$f" | grep -v '^-$' | head -n 1
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v suite="$SUITE" '$1 == "deb" { u = ""; s = ""; for (i = 2; i <= NF; i++) { if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; continue } if (u == "") u = $i; else if (s == "") s = $i } if (s == suite) print u }' "$f"
  done
}
MIRROR="${ORCHEST_DEBIAN_MIRROR:-$(find_mirror | head -n 1)}"
[ -n "$MIRROR" ] || die "no Debian mirror for $SUITE found in /etc/apt/sources.list(.d); set ORCHEST_DEBIAN_MIRROR"
SECURITY_MIRROR="$(grep -h -o -E 'https?://[^ ]*debian-security/?' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1 || true)"

# Use apt's proxy, when it has one, for debootstrap too.
if [ -z "${http_proxy:-}" ]; then
  eval "$(apt-config shell http_proxy Acquire::http::Proxy 2>/dev/null || true)"
  [ -z "${http_proxy:-}" ] || export http_proxy
fi

OLD_ID="$(podman image inspect --format '{{.Id}}' "$IMAGE:local" 2>/dev/null || true)"
START=$SECONDS
WORK="$(mktemp -d /var/tmp/orchest-base-kernel-py.XXXXXX)"
cleanup() {
  # debootstrap may leave proc/sys mounted in the chroot after a failure.
  local m
  for m in proc sys dev/pts var/cache/apt/archives; do
    if mountpoint -q "$WORK/root/$m" 2>/dev/null; then umount -l "$WORK/root/$m" || true; fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
ROOT="$WORK/root"
mkdir -p "$ROOT" "$CACHE_DIR"

# debootstrap resolves Depends only and ignores virtual packages (python3-zmq needs
# python3-cffi-backend-api-max, gdb needs libboost-regex1.74.0-icu72), so it lays down a minimal
# system and apt-get inside the chroot installs the Python stack with proper dependency resolution.
note "debootstrap $SUITE from $MIRROR"
if ! debootstrap --variant=minbase --cache-dir="$CACHE_DIR" --include="$BOOT_PACKAGES" \
    "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
  tail -n 20 "$WORK/debootstrap.log" >&2
  [ -f "$ROOT/debootstrap/debootstrap.log" ] && tail -n 20 "$ROOT/debootstrap/debootstrap.log" >&2
  die "debootstrap failed (log above)"
fi
note "debootstrap done in $((SECONDS - START))s; installing ${PACKAGES//,/ }"
echo "deb $MIRROR $SUITE main" >"$ROOT/etc/apt/sources.list"
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
printf 'Acquire::Check-Valid-Until "false";\nAcquire::Languages "none";\n' >"$ROOT/etc/apt/apt.conf.d/99orchest-build"
[ -z "${http_proxy:-}" ] || printf 'Acquire::http::Proxy "%s";\n' "$http_proxy" >>"$ROOT/etc/apt/apt.conf.d/99orchest-build"
mkdir -p "$CACHE_DIR/apt-archives/partial"
mount --bind "$CACHE_DIR/apt-archives" "$ROOT/var/cache/apt/archives"
mount -t proc proc "$ROOT/proc"
IFS=, read -r -a PKG_LIST <<<"$PACKAGES"
APT_OK=1
{
  chroot "$ROOT" apt-get update &&
    chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PKG_LIST[@]}"
} >"$WORK/apt.log" 2>&1 || APT_OK=0
umount "$ROOT/proc" || umount -l "$ROOT/proc"
umount "$ROOT/var/cache/apt/archives" || umount -l "$ROOT/var/cache/apt/archives"
if [ "$APT_OK" = 0 ]; then tail -n 20 "$WORK/apt.log" >&2; die "apt-get install in the chroot failed (log above)"; fi
rm -f "$ROOT/etc/apt/apt.conf.d/99orchest-build" "$ROOT/etc/resolv.conf"
note "packages installed at $((SECONDS - START))s"

# --- shape the rootfs -----------------------------------------------------------------------
# Apt sources for setup scripts (`sudo apt-get update && sudo apt-get install ...`).
{
  echo "deb $MIRROR $SUITE main"
  echo "deb $MIRROR $SUITE-updates main"
  [ -z "$SECURITY_MIRROR" ] || echo "deb ${SECURITY_MIRROR%/} $SUITE-security main"
} >"$ROOT/etc/apt/sources.list"
# Keep later installs small too (as Debian's slim container images do).
cat >"$ROOT/etc/dpkg/dpkg.cfg.d/orchest-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
EOF
cat >"$ROOT/etc/apt/apt.conf.d/orchest-slim" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
# Setup scripts may `pip install` into the image's Python, as they did in Orchest's images.
rm -f "$ROOT"/usr/lib/python3*/EXTERNALLY-MANAGED
# The image's user: jovyan (uid 1000, gid 100 "users") with passwordless sudo, like Orchest's.
chroot "$ROOT" useradd --uid "$NB_UID" --gid "$NB_GID" --create-home --shell /bin/bash jovyan
echo "jovyan ALL=(ALL) NOPASSWD:ALL" >"$ROOT/etc/sudoers.d/jovyan"
chmod 0440 "$ROOT/etc/sudoers.d/jovyan"
# Mount points the container runner uses; group "users" writable for runs as another uid in gid 100.
mkdir -p "$ROOT/project-dir" "$ROOT/data"
chown "$NB_UID:$NB_GID" "$ROOT/project-dir" "$ROOT/data"
chmod 2775 "$ROOT/project-dir" "$ROOT/data"
# Trim: apt lists and caches, docs, man pages, locales, debootstrap's own leftovers.
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/* "$ROOT"/var/cache/debconf/*-old \
  "$ROOT"/var/log/* "$ROOT"/tmp/* "$ROOT"/debootstrap
find "$ROOT/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$ROOT/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* "$ROOT"/usr/share/lintian
find "$ROOT/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
# Test suites of big Python packages (pandas' alone is ~36 MB); pandas._testing/numpy.testing stay.
for pkg in pandas numpy; do
  [ -d "$ROOT/usr/lib/python3/dist-packages/$pkg" ] || continue
  find "$ROOT/usr/lib/python3/dist-packages/$pkg" -depth -type d -name tests -exec rm -rf {} + 2>/dev/null || true
done
# Device nodes debootstrap made are supplied by the runtime at run time.
rm -rf "${ROOT:?}"/dev/*
SIZE="$(du -sm "$ROOT" | cut -f1)"

# --- import -----------------------------------------------------------------------------------
note "importing rootfs (${SIZE} MB) as $IMAGE:local"
tar --numeric-owner --xattrs --acls -C "$ROOT" -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PYTHONUNBUFFERED=1' \
  --change 'ENV NB_USER=jovyan' \
  --change 'ENV PYDEVD_DISABLE_FILE_VALIDATION=1' \
  --change 'USER jovyan' \
  --change 'WORKDIR /project-dir' \
  --change 'CMD ["/bin/bash"]' \
  --change "LABEL org.opencontainers.image.title=$IMAGE" \
  --change "LABEL org.opencontainers.image.description=\"debootstrap $SUITE, python3 with nbclient ipykernel pandas, user jovyan\"" \
  --change "LABEL org.opencontainers.image.created=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --message "infra/local/base-images.sh: debootstrap $SUITE $PACKAGES" \
  --quiet - "$IMAGE:local" >/dev/null
podman tag "$IMAGE:local" "$IMAGE:latest"
NEW_ID="$(podman image inspect --format '{{.Id}}' "$IMAGE:local")"
ID="$(echo "$NEW_ID" | cut -c1-12)"
if [ -n "$OLD_ID" ] && [ "$OLD_ID" != "$NEW_ID" ]; then
  # The replaced image is now untagged; drop it unless containers or child images still use it.
  podman rmi "$OLD_ID" >/dev/null 2>&1 || note "previous image ${OLD_ID:0:12} kept (still in use)"
fi
note "built $IMAGE:local ($ID, ${SIZE} MB rootfs) in $((SECONDS - START))s"
"$SCRIPT_DIR/redis-image.sh" --force >/dev/null
echo "$IMAGE:local"
