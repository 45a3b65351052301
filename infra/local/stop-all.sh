#!/usr/bin/env bash
# Stop everything the local engine runs for this installation: its containers (label
# orchest.instance = $ORCHEST_INSTANCE, default <user>@<host>; their conmon processes outlive the
# service), then the podman service itself. Images stay. Other installations' containers stay;
# pass --all-containers to remove every podman container instead.
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "${1:-}" in
  "") exec "$SCRIPT_DIR/podman-service.sh" stop --containers ;;
  --all-containers) exec "$SCRIPT_DIR/podman-service.sh" stop --all-containers ;;
  *) echo "stop-all.sh: error: unknown argument: $1 (usage: $0 [--all-containers])" >&2; exit 2 ;;
esac
