"""How to keep the cuts once decided: the commands every output ends with (docs/check.md)."""

from __future__ import annotations

COMMANDS: tuple[tuple[str, str], ...] = (
    (
        "seams init .",
        "declare the proposal as boundaries (seams.toml, edit it) and record today's violations"
        " (.seams-baseline.json); commit both",
    ),
    (
        "seams check .",
        "exit 1 when a change adds a cross-service dependency, a write to another service's"
        " table or a cycle; existing ones pass until fixed",
    ),
)

# The GitHub Actions recipe of docs/check.md, word for word (a test keeps them equal).
CI_RECIPE = """\
name: boundaries
on: [push, pull_request]
jobs:
  seams:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install seams-analyzer
      - name: Check the service boundaries
        run: seams check . --format github
      - name: Report for code scanning
        if: always()
        run: seams check . --format sarif -o seams.sarif --exit-zero
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with:
          sarif_file: seams.sarif
"""
CI_FILE = ".github/workflows/boundaries.yml"
