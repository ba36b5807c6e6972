#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh Debian or Ubuntu machine, then run it:
# lint, types, the layering contract, and pytest (unit, functional, browser).
#
#   bash scripts/test.sh                                  the whole suite (about 7 minutes)
#   bash scripts/test.sh -m "not slow and not browser"    the quick loop (about 2 minutes)
#
# Arguments go to pytest. Everything is installed into a virtual environment, .venv (or
# $SEAMS_VENV), made with the system's python3; Chromium comes from apt when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${SEAMS_VENV:-.venv}
log=$(mktemp "${TMPDIR:-/tmp}/seams-test-setup.XXXXXX")
trap 'rm -f "$log"' EXIT

say() { printf '== %s\n' "$*"; }
quietly() {  # run a setup step with its output in the log, shown only if it fails
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "failed: $*" >&2
    exit 1
  fi
}

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Chromium for the browser tests (apt-get, about 30 s)"
    quietly apt-get update -qq
    quietly env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation
  else
    say "Chromium is missing: the browser tests will be skipped (CI=true: they fail)"
    echo "   to run them: sudo apt-get install chromium fonts-liberation" >&2
  fi
fi

if [ ! -x "$venv/bin/python" ]; then
  say "creating a virtual environment in $venv"
  if ! python3 -m venv "$venv" >"$log" 2>&1; then
    cat "$log" >&2
    echo "python3 cannot make a virtual environment: on Debian or Ubuntu," \
      "install it with: sudo apt-get install python3-venv" >&2
    exit 1
  fi
fi
say "installing Seams and its test tools into $venv (pip; about a minute the first time)"
quietly "$venv/bin/python" -m pip install --disable-pip-version-check -e '.[test]'

say "ruff check"
"$venv/bin/python" -m ruff check .
say "ruff format --check"
"$venv/bin/python" -m ruff format --check .
say "mypy"
"$venv/bin/python" -m mypy
say "import-linter: the layering contracts"
"$venv/bin/lint-imports" --no-logo
say "pytest ${*:-(the whole suite)}, one worker per core"
"$venv/bin/python" -m pytest -n auto "$@"
