#!/usr/bin/env bash
# Installs Azurite (the Azure Storage emulator, DESIGN.md §10) into <repo>/.tools/azurite with npm
# when it is missing, and prints the path of its binary. Idempotent: a present install is reused
# (~10 ms). The test fixture (tests/Orchest.Testing/AzuriteFixture.cs) runs this before starting
# Azurite on free ports.
#
#   infra/local/azurite.sh            install if needed, print the binary path
#
# Settings: ORCHEST_AZURITE_DIR (default <repo>/.tools/azurite), ORCHEST_AZURITE_VERSION (3.37.0).
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
VERSION="${ORCHEST_AZURITE_VERSION:-3.37.0}"
DIR="${ORCHEST_AZURITE_DIR:-$REPO_ROOT/.tools/azurite}"
BIN="$DIR/node_modules/.bin/azurite"
STAMP="$DIR/.installed-$VERSION"

if [[ -x "$BIN" && -f "$STAMP" ]]; then
  echo "$BIN"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "azurite.sh: error: npm is not installed (apt-get install -y nodejs npm)" >&2
  exit 1
fi

mkdir -p "$DIR"
# A lock so parallel test runs do not install over each other.
exec 9>"$DIR/.install.lock"
flock 9
if [[ ! -x "$BIN" || ! -f "$STAMP" ]]; then
  [[ -f "$DIR/package.json" ]] || echo '{"name":"orchest-azurite","private":true}' >"$DIR/package.json"
  echo "azurite.sh: installing azurite@$VERSION into $DIR" >&2
  npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "azurite@$VERSION" >&2
  [[ -x "$BIN" ]] || { echo "azurite.sh: error: npm finished but $BIN is missing" >&2; exit 1; }
  rm -f "$DIR"/.installed-*
  touch "$STAMP"
fi
echo "$BIN"
