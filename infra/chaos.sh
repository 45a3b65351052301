#!/usr/bin/env bash
# The chaos check (issue 9): each trial starts 2-3 `orchest serve` hosts on one task hub of a local
# Azurite, runs a mixed workload over HTTP (chains, fan-outs with joins, failing steps, retried steps,
# data passed to children, runs cancelled at random moments, runs started by git pushes, one of them
# delivered to the host about to die and redelivered if unanswered), SIGKILLs a random host (and its step
# processes) at a random moment, maybe starts a replacement, waits for every run to end, then checks:
# every run ended and matches its steps and its workload, no run lost, events numbered densely, each
# succeeded step committed exactly one output set and its children read exactly that, no step left
# running, the killed host's steps ran again at a higher attempt, no planned run exists twice, every
# push that reached a host has its run at the pushed commit, no host died that the trial did not kill. Prints a line per trial and a summary;
# writes results.json (rewritten after every trial) and, for trials with violations, their evidence.
#
#   bash infra/chaos.sh                           # 200 full trials, 3 hosts each (hours)
#   bash infra/chaos.sh --small --trials 2        # small trials (the test command runs this)
#   bash infra/chaos.sh --seed 1234 --trials 1    # trial 1234 again (trial i of --seed S has seed S+i-1)
#
# Options (passed to tests/Orchest.Chaos; --help lists them): --trials N, --hosts 2|3, --seed S, --small,
# --output DIR (default artifacts/chaos/<time>), --run-timeout SECONDS, --evidence-always, --host-setting
# Section:Key=value (repeatable), --azurite CONNECTION-STRING (else one is started on free ports, on disk,
# and stopped at the end). Options of this script:
# --configuration Debug|Release (default Debug), --no-build (use an existing build, e.g. the test command's).
# Exit code: 0 when every trial ran and found no violation, non-zero otherwise (also for bad options).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

configuration=Debug
build=1
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --configuration) configuration="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) args+=("$1"); shift ;;
  esac
done

# A quiet build prints only its warnings and errors.
if [[ $build == 1 ]]; then
  echo "chaos: building ($configuration)" >&2
  dotnet build tests/Orchest.Chaos/Orchest.Chaos.csproj -c "$configuration" -nologo -v quiet ${CI:+-p:CI=true} >&2 || exit 1
fi

# Recorded in the results: a seed plans the same trial only with the same planner.
ORCHEST_CHAOS_REVISION="$(git describe --always --dirty 2>/dev/null || echo unknown)"
export ORCHEST_CHAOS_REVISION

# The driver cleans up on TERM (hosts, their steps, storage, Azurite): forward it and wait.
driver_pid=""
stop() {
  if [[ -n "$driver_pid" ]] && kill -0 "$driver_pid" 2>/dev/null; then
    kill -TERM "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

"tests/Orchest.Chaos/bin/$configuration/net10.0/Orchest.Chaos" ${args[@]+"${args[@]}"} &
driver_pid=$!
status=0
wait "$driver_pid" || status=$?
driver_pid=""
exit "$status"
