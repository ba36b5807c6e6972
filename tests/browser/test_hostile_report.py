"""The report of fixtures/hostile in headless Chromium: every hostile name shows as plain text,
and nothing runs, pops up, logs an error or fetches anything, whatever the reader hovers, clicks
or focuses."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, run_seams

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
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
HOSTILE_NAMES = [
    'hostile.names." onmouseover="alert(1)',
    "hostile.names.javascript:alert(1)",
    "hostile.names.<img src=x onerror=alert(1)>",
    "hostile.names.<script>alert(1)<\\script>",
    "hostile.names.'-alert(1)-'",
    "hostile.names.{{7*7}} ${7*7}",
    "hostile.names.&amp;&lt;x&gt;",
    "hostile.names.`id`",
    "hostile.names.rtl\u202egnp",
    "hostile.names.zero\u200bwidth",
    "hostile.ünïcödé.שלום",
]


def chromium_or_skip() -> None:
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    message = f"Chromium is not installed at {CHROMIUM} (Debian package 'chromium')"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Page:
    """A loaded page and everything it did that a safe report never does."""

    page: Any
    url: str
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [r for r in self.requests if r != self.url]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile-report")
    run = run_seams("analyze", FIXTURES / "hostile", "-o", out, "--no-git")
    assert run.code == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=ARGS,
        )
        yield launched
        launched.close()


@pytest.fixture
def opened(browser: Any, report: Path) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    url = (report / "report.html").resolve().as_uri()
    seen = Page(page, url)

    def on_dialog(dialog: Any) -> None:
        seen.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda m: (
            seen.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    context.on("request", lambda r: seen.requests.append(r.url))
    page.goto(url)
    page.wait_for_load_state("load")
    yield seen
    context.close()


# Runs every inline handler an injection could have planted: mouse, focus, keyboard, clicks.
PROVOKE = """() => {
  const kinds = ["mouseover", "mouseenter", "mousemove", "focus", "focusin", "keydown", "click"];
  let count = 0;
  for (const el of document.querySelectorAll("body *")) {
    for (const kind of kinds) {
      el.dispatchEvent(new Event(kind, {bubbles: true}));
      count += 1;
    }
  }
  return count;
}"""

VISIBLE_TEXT = """() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && !["SCRIPT", "STYLE"].includes(parent.tagName))
      parts.push(walker.currentNode.data);
  }
  for (const el of document.querySelectorAll("body *")) {
    if (el.tagName === "SCRIPT") continue;
    for (const attr of el.attributes) parts.push(attr.value);
  }
  return parts.join("\\n");
}"""

DANGEROUS_MARKUP = """() => {
  const found = [];
  const urls = ["href", "src", "action", "formaction", "xlink:href"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith("on")) found.push(el.tagName + "[" + attr.name + "]");
      if (urls.includes(attr.name) && /^\\s*javascript:/i.test(attr.value))
        found.push(el.tagName + "[" + attr.name + "=" + attr.value + "]");
    }
    if (["IMG", "IFRAME", "OBJECT", "EMBED", "BASE", "FORM", "LINK"].includes(el.tagName))
      found.push(el.tagName);
  }
  return found;
}"""


def test_nothing_runs_pops_up_logs_or_fetches(opened: Page) -> None:
    provoked = opened.page.evaluate(PROVOKE)
    assert provoked > 100
    opened.page.wait_for_timeout(200)  # let any planted timer or handler fire
    assert opened.dialogs == []
    assert opened.errors == []
    assert opened.console == []
    assert opened.foreign_requests() == []


def test_no_markup_was_injected(opened: Page) -> None:
    assert opened.page.evaluate(DANGEROUS_MARKUP) == []
    csp = opened.page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert csp is not None and "default-src 'none'" in csp


def test_hostile_names_are_shown_literally(opened: Page) -> None:
    shown = opened.page.evaluate(VISIBLE_TEXT)
    missing = [name for name in HOSTILE_NAMES if name not in shown]
    assert missing == []


def test_embedded_data_round_trips_exactly(opened: Page, report: Path) -> None:
    embedded = opened.page.evaluate(
        """() => [...document.querySelectorAll('script[type="application/json"]')]
                 .map(s => JSON.parse(s.textContent))"""
    )
    document = json.loads((report / "decomposition.json").read_text(encoding="utf-8"))
    modules = [set(data.get("modules", {})) for data in embedded if isinstance(data, dict)]
    assert set(document["modules"]) in modules
    assert set(HOSTILE_NAMES) <= set(document["modules"])
