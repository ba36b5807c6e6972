"""Headless Debian Chromium driven by playwright (never ``playwright install``).

Without Chromium these tests skip on a workstation and FAIL under CI=true, so a CI image that
lost its browser cannot pass silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, ROOT, run_seams

CHROMIUM = os.environ.get("SEAMS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
FIXTURE_NAMES = ["shop", "layered"]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A loaded report and everything the page did: console messages, errors, requests, dialogs."""

    page: Any
    url: str
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def details(self) -> str:
        return str(self.page.locator("#details").inner_text())

    def foreign_requests(self) -> list[str]:
        """Requests for anything but the report itself (a safe report makes none)."""
        return [r for r in self.requests if r != self.url]


@pytest.fixture
def visit(browser: Any) -> Iterator[Callable[..., Visit]]:
    pages: list[Any] = []

    def open_report(path: Path, javascript: bool = True) -> Visit:
        context = browser.new_context(
            viewport={"width": 1400, "height": 900}, java_script_enabled=javascript
        )
        page = context.new_page()
        pages.append(context)
        seen = Visit(page, path.resolve().as_uri())
        page.on(
            "console",
            lambda m: (
                seen.console.append(f"{m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        context.on("request", lambda r: seen.requests.append(r.url))  # workers' too
        page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
        page.goto(seen.url)  # waits for the load event; the report's script runs before it
        if javascript:
            assert page.evaluate("window.seamsReady") is True
        return seen

    yield open_report
    for context in pages:
        context.close()


@pytest.fixture(scope="session")
def fixture_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """report.html of each bundled fixture, written by the real command."""
    reports = {}
    for name in FIXTURE_NAMES:
        out = tmp_path_factory.mktemp(f"report-{name}")
        run = run_seams("analyze", FIXTURES / name, "-o", out, "--no-git", "--jobs", "1")
        assert run.code == 0, run.stderr
        reports[name] = out / "report.html"
    return reports


def screenshot(visit: Visit, name: str) -> Path:
    """The map and its details panel as the user sees them, saved under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    visit.page.evaluate("document.getElementById('map').scrollIntoView()")
    visit.page.screenshot(path=str(path))
    return path
