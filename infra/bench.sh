#!/usr/bin/env bash
# The benchmark command (issue 6): orchest against GNU make, Snakemake and raw lower bounds on the
# same DAGs, same commands, same parallelism, in the same run. Prints a markdown table and writes a
# JSON results file (its path is printed last).
#
#   bash infra/bench.sh                      # full run: default sizes, 5 repetitions, every scenario
#   bash infra/bench.sh --smoke              # tiny sizes, 1 repetition (the test command runs this)
#   bash infra/bench.sh -n 3 --sizes chain=40,fanout=200 --scenarios chain40,fanout1000 --output r.json
#   bash infra/bench.sh -n 1 --scenarios fanout10000,fanout50000 --contenders orchest,orchest-nosandbox,make,raw-bash
#                                            # scale: fan-outs of 10,000 and 50,000 steps (only when named);
#                                            # the notes give the CLI's peak RSS beside its wall time
#
# Options are passed to the benchmark (tests/Orchest.Benchmarks; --help lists them): -n/--repetitions,
# --sizes, --smoke, --scenarios a,b, --contenders a,b, --parallelism P, --output file.json,
# --slow-threshold S, --trigger-idle S, --settle S. Options of this script: --configuration Release|Debug (default
# Release), --no-build (use an existing build, e.g. the test command's), --no-install (never apt-get).
# A full run installs absent peers (make, snakemake) from Debian when run as root; --smoke does not
# (an absent peer is then reported "n/a (... not installed)").
#
# The old served engine (orchest-served-v1 and -v1-warm: Tables/Queues state machine, the last commit
# before Durable Task, ORCHEST_V1_COMMIT below) runs beside the new one when those contenders are
# selected (every full run): its CLI is built once per configuration (the benchmark's, Release by
# default, so both engines are built alike) from `git archive` of that commit into
# .tools/orchest-v1/<commit>/ and reused; never in --smoke. If it cannot be built its rows read n/a.
#
# Services, started only when a selected scenario needs them and stopped again at the end:
# - Azurite on free loopback ports for the served contenders (chain40, fanout1000, trigger) and the
#   raw Durable Task bound (raw-durabletask: DurableTask.Core alone, chain40 and fanout1000); also in
#   --smoke (~2 s). On disk in a temp folder (--location), not in memory: in memory its 60 s purge of
#   deleted queue messages freezes it for minutes after big fan-outs (DESIGN §10). Without
#   npm/Azurite those rows read n/a.
# - The container scenarios (container, container-chain10) need a Docker API: DOCKER_HOST as set, or
#   else (full runs only) the podman service (infra/local/podman-service.sh start, stopped at the end
#   only if this script started it) and the base image (infra/local/base-images.sh, ~80 s once per
#   machine). --smoke never starts podman: its container rows read n/a unless DOCKER_HOST is set.
set -euo pipefail

# The last commit whose `orchest serve` ran served runs on our own Tables/Queues state machine (main
# moved them onto Durable Task in 599e880). Pinned: the v1 rows always measure the same engine.
ORCHEST_V1_COMMIT=d3b52c600fe1ddf99a3ce0f6b5ea6e2f5086a437

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

configuration=Release
scenarios=""
contenders=""
build=1
install=1
smoke=0
output=""
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --configuration) configuration="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-install) install=0; shift ;;
    --smoke) smoke=1; args+=("$1"); shift ;;
    --output|-o) output="$2"; shift 2 ;;
    --scenarios|--contenders) args+=("$1" "$2"); [[ $1 == --scenarios ]] && scenarios="$2" || contenders="$2"; shift 2 ;;
    --scenarios=*) args+=("$1"); scenarios="${1#*=}"; shift ;;
    --contenders=*) args+=("$1"); contenders="${1#*=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
[[ $smoke == 1 ]] && install=0

# selected <scenario or contender prefix>...: true when the --scenarios filter (if any) names one of
# the given scenarios, and the --contenders filter (if any) names a contender of that kind.
selected() {
  local kind="$1"; shift
  local wanted=0 scenario
  if [[ -z "$scenarios" ]]; then
    wanted=1
  else
    for scenario in "$@"; do [[ ",$scenarios," == *",$scenario,"* ]] && wanted=1; done
  fi
  [[ $wanted == 1 ]] || return 1
  [[ -z "$contenders" || ",$contenders," == *",$kind"* ]]
}

