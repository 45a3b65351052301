#!/usr/bin/env bash
# Starts or stops a local Azurite (the Azure Storage emulator) for served mode by hand. Tests do not
# use this: their fixture starts its own Azurite on free ports.
#
#   infra/local/azurite-service.sh start|stop|status|env
#
#   start   installs azurite@3.37.0 with npm on first use, starts it, and reports "running" only when
#           each of its three ports answers from the Azurite it started. A port another process holds
#           fails the start at once, naming that process (pid and command line).
#   stop    stops the Azurite this script started (TERM, then KILL after 5 s)
#   status  exit 0 when that Azurite runs and holds its ports, 3 otherwise (saying what is wrong)
#   env     prints `export AzureWebJobsStorage=...` for its ports, for eval "$(... env)"
#
# Settings (environment):
#   ORCHEST_AZURITE_BLOB_PORT, ORCHEST_AZURITE_QUEUE_PORT, ORCHEST_AZURITE_TABLE_PORT
#                         ports (default 10000, 10001, 10002: what UseDevelopmentStorage=true means);
#                         `status`, `env` and `stop` use the ports of the running Azurite
#   ORCHEST_AZURITE_DATA  state folder (data, pid, ports, log); default <repo>/.tools/azurite-data
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
DATA="${ORCHEST_AZURITE_DATA:-$REPO_ROOT/.tools/azurite-data}"
PID_FILE="$DATA/azurite.pid"
PORTS_FILE="$DATA/azurite.ports"
LOG_FILE="$DATA/azurite.log"
START_TIMEOUT=20
# Azurite's development account: public, documented by Microsoft, the same in every Azurite.
ACCOUNT=devstoreaccount1
ACCOUNT_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

die() { echo "azurite: error: $*" >&2; exit 1; }

requested_ports() {
  echo "${ORCHEST_AZURITE_BLOB_PORT:-10000} ${ORCHEST_AZURITE_QUEUE_PORT:-10001} ${ORCHEST_AZURITE_TABLE_PORT:-10002}"
}

# The ports of the Azurite this script started, else the requested ones.
current_ports() {
  if [[ -f "$PORTS_FILE" ]]; then cat "$PORTS_FILE"; else requested_ports; fi
}

# Socket inodes listening on TCP port $1 (IPv4 or IPv6, any address), from /proc/net/tcp{,6}.
listening_inodes() {
  local hex tables=() table
  hex="$(printf '%04X' "$1")"
  for table in /proc/net/tcp /proc/net/tcp6; do [[ -r "$table" ]] && tables+=("$table"); done
  # Fields: sl local_address rem_address st ... inode (10th); st 0A = LISTEN.
  awk -v port="$hex" '$4 == "0A" && toupper(substr($2, length($2) - 3)) == port { print $10 }' "${tables[@]}" | sort -u
}

# Pids holding a listening socket on TCP port $1 (those this user may see).
port_holders() {
  local inode
  for inode in $(listening_inodes "$1"); do
    find /proc/[0-9]*/fd -maxdepth 1 -lname "socket:\[$inode\]" 2>/dev/null | cut -d/ -f3
  done | sort -u
}

describe_pid() {
  local cmd
  cmd="$(tr '\0\n' '  ' < "/proc/$1/cmdline" 2>/dev/null | cut -c1-200 || true)"
  echo "pid $1 (${cmd% })"
}

# "ports 10000, 10001 are held by pid 123 (node ...)" for the given ports that something listens on;
# exit 1 when all are free.
describe_taken() {
  local port pid holders found=1 ports
  local -A held=()
  local order=()
  for port in "$@"; do
    [[ -n "$(listening_inodes "$port")" ]] || continue
    found=0
    holders="$(port_holders "$port")"
    for pid in ${holders:-unseen}; do
      [[ -n "${held[$pid]:-}" ]] || order+=("$pid")
      held[$pid]="${held[$pid]:+${held[$pid]}, }$port"
    done
  done
  for pid in "${order[@]}"; do
    ports="${held[$pid]}"
    if [[ "$ports" == *,* ]]; then printf 'ports %s are held by ' "$ports"; else printf 'port %s is held by ' "$ports"; fi
    if [[ "$pid" == unseen ]]; then echo "a process this user cannot see"; else describe_pid "$pid"; fi
  done
  return $found
}

# The process a holder pid belongs to is ours when it is the pid we started or in its session
# (setsid makes the started process a session leader).
ours() {
  local holder="$1" started="$2" stat session
  [[ "$holder" == "$started" ]] && return 0
  stat="$(cat "/proc/$holder/stat" 2>/dev/null)" || return 1
  # Fields after the command name (which may hold spaces): state ppid pgrp session ...
  read -r _ _ _ session _ <<< "${stat##*) }"
  [[ "$session" == "$started" ]]
}

# Ports of $@ not (yet) held by the process $started.
ports_not_ours() {
  local started="$1" port pid held
  shift
  for port in "$@"; do
    held=1
    for pid in $(port_holders "$port"); do
      if ours "$pid" "$started"; then held=0; fi
    done
    [[ $held == 0 ]] || echo "$port"
  done
}

