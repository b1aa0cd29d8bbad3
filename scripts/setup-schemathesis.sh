#!/usr/bin/env bash
# Creates .venv-schemathesis (gitignored) with a pinned schemathesis from the Python package index, for test/e2e/schemathesis.test.ts.
# Idempotent: does nothing when the venv already has this version. Prints the schemathesis version.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=4.32.5
VENV=.venv-schemathesis

if [ -x "$VENV/bin/schemathesis" ] && "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('schemathesis') != '$VERSION')" 2>/dev/null; then
  echo "schemathesis $VERSION (already in $VENV)"
  exit 0
fi
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  # Debian's python3 keeps venv/ensurepip in a separate package.
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    apt-get install -y -qq python3-venv >/dev/null
  else
    echo "python3 has no venv module: install python3-venv" >&2
    exit 1
  fi
fi
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-input "schemathesis==$VERSION" >&2
echo "schemathesis $VERSION (installed in $VENV)"
