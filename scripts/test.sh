#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh Debian machine, then run all of it:
# lint, types, the layering contract, and pytest (unit, functional, browser).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null
  else
    echo "chromium is missing: browser tests will fail (install the Debian package 'chromium')" >&2
  fi
fi

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'

echo "== ruff";        python3 -m ruff check .
echo "== ruff format"; python3 -m ruff format --check .
echo "== mypy";        python3 -m mypy
echo "== import-linter"; lint-imports
echo "== pytest";      python3 -m pytest "$@"
