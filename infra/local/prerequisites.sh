#!/usr/bin/env bash
# Makes sure the embedded runner's step interpreters are present: Debian's python3 with nbclient,
# ipykernel and pandas (the quickstart needs them), and bubblewrap (process steps run in a sandbox
# of their own and see the data folder at /data). Installs them with apt when run as root;
# otherwise says what to install. Idempotent and quiet when everything is there.
set -euo pipefail

python="${ORCHEST_PYTHON:-/usr/bin/python3}"
modules="nbclient ipykernel pandas pytest"
packages="python3 python3-nbclient python3-ipykernel python3-pandas python3-pytest bubblewrap"

missing() {
  [[ -x "$python" ]] || { echo "python3"; return; }
  for m in $modules; do
    "$python" -c "import $m" 2>/dev/null || echo "$m"
  done
  command -v bwrap >/dev/null 2>&1 || echo "bwrap"
}

need="$(missing)"
if [[ -z "$need" ]]; then
  exit 0
fi

if [[ "$(id -u)" != "0" ]]; then
  echo "prerequisites: missing Python modules ($need); install with: sudo apt-get install -y $packages" >&2
  exit 1
fi

echo "prerequisites: installing $packages (missing: $(echo $need))"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq $packages >/dev/null
need="$(missing)"
if [[ -n "$need" ]]; then
  echo "prerequisites: still missing after apt-get: $need" >&2
  exit 1
fi
