#!/usr/bin/env bash
# Starts or stops a local Azurite on its default ports (blob 10000, queue 10001, table 10002) for
# served mode by hand, so `AzureWebJobsStorage=UseDevelopmentStorage=true` works. Tests do not use
# this: their fixture starts its own Azurite on free ports.
#
#   infra/local/azurite-service.sh start|stop|status
#
# State (data, pid, log) lives in <repo>/.tools/azurite-data or $ORCHEST_AZURITE_DATA.
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
DATA="${ORCHEST_AZURITE_DATA:-$REPO_ROOT/.tools/azurite-data}"
PID_FILE="$DATA/azurite.pid"

running() { [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

case "${1:-}" in
  start)
    if running; then
      echo "azurite: already running (pid $(cat "$PID_FILE"))"
      exit 0
    fi
    bin="$(bash "$SCRIPT_DIR/azurite.sh")"
    mkdir -p "$DATA"
    setsid "$bin" --silent --skipApiVersionCheck --loose --location "$DATA" \
      --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 > "$DATA/azurite.log" 2>&1 < /dev/null &
    echo $! > "$PID_FILE"
    for _ in $(seq 1 100); do
      if (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
        echo "azurite: running (pid $(cat "$PID_FILE")); AzureWebJobsStorage=UseDevelopmentStorage=true"
        exit 0
      fi
      sleep 0.1
    done
    echo "azurite: did not start within 10 s; see $DATA/azurite.log" >&2
    exit 1
    ;;
  stop)
    if running; then
      pid="$(cat "$PID_FILE")"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
    echo "azurite: stopped"
    ;;
  status)
    if running; then echo "azurite: running (pid $(cat "$PID_FILE"))"; else echo "azurite: not running"; exit 3; fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
