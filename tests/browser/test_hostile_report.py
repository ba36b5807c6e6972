"""The report of fixtures/hostile in headless Chromium: every hostile name shows as plain text,
and nothing runs, pops up, logs an error or fetches anything, whatever the reader hovers, clicks
or focuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.conftest import Visit
from tests.conftest import FIXTURES, run_seams

pytestmark = pytest.mark.browser

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


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile-report")
    run = run_seams("analyze", FIXTURES / "hostile", "-o", out, "--no-git")
    assert run.code == 0, run.stderr
    return out


@pytest.fixture
def opened(visit: Callable[..., Visit], report: Path) -> Visit:
    return visit(report / "report.html")


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


def test_nothing_runs_pops_up_logs_or_fetches(opened: Visit) -> None:
    provoked = opened.page.evaluate(PROVOKE)
    assert provoked > 100
    opened.page.wait_for_timeout(200)  # let any planted timer or handler fire
    assert opened.dialogs == []
    assert opened.errors == []
    assert opened.console == []
    assert opened.foreign_requests() == []


def test_no_markup_was_injected(opened: Visit) -> None:
    assert opened.page.evaluate(DANGEROUS_MARKUP) == []
    csp = opened.page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert csp is not None and "default-src 'none'" in csp


def test_hostile_names_are_shown_literally(opened: Visit) -> None:
    shown = opened.page.evaluate(VISIBLE_TEXT)
    missing = [name for name in HOSTILE_NAMES if name not in shown]
    assert missing == []


def test_embedded_data_round_trips_exactly(opened: Visit, report: Path) -> None:
    embedded = opened.page.evaluate(
        """() => [...document.querySelectorAll('script[type="application/json"]')]
                 .map(s => JSON.parse(s.textContent))"""
    )
    document = json.loads((report / "decomposition.json").read_text(encoding="utf-8"))
    modules = [set(data.get("modules", {})) for data in embedded if isinstance(data, dict)]
    assert set(document["modules"]) in modules
    assert set(HOSTILE_NAMES) <= set(document["modules"])