started_pid() {
  local pid
  [[ -f "$PID_FILE" ]] || return 1
  pid="$(cat "$PID_FILE")"
  # Guards against a reused pid: the process must be an Azurite on our data folder.
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--location $DATA " \
    && echo "$pid"
}

connection_string() {
  local blob queue table
  read -r blob queue table <<< "$1"
  if [[ "$1" == "10000 10001 10002" ]]; then
    echo "UseDevelopmentStorage=true"
  else
    echo "DefaultEndpointsProtocol=http;AccountName=$ACCOUNT;AccountKey=$ACCOUNT_KEY;BlobEndpoint=http://127.0.0.1:$blob/$ACCOUNT;QueueEndpoint=http://127.0.0.1:$queue/$ACCOUNT;TableEndpoint=http://127.0.0.1:$table/$ACCOUNT"
  fi
}

cmd_start() {
  local ports pid
  ports="$(requested_ports)"
  for port in $ports; do
    [[ "$port" =~ ^[0-9]+$ ]] && (( port > 0 && port < 65536 )) || die "port \"$port\" is not a TCP port number"
  done
  if pid="$(started_pid)"; then
    [[ "$(current_ports)" == "$ports" ]] \
      || die "already running (pid $pid) on ports $(current_ports), not $ports; stop it first: $0 stop"
    if [[ -z "$(ports_not_ours "$pid" $ports)" ]]; then
      echo "azurite: already running (pid $pid, ports ${ports// /, })"
      echo "AzureWebJobsStorage=$(connection_string "$ports")"
      return 0
    fi
    die "pid $pid is running but does not hold all of its ports ($(describe_taken $ports | paste -sd';' -)); stop it: $0 stop"
  fi

  # Fail before starting anything when a port is taken: Azurite would exit with EADDRINUSE, and a
  # client pointed at these ports would talk to someone else's storage.
  local taken
  if taken="$(describe_taken $ports)"; then
    echo "$taken" | sed 's/^/azurite: error: /' >&2
    die "ports ${ports// /, } must be free; choose others with ORCHEST_AZURITE_BLOB_PORT, ORCHEST_AZURITE_QUEUE_PORT and ORCHEST_AZURITE_TABLE_PORT"
  fi

  local bin blob queue table
  bin="$(bash "$SCRIPT_DIR/azurite.sh")"
  read -r blob queue table <<< "$ports"
  mkdir -p "$DATA"
  rm -f "$PID_FILE" "$PORTS_FILE"
  setsid "$bin" --silent --skipApiVersionCheck --loose --location "$DATA" \
    --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" > "$LOG_FILE" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$PID_FILE"
  echo "$ports" > "$PORTS_FILE"

  local deadline=$((SECONDS + START_TIMEOUT)) missing
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE" "$PORTS_FILE"
      tail -n 3 "$LOG_FILE" | sed 's/^/azurite: log: /' >&2
      describe_taken $ports | sed 's/^/azurite: error: /' >&2 || true
      die "Azurite exited during start-up (log: $LOG_FILE)"
    fi
    missing="$(ports_not_ours "$pid" $ports | paste -sd' ' -)"
    [[ -n "$missing" ]] || break
    if (( SECONDS >= deadline )); then
      describe_taken $missing | sed 's/^/azurite: error: /' >&2 || true
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$PID_FILE" "$PORTS_FILE"
      die "Azurite (pid $pid) did not listen on port(s) $missing within ${START_TIMEOUT} s; stopped it (log: $LOG_FILE)"
    fi
    sleep 0.1
  done
  echo "azurite: running (pid $pid, ports ${ports// /, }, data $DATA)"
  echo "AzureWebJobsStorage=$(connection_string "$ports")"
}

cmd_stop() {
  local pid
  if pid="$(started_pid)"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    # Azurite may ignore TERM (DESIGN.md §10).
    kill -KILL "$pid" 2>/dev/null || true
    echo "azurite: stopped (pid $pid)"
  else
    echo "azurite: not running"
  fi
  rm -f "$PID_FILE" "$PORTS_FILE"
}

cmd_status() {
  local pid ports missing
  ports="$(current_ports)"
  if ! pid="$(started_pid)"; then
    echo "azurite: not running"
    describe_taken $ports | sed 's/^/azurite: note: /' || true
    return 3
  fi
  missing="$(ports_not_ours "$pid" $ports | paste -sd' ' -)"
  if [[ -n "$missing" ]]; then
    echo "azurite: pid $pid is running but does not hold port(s) $missing"
    describe_taken $missing | sed 's/^/azurite: /' || true
    return 3
  fi
  echo "azurite: running (pid $pid, ports ${ports// /, })"
}

cmd_env() {
  started_pid > /dev/null || echo "azurite: warning: not running; start it with: $0 start" >&2
  echo "export AzureWebJobsStorage=\"$(connection_string "$(current_ports)")\""
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *)
    echo "usage: $0 start|stop|status|env   (ports: ORCHEST_AZURITE_BLOB_PORT, _QUEUE_PORT, _TABLE_PORT)" >&2
    exit 2
    ;;
esac
