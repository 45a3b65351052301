#!/usr/bin/env bash
# Serve the Docker Engine API from podman on a machine without a Docker daemon
# (DESIGN.md §10). Usage:
#   infra/local/podman-service.sh start|stop [--containers|--all-containers]|remove-containers|status|env
#
#   start   install podman+runc when missing (root only), write containers.conf, start
#           `podman system service` on a unix socket, wait for GET /_ping, print DOCKER_HOST=...
#   stop    stop the service (TERM, then KILL after a grace period). --containers also removes the
#           containers of this installation (label orchest.instance = $ORCHEST_INSTANCE, default
#           <user>@<host>, or below it: "<instance>/..."); --all-containers removes every container.
#   remove-containers  remove this installation's containers (as stop --containers) and leave the service running
#   status  print state; exit 0 when the socket answers, 3 when not running
#   env     print `export DOCKER_HOST=...` and `export CONTAINERS_CONF=...` (eval "$(... env)")
#
# Settings (environment):
#   ORCHEST_PODMAN_DIR            state dir (socket, pid, log, containers.conf); default <repo>/.tools/podman
#   ORCHEST_PODMAN_START_TIMEOUT  seconds to wait for the socket; default 30
#   ORCHEST_PODMAN_STOP_TIMEOUT   seconds between TERM and KILL; default 10
#   ORCHEST_PODMAN_LOG_LEVEL      podman --log-level for the service; default warn
# Podman's image/container storage stays at its default (/var/lib/containers, /run/containers) so
# images built once (base images, environment images) survive a new work tree; see README.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"
STATE_DIR="${ORCHEST_PODMAN_DIR:-$REPO_DIR/.tools/podman}"
SOCK="$STATE_DIR/podman.sock"
PID_FILE="$STATE_DIR/podman.pid"
LOG_FILE="$STATE_DIR/podman.log"
CONF_FILE="$STATE_DIR/containers.conf"
START_TIMEOUT="${ORCHEST_PODMAN_START_TIMEOUT:-30}"
STOP_TIMEOUT="${ORCHEST_PODMAN_STOP_TIMEOUT:-10}"
LOG_LEVEL="${ORCHEST_PODMAN_LOG_LEVEL:-warn}"

die() { echo "podman-service.sh: error: $*" >&2; exit 1; }
note() { echo "podman-service.sh: $*" >&2; }

is_root() { [ "$(id -u)" = "0" ]; }

ensure_installed() {
  local missing=()
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v runc >/dev/null 2>&1 || missing+=(runc)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  # HostConfig.Init=true (TERM reaches the step's process, not an ignoring PID 1) needs catatonit.
  [ -x /usr/libexec/podman/catatonit ] || missing+=(catatonit)
  [ "${#missing[@]}" -eq 0 ] && return 0
  is_root || die "missing ${missing[*]}; install as root: apt-get install -y podman runc catatonit curl"
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
  note "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends "${missing[@]}" >"$STATE_DIR/apt.log" 2>&1; then
    apt-get update >>"$STATE_DIR/apt.log" 2>&1 || true
    apt-get install -y --no-install-recommends "${missing[@]}" >>"$STATE_DIR/apt.log" 2>&1 \
      || die "apt-get install ${missing[*]} failed; see $STATE_DIR/apt.log"
  fi
}

write_conf() {
  # default_ulimits = []: podman's default nofile/nproc ulimits cannot be applied in this sandbox.
  # cgroupfs: there is no systemd (PID 1) to act as cgroup manager; cgroups are v1 here.
  # runc: Debian's podman prefers crun when present; runc is what was verified here.
  # events_logger/log_driver = file: no journald, and the Docker API /logs needs k8s-file logs.
  cat >"$CONF_FILE.tmp" <<'EOF'
# Written by infra/local/podman-service.sh; rewritten on every start.
[containers]
default_ulimits = []
log_driver = "k8s-file"

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
events_logger = "file"
EOF
  mv -f "$CONF_FILE.tmp" "$CONF_FILE"
}

is_our_service() {
  # The process must be a podman service on our socket (guards against pid reuse).
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q -- "system service.*unix://$SOCK"
}

service_pid() {
  # Prints the pid of our running service, or nothing. Falls back to a scan of /proc for a service
  # on exactly our socket path when the pid file is missing or stale (e.g. a lost state dir).
  local pid=""
  [ -f "$PID_FILE" ] && pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && is_our_service "$pid"; then
    echo "$pid"; return 0
  fi
  local d
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    if is_our_service "$pid"; then echo "$pid" >"$PID_FILE" 2>/dev/null || true; echo "$pid"; return 0; fi
  done
  return 0
}

ping_ok() {
  [ -S "$SOCK" ] || return 1
  [ "$(curl -s --max-time 2 --unix-socket "$SOCK" http://d/_ping 2>/dev/null || true)" = "OK" ]
}

print_env() {
  echo "export DOCKER_HOST=unix://$SOCK"
  echo "export CONTAINERS_CONF=$CONF_FILE"
}

