#!/usr/bin/env bash
# The benchmark command (issue 6): orchest against GNU make, Snakemake and raw lower bounds on the
# same DAGs, same commands, same parallelism, in the same run. Prints a markdown table and writes a
# JSON results file (its path is printed last).
#
#   bash infra/bench.sh                      # full run: default sizes, 5 repetitions
#   bash infra/bench.sh --smoke              # tiny sizes, 1 repetition (the test command runs this)
#   bash infra/bench.sh -n 3 --sizes chain=40,fanout=200 --scenarios chain40,fanout1000 --output r.json
#
# Options are passed to the benchmark (tests/Orchest.Benchmarks; --help lists them): -n/--repetitions,
# --sizes, --smoke, --scenarios a,b, --contenders a,b, --parallelism P, --output file.json,
# --slow-threshold S. Options of this script: --configuration Release|Debug (default Release),
# --no-build (use an existing build, e.g. the test command's), --no-install (never apt-get).
# A full run installs absent peers (make, snakemake) from Debian when run as root; --smoke does not
# (an absent peer is then reported "n/a (... not installed)").
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

configuration=Release
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
    *) args+=("$1"); shift ;;
  esac
done
[[ $smoke == 1 ]] && install=0

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

if [[ -z "$output" ]]; then
  kind=results
  [[ $smoke == 1 ]] && kind=smoke
  output="$repo/artifacts/bench/$kind-$(date -u +%Y%m%dT%H%M%SZ).json"
fi

bin="tests/Orchest.Benchmarks/bin/$configuration/net10.0/Orchest.Benchmarks"
exec "$bin" --orchest "functions/Orchest.Cli/bin/$configuration/net10.0/orchest" --output "$output" ${args[@]+"${args[@]}"}
