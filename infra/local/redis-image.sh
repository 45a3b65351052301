#!/usr/bin/env bash
# Build the local `orchest/redis:local` image when absent: Debian's redis-server (and python3-redis
# for steps) on top of orchest/base-kernel-py:local, installed from the Debian mirror apt uses, since no
# registry is reachable here. Pipeline services use it as "image": "orchest/redis:local" (the
# tests do). Called by infra/local/base-images.sh; needs the base image. About 15 s.
#
# Usage: infra/local/redis-image.sh [--force]
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"
IMAGE="orchest/redis"
BASE="orchest/base-kernel-py:local"
die() { echo "redis-image.sh: error: $*" >&2; exit 1; }
note() { echo "redis-image.sh: $*" >&2; }

if [ -z "${CONTAINERS_CONF:-}" ]; then
  conf="${ORCHEST_PODMAN_DIR:-$REPO_DIR/.tools/podman}/containers.conf"
  [ -f "$conf" ] && export CONTAINERS_CONF="$conf"
fi

if [ "${1:-}" != "--force" ] && podman image exists "$IMAGE:local" 2>/dev/null; then
  note "$IMAGE:local exists; use --force to rebuild"
  exit 0
fi
podman image exists "$BASE" 2>/dev/null || die "$BASE missing; run infra/local/base-images.sh first"

WORK="$(mktemp -d /var/tmp/orchest-redis.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
cat >"$WORK/Containerfile" <<DOCKERFILE
FROM $BASE
USER root
RUN apt-get update -o Acquire::Check-Valid-Until=false >/dev/null \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server python3-redis >/dev/null \\
 && rm -rf /var/lib/apt/lists/*
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no", "--bind", "0.0.0.0", "--save", ""]
DOCKERFILE
START=$SECONDS
podman build --quiet --network host -t "$IMAGE:local" "$WORK" >/dev/null || die "podman build failed"
note "built $IMAGE:local in $((SECONDS - START))s"
echo "$IMAGE:local"
