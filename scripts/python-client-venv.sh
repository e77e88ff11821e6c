#!/usr/bin/env bash
# Makes the Python virtual environment the real-client tests use: the official Python MCP client
# (`mcp` 2.3.0, which speaks 2026-07-28) in .venv-mcp/ at the repository root (gitignored), or in
# $AGENTWIRE_PY_VENV when set. Never fatal: where python3, venv or the package cannot be had it
# prints a warning and exits 0, and the Python client tests skip with a printed reason.
set -uo pipefail
cd "$(dirname "$0")/.."

VENV="${AGENTWIRE_PY_VENV:-$PWD/.venv-mcp}"
WANT="2.3.0"
warn() { echo "warning: $*; the Python MCP client tests will skip" >&2; exit 0; }

command -v python3 >/dev/null 2>&1 || warn "python3 not found"
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('mcp') != '$WANT')" 2>/dev/null; then
  echo "python client venv: $VENV (mcp $WANT, already there)"
  exit 0
fi
python3 -m venv "$VENV" >/dev/null 2>&1 || warn "python3 -m venv failed (is python3-venv installed?)"
# --retries 0: an index this machine cannot reach fails at once instead of backing off per package.
"$VENV/bin/pip" install --quiet --retries 0 "mcp==$WANT" >"$VENV/pip-install.log" 2>&1 \
  || warn "pip install mcp==$WANT failed (see $VENV/pip-install.log)"
echo "python client venv: $VENV (mcp $WANT)"
