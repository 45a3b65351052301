#!/usr/bin/env bash
# Installs `orchest` as a .NET tool from this repository: packs functions/Orchest.Cli (Release,
# ReadyToRun for this machine's runtime identifier) into
# <repo>/artifacts/tool and runs `dotnet tool update --global` from there (which installs it the first
# time), so `orchest` is on the PATH as ~/.dotnet/tools/orchest. Also checks the Python packages the
# process runner's .py and .ipynb steps need (prerequisites.sh; installed with apt when root).
# Run it again after pulling changes: each install is a new version, so the tool is always replaced.
#
#   bash infra/local/install.sh            install or update
#   bash infra/local/install.sh --uninstall
#
# Settings: ORCHEST_TOOL_FEED (default <repo>/artifacts/tool), DOTNET_CLI_HOME (where dotnet keeps
# tools; default $HOME).
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
FEED="${ORCHEST_TOOL_FEED:-$REPO_ROOT/artifacts/tool}"
TOOLS_DIR="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"

note() { echo "install: $*"; }
die() { echo "install: error: $*" >&2; exit 1; }

command -v dotnet > /dev/null 2>&1 || die "dotnet is not on the PATH; install the .NET 10 SDK (global.json names the version)"

if [[ "${1:-}" == "--uninstall" ]]; then
  dotnet tool uninstall --global orchest
  exit 0
fi
[[ -z "${1:-}" ]] || die "unknown argument: $1 (usage: $0 [--uninstall])"

if ! bash "$SCRIPT_DIR/prerequisites.sh"; then
  note "warning: Python steps (.py, .ipynb) will fail until the packages above are installed; orchest itself is installed anyway"
fi

# A version of its own per install: NuGet and the tool store cache packages by id and version, so
# reusing one would reinstall the old build.
version="0.1.0-local.$(date -u +%Y%m%d%H%M%S)"
mkdir -p "$FEED"
rm -f "$FEED"/orchest.*.nupkg
note "building orchest $version (Release) and packing it as a .NET tool into $FEED"
note "the first build restores packages and compiles the projects orchest needs: about a minute; later ones take seconds"
started=$SECONDS
# Default verbosity: a live view on a terminal, one line per built project otherwise.
# ReadyToRun for this machine's runtime identifier (a tool package for that RID): the CLI starts
# without JIT-compiling its own code, ~70 ms sooner on every `orchest run`.
rid="linux-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
[[ "$(uname -s)" == Darwin ]] && rid="osx-$(uname -m | sed -e 's/x86_64/x64/')"
dotnet pack "$REPO_ROOT/functions/Orchest.Cli/Orchest.Cli.csproj" -c Release -nologo \
  -p:PackageVersion="$version" -p:RuntimeIdentifier="$rid" -p:SelfContained=false -p:PublishReadyToRun=true -o "$FEED" \
  || die "the build failed (output above)"
note "built in $((SECONDS - started)) s"

output="$(dotnet tool update --global --allow-downgrade --add-source "$FEED" --version "$version" orchest 2>&1)" \
  || { echo "$output" >&2; die "dotnet tool update failed (output above)"; }
note "installed orchest $version as $TOOLS_DIR/orchest"

case ":$PATH:" in
  *":$TOOLS_DIR:"*) note "ready: orchest --help" ;;
  *)
    note "$TOOLS_DIR is not on your PATH. For this shell:"
    echo "  export PATH=\"\$PATH:$TOOLS_DIR\""
    note "and to keep it, add that line to ~/.bashrc (or ~/.profile)."
    ;;
esac