cmd_start() {
  mkdir -p "$STATE_DIR"
  [ "${#SOCK}" -lt 100 ] || die "socket path too long for a unix socket (${#SOCK} chars): $SOCK; set ORCHEST_PODMAN_DIR to a shorter dir"
  ensure_installed
  is_root || note "warning: not root; rootless podman was not verified on this kind of machine"
  write_conf
  export CONTAINERS_CONF="$CONF_FILE"

  local pid
  pid="$(service_pid)"
  if [ -z "$pid" ]; then
    rm -f "$PID_FILE" "$SOCK"
    : >>"$LOG_FILE"
    echo "--- $(date -Is) starting podman system service on $SOCK" >>"$LOG_FILE"
    # setsid: own session, so the service outlives the shell (and job group) that started it.
    setsid podman --log-level="$LOG_LEVEL" system service --time=0 "unix://$SOCK" \
      </dev/null >>"$LOG_FILE" 2>&1 &
    pid=$!
    echo "$pid" >"$PID_FILE"
  fi

  local deadline=$((SECONDS + START_TIMEOUT))
  until ping_ok; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      tail -n 5 "$LOG_FILE" >&2 || true
      die "podman service exited during start-up; log: $LOG_FILE"
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "socket $SOCK did not answer /_ping within ${START_TIMEOUT}s; log: $LOG_FILE"
    sleep 0.1
  done
  note "podman service running (pid $pid, log $LOG_FILE)"
  echo "DOCKER_HOST=unix://$SOCK"
}

instance() {
  # The same default as the runner's (Orchest.Runners.Docker.InstallationIdentity).
  echo "${ORCHEST_INSTANCE:-$(id -un)@$(hostname)}"
}

remove_containers() {
  local mode="$1" ids=""
  export CONTAINERS_CONF="$CONF_FILE"
  command -v podman >/dev/null 2>&1 || return 0
  if [ "$mode" = all ]; then
    ids="$(podman ps -aq 2>/dev/null || true)"
  else
    # Only this installation's containers: the storage is machine-wide, and other users, work trees
    # and test sessions have theirs in it.
    local mine
    mine="$(instance)"
    ids="$(podman ps -a --filter "label=orchest.instance" --format '{{.ID}} {{index .Labels "orchest.instance"}}' 2>/dev/null \
      | awk -v mine="$mine" '$2 == mine || index($2, mine "/") == 1 { print $1 }' || true)"
  fi
  ids="$(echo "$ids" | tr ' ' '\n' | sed '/^$/d' | sort -u | tr '\n' ' ')"
  if [ -n "${ids// /}" ]; then
    # shellcheck disable=SC2086
    podman rm -f -t "$STOP_TIMEOUT" $ids >/dev/null || note "warning: could not remove some containers: $ids"
    note "removed containers: $ids"
  fi
}

cmd_stop() {
  local remove=""
  case "${1:-}" in
    "") ;;
    --containers) remove=labelled ;;
    --all-containers) remove=all ;;
    *) die "unknown stop option: $1 (use --containers or --all-containers)" ;;
  esac
  # Containers first: their conmon processes are independent of the service and outlive it.
  [ -z "$remove" ] || remove_containers "$remove"

  local pid
  pid="$(service_pid)"
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      note "service did not stop on TERM within ${STOP_TIMEOUT}s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
    note "stopped podman service (pid $pid)"
  else
    note "podman service not running"
  fi
  rm -f "$PID_FILE" "$SOCK"

  # Report, never kill by name: running containers keep a conmon process each.
  local left
  # (Exited conmons may linger as zombies until PID 1 reaps them; those are not counted.)
  left="$(ps -eo stat=,comm= 2>/dev/null | awk '$2 == "conmon" && $1 !~ /^Z/' | wc -l)"
  if [ -n "$left" ] && [ "$left" != "0" ]; then
    note "note: $left conmon process(es) remain (running containers); use 'stop --containers' or 'stop --all-containers'"
  fi
}

cmd_status() {
  local pid
  pid="$(service_pid)"
  if [ -n "$pid" ] && ping_ok; then
    local ver
    ver="$(curl -s --max-time 2 --unix-socket "$SOCK" http://d/version | sed -n 's/.*"ApiVersion":"\([^"]*\)".*/\1/p' || true)"
    echo "running pid=$pid api=$ver DOCKER_HOST=unix://$SOCK"
    return 0
  fi
  if [ -n "$pid" ]; then echo "starting or unresponsive pid=$pid socket=$SOCK"; return 3; fi
  echo "not running (state dir $STATE_DIR)"
  return 3
}

cmd_env() {
  [ -n "$(service_pid)" ] || note "warning: service not running; start it with: $0 start"
  print_env
}

case "${1:-}" in
  start) cmd_start ;;
  stop) shift; cmd_stop "$@" ;;
  remove-containers) remove_containers labelled ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) echo "usage: $0 start|stop [--containers|--all-containers]|remove-containers|status|env" >&2; exit 2 ;;
esac
