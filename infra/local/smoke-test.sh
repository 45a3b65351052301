#!/usr/bin/env bash
# End-to-end check of the local engine through the Docker Engine API (curl only):
# ping, version, base image present, a step-like container (bind mount at /project-dir,
# NetworkMode host, labels, WorkingDir, Env) that imports nbclient/ipykernel/pandas and writes a
# file into the mount, exit code, logs, removal. Leaves no container behind.
#
# Usage: infra/local/smoke-test.sh        (after podman-service.sh start and base-images.sh)
#   DOCKER_HOST   unix:///path/to/sock; default: what podman-service.sh env prints
#   ORCHEST_SMOKE_IMAGE  image to run; default orchest/base-kernel-py:local
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -n "${DOCKER_HOST:-}" ] || eval "$("$SCRIPT_DIR/podman-service.sh" env 2>/dev/null)"
case "$DOCKER_HOST" in unix://*) SOCK="${DOCKER_HOST#unix://}" ;; *) echo "smoke-test.sh: error: only unix:// DOCKER_HOST is supported" >&2; exit 1 ;; esac
IMAGE="${ORCHEST_SMOKE_IMAGE:-orchest/base-kernel-py:local}"
API="http://d/v1.41"
PASS=0 FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $*"; }
api() { curl -s --max-time 120 --unix-socket "$SOCK" "$@"; }

CID=""
DIR="$(mktemp -d /tmp/orchest-smoke.XXXXXX)"
cleanup() {
  [ -z "$CID" ] || api -X DELETE "$API/containers/$CID?force=1" >/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT
# The image's user (jovyan, uid 1000) must be able to write the mounted working copy.
mkdir -p "$DIR/sub"
chmod -R a+rwX "$DIR"

[ "$(api "$API/_ping" || true)" = "OK" ] && ok "ping" || { bad "ping: no answer on $SOCK"; exit 1; }
VER="$(api "$API/version" | grep -o '"ApiVersion":"[^"]*"' || true)"
[ -n "$VER" ] && ok "version $VER" || bad "version"
api -o /dev/null -w '%{http_code}' "$API/images/$(echo "$IMAGE" | sed 's|/|%2F|g')/json" | grep -q 200 \
  && ok "image $IMAGE present" || { bad "image $IMAGE missing (run infra/local/base-images.sh)"; exit 1; }

BODY=$(cat <<EOF
{"Image":"$IMAGE",
 "Cmd":["bash","-c","python3 -c \"import nbclient, ipykernel, pandas; print('ok')\" && echo \"\$GREETING from \$(id -un) in \$(pwd)\" > out.txt && cat out.txt && exit 3"],
 "WorkingDir":"/project-dir/sub","Env":["GREETING=hello"],
 "Labels":{"orchest.test":"smoke"},
 "HostConfig":{"Binds":["$DIR:/project-dir"],"NetworkMode":"host","Init":true}}
EOF
)
CID="$(api -H 'Content-Type: application/json' -d "$BODY" "$API/containers/create" | sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p')"
[ -n "$CID" ] && ok "create ${CID:0:12}" || { bad "create"; exit 1; }
[ "$(api -o /dev/null -w '%{http_code}' -X POST "$API/containers/$CID/start")" = "204" ] && ok "start" || bad "start"
CODE="$(api -X POST "$API/containers/$CID/wait" | sed -n 's/.*"StatusCode":\([0-9-]*\).*/\1/p')"
[ "$CODE" = "3" ] && ok "exit code 3 reported" || bad "exit code: got '$CODE', want 3"
LOGS="$(api "$API/containers/$CID/logs?stdout=1&stderr=1" | tr -d '\000-\010\016-\037')"
echo "$LOGS" | grep -q '^ok' && ok "python3 imports nbclient, ipykernel, pandas" || bad "imports: $LOGS"
echo "$LOGS" | grep -q 'hello from .* in /project-dir/sub' && ok "env + working dir: $(echo "$LOGS" | grep hello)" || bad "env/workdir: $LOGS"
if [ -f "$DIR/sub/out.txt" ]; then ok "file written to the mount, host owner $(stat -c '%u:%g %a' "$DIR/sub/out.txt")"; else bad "no file written to the mount"; fi
[ "$(api -o /dev/null -w '%{http_code}' -X DELETE "$API/containers/$CID")" = "204" ] && { ok "remove"; CID=""; } || bad "remove"
LEFT="$(api "$API/containers/json?all=1&filters=%7B%22label%22%3A%5B%22orchest.test%3Dsmoke%22%5D%7D" | grep -c '"Id"' || true)"
[ "$LEFT" = "0" ] && ok "no container left" || bad "$LEFT container(s) left"

echo "smoke: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
