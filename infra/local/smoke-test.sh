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
# check "<description>" "<failure message>" command...: ok when the command succeeds.
check() { local what="$1" why="$2"; shift 2; if "$@"; then ok "$what"; else bad "$what: $why"; fi; }
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

check "ping" "no answer on $SOCK" test "$(api "$API/_ping" || true)" = "OK" || true
[ "$FAIL" = 0 ] || exit 1
VER="$(api "$API/version" | grep -o '"ApiVersion":"[^"]*"' || true)"
check "version $VER" "no ApiVersion" test -n "$VER"
check "image $IMAGE present" "missing (run infra/local/base-images.sh)" \
  test "$(api -o /dev/null -w '%{http_code}' "$API/images/${IMAGE//\//%2F}/json")" = "200"
[ "$FAIL" = 0 ] || exit 1

BODY=$(cat <<EOF
{"Image":"$IMAGE",
 "Cmd":["bash","-c","python3 -c \"import nbclient, ipykernel, pandas; print('ok')\" && echo \"\$GREETING from \$(id -un) in \$(pwd)\" > out.txt && cat out.txt && exit 3"],
 "WorkingDir":"/project-dir/sub","Env":["GREETING=hello"],
 "Labels":{"orchest.test":"smoke"},
 "HostConfig":{"Binds":["$DIR:/project-dir"],"NetworkMode":"host","Init":true}}
EOF
)
CID="$(api -H 'Content-Type: application/json' -d "$BODY" "$API/containers/create" | sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p')"
check "create ${CID:0:12}" "no container id" test -n "$CID"
[ "$FAIL" = 0 ] || exit 1
check "start" "not 204" test "$(api -o /dev/null -w '%{http_code}' -X POST "$API/containers/$CID/start")" = "204"
CODE="$(api -X POST "$API/containers/$CID/wait" | sed -n 's/.*"StatusCode":\([0-9-]*\).*/\1/p')"
check "exit code 3 reported" "got '$CODE'" test "$CODE" = "3"
LOGS="$(api "$API/containers/$CID/logs?stdout=1&stderr=1" | tr -d '\000-\010\016-\037')"
check "python3 imports nbclient, ipykernel, pandas" "$LOGS" grep -q '^ok' <<<"$LOGS"
check "env + working dir: $(grep -o 'hello from .*' <<<"$LOGS" || true)" "$LOGS" grep -q 'hello from .* in /project-dir/sub' <<<"$LOGS"
if [ -f "$DIR/sub/out.txt" ]; then ok "file written to the mount, host owner $(stat -c '%u:%g %a' "$DIR/sub/out.txt")"; else bad "no file written to the mount"; fi
check "remove" "not 204" test "$(api -o /dev/null -w '%{http_code}' -X DELETE "$API/containers/$CID?force=1")" = "204" && CID=""
LEFT="$(api "$API/containers/json?all=1&filters=%7B%22label%22%3A%5B%22orchest.test%3Dsmoke%22%5D%7D" | grep -c '"Id"' || true)"
check "no container left" "$LEFT left" test "$LEFT" = "0"

echo "smoke: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