install_peers() {
  local missing=()
  command -v make >/dev/null || missing+=(make)
  command -v snakemake >/dev/null || missing+=(snakemake)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ "$(id -u)" != "0" ]]; then
    echo "bench: ${missing[*]} not installed (not root, not installing; those rows read n/a)" >&2
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  local packages=()
  for package in "${missing[@]}"; do
    if apt-cache policy "$package" | grep -q "Candidate: [0-9]"; then
      packages+=("$package")
    else
      echo "bench: Debian has no candidate for $package; its rows read n/a" >&2
    fi
  done
  if [[ ${#packages[@]} -gt 0 ]]; then
    echo "bench: installing ${packages[*]} from Debian" >&2
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  fi
}

[[ $install == 1 ]] && install_peers

if [[ $build == 1 ]]; then
  echo "bench: building ($configuration)" >&2
  build_log="$(mktemp)"
  if ! dotnet build tests/Orchest.Benchmarks/Orchest.Benchmarks.csproj -c "$configuration" -nologo -v quiet ${CI:+-p:CI=true} > "$build_log" 2>&1; then
    grep -E "error|warning" "$build_log" | sort -u | head -30 >&2
    rm -f "$build_log"
    exit 1
  fi
  rm -f "$build_log"
fi

# The orchest CLI as users install it (infra/local/install.sh): ReadyToRun-compiled for this machine,
# published into artifacts/bench/cli-<configuration>/. With --no-build an earlier publish is reused
# only when it is newer than the build output; otherwise the plain build output is measured (JIT
# start-up: ~60-80 ms slower per run).
rid="linux-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
cli_dir="$repo/artifacts/bench/cli-$configuration"
if [[ $build == 1 ]]; then
  echo "bench: publishing the orchest CLI ReadyToRun ($rid) into $cli_dir" >&2
  publish_log="$(mktemp)"
  if ! dotnet publish functions/Orchest.Cli/Orchest.Cli.csproj -c "$configuration" -r "$rid" --self-contained false \
      -p:PublishReadyToRun=true -o "$cli_dir" -nologo -v quiet ${CI:+-p:CI=true} > "$publish_log" 2>&1; then
    grep -E "error|warning" "$publish_log" | sort -u | head -30 >&2
    rm -f "$publish_log"
    exit 1
  fi
  rm -f "$publish_log"
fi
orchest_cli="functions/Orchest.Cli/bin/$configuration/net10.0/orchest"
if [[ -x "$cli_dir/orchest" && ( $build == 1 || "$cli_dir/orchest.dll" -nt "$orchest_cli.dll" ) ]]; then
  orchest_cli="$cli_dir/orchest"
fi
echo "bench: measuring $orchest_cli" >&2

# The old served engine's CLI (see ORCHEST_V1_COMMIT): sets orchest_v1 to its binary, or
# orchest_v1_unavailable to why not. Built once per configuration into .tools/orchest-v1/<commit>/
# from `git archive` (no worktree: other checkouts of this repository never see it) and reused while
# its .built-<configuration> stamp is there; a lock keeps two benchmark runs from building at once.
orchest_v1=""
orchest_v1_unavailable=""
build_orchest_v1() {
  local dir="$repo/.tools/orchest-v1/$ORCHEST_V1_COMMIT"
  local binary="$dir/functions/Orchest.Cli/bin/$configuration/net10.0/orchest"
  local stamp="$dir/.built-$configuration"
  local log="$repo/.tools/orchest-v1/$ORCHEST_V1_COMMIT.$configuration.build.log"
  mkdir -p "$repo/.tools/orchest-v1"
  exec 8>"$repo/.tools/orchest-v1/.lock"
  flock 8
  if [[ ! -f "$stamp" || ! -x "$binary" ]]; then
    if ! git -C "$repo" cat-file -e "$ORCHEST_V1_COMMIT^{commit}" 2>/dev/null; then
      orchest_v1_unavailable="commit $ORCHEST_V1_COMMIT is not in this clone (git fetch it)"
    else
      echo "bench: building the old served engine (commit ${ORCHEST_V1_COMMIT:0:7}, $configuration) into $dir (once; minutes)" >&2
      # A fresh tree unless the other configuration was built from it already.
      if ! compgen -G "$dir/.built-*" > /dev/null; then
        rm -rf "$dir"
        mkdir -p "$dir"
        git -C "$repo" archive "$ORCHEST_V1_COMMIT" | tar -x -C "$dir" \
          || orchest_v1_unavailable="git archive of commit ${ORCHEST_V1_COMMIT:0:7} failed"
      fi
      # Its own warnings are not ours to fix: built without CI=true (warnings stay warnings).
      if [[ -n "$orchest_v1_unavailable" ]]; then
        :
      elif dotnet build "$dir/functions/Orchest.Cli/Orchest.Cli.csproj" -c "$configuration" -nologo -v quiet > "$log" 2>&1 \
         && [[ -x "$binary" ]]; then
        touch "$stamp"
      else
        orchest_v1_unavailable="the old engine (commit ${ORCHEST_V1_COMMIT:0:7}) did not build: $(grep -m1 -oE "error [A-Z]+[0-9]+: [^[]{0,120}" "$log" 2>/dev/null || echo "see log") (log: $log)"
      fi
    fi
  fi
  exec 8>&-
  [[ -z "$orchest_v1_unavailable" ]] && orchest_v1="$binary"
  return 0
}

v1_args=()
if [[ $smoke == 0 ]] && selected orchest-served-v1 chain40 fanout1000 trigger; then
  build_orchest_v1
  if [[ -n "$orchest_v1" ]]; then
    v1_args+=(--orchest-v1 "$orchest_v1")
  else
    echo "bench: $orchest_v1_unavailable; the orchest-served-v1 rows read n/a" >&2
    v1_args+=(--orchest-v1-unavailable "$orchest_v1_unavailable")
  fi
fi

if [[ -z "$output" ]]; then
  kind=results
  [[ $smoke == 1 ]] && kind=smoke
  output="$repo/artifacts/bench/$kind-$(date -u +%Y%m%dT%H%M%SZ).json"
fi

services_dir="$(mktemp -d)"
azurite_pid=""
podman_started=0
benchmark_pid=""

cleanup() {
  if [[ -n "$benchmark_pid" ]] && kill -0 "$benchmark_pid" 2>/dev/null; then
    kill -TERM "$benchmark_pid" 2>/dev/null || true
    wait "$benchmark_pid" 2>/dev/null || true
  fi
  if [[ -n "$azurite_pid" ]]; then
    # Azurite may ignore TERM: KILL after 5 s.
    kill -TERM "$azurite_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$azurite_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$azurite_pid" 2>/dev/null || true
  fi
  if [[ $podman_started == 1 ]]; then
    bash infra/local/podman-service.sh stop > /dev/null 2>&1 || true
  fi
  rm -rf "$services_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
listens() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Azurite on free ports; prints its connection string. Three attempts (a picked port may be taken meanwhile).
start_azurite() {
  local binary blob queue table attempt
  binary="$(bash infra/local/azurite.sh)" || return 1
  for attempt in 1 2 3; do
    blob="$(free_port)"; queue="$(free_port)"; table="$(free_port)"
    mkdir -p "$services_dir/azurite-$attempt"
    (cd "$services_dir" && exec "$binary" --location "$services_dir/azurite-$attempt" --skipApiVersionCheck --loose --disableTelemetry --silent \
      --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
      --tableHost 127.0.0.1 --tablePort "$table" > "$services_dir/azurite.log" 2>&1 < /dev/null) &
    azurite_pid=$!
    for _ in $(seq 1 300); do
      kill -0 "$azurite_pid" 2>/dev/null || break
      if listens "$blob" && listens "$queue" && listens "$table"; then
        local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
        local account=devstoreaccount1
        azurite_connection="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/$account;QueueEndpoint=http://127.0.0.1:$queue/$account;TableEndpoint=http://127.0.0.1:$table/$account;"
        return 0
      fi
      sleep 0.1
    done
    kill -KILL "$azurite_pid" 2>/dev/null || true
    wait "$azurite_pid" 2>/dev/null || true
    azurite_pid=""
  done
  tail -5 "$services_dir/azurite.log" >&2
  return 1
}

service_args=()
if selected orchest-served chain40 fanout1000 trigger || selected raw-durabletask chain40 fanout1000; then
  azurite_connection=""
  if start_azurite; then
    echo "bench: Azurite running (pid $azurite_pid) for the served contenders and raw-durabletask" >&2
    service_args+=(--azurite "$azurite_connection")
  else
    echo "bench: Azurite did not start; the served rows read n/a" >&2
  fi
fi

if selected orchest-docker container container-chain10 || selected raw-podman container container-chain10; then
  if [[ -z "${DOCKER_HOST:-}" && $smoke == 0 ]]; then
    if ! bash infra/local/podman-service.sh status > /dev/null 2>&1; then
      if bash infra/local/podman-service.sh start > "$services_dir/podman.log" 2>&1; then
        podman_started=1
        echo "bench: started the podman service (stopped again at the end)" >&2
      else
        tail -5 "$services_dir/podman.log" >&2
      fi
    fi
    if bash infra/local/podman-service.sh status > /dev/null 2>&1; then
      eval "$(bash infra/local/podman-service.sh env 2> /dev/null)"
      export DOCKER_HOST CONTAINERS_CONF
      echo "bench: base image (infra/local/base-images.sh; ~80 s the first time on a machine)" >&2
      bash infra/local/base-images.sh > "$services_dir/base-images.log" 2>&1 || { tail -5 "$services_dir/base-images.log" >&2; unset DOCKER_HOST; }
    fi
  fi
  # The raw-podman contender runs the podman CLI, which needs the service's containers.conf here.
  if [[ -n "${DOCKER_HOST:-}" && -z "${CONTAINERS_CONF:-}" ]] && bash infra/local/podman-service.sh status > /dev/null 2>&1; then
    eval "$(bash infra/local/podman-service.sh env 2> /dev/null | grep CONTAINERS_CONF)"
    export CONTAINERS_CONF
  fi
  [[ -z "${DOCKER_HOST:-}" ]] && echo "bench: no DOCKER_HOST; the container rows read n/a" >&2
fi

bin="tests/Orchest.Benchmarks/bin/$configuration/net10.0/Orchest.Benchmarks"
"$bin" --orchest "$orchest_cli" --output "$output" \
  ${service_args[@]+"${service_args[@]}"} ${v1_args[@]+"${v1_args[@]}"} ${args[@]+"${args[@]}"} &
benchmark_pid=$!
status=0
wait "$benchmark_pid" || status=$?
benchmark_pid=""
exit "$status"
