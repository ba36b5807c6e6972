"""summary.md: the proposal in a form fit to paste into a pull request or an issue."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reports.api_surface import public_api
from reports.close_calls import close_calls
from reports.cost import cost_view, tables_text
from reports.counts import count, headline
from reports.crossings import library_uses, service_dependencies
from reports.first_steps import Step, first_steps
from reports.keep_cuts import CI_FILE, CI_RECIPE, COMMANDS
from reports.metric_info import METRICS, format_metric
from reports.ownership import table_rows
from reports.plan import extraction_plan
from reports.search import describe_search
from reports.splitting import Splitting, describe_splitting
from reports.verdict import Verdict, judge, mark


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _row(*cells: object) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _some(items: list[str], limit: int) -> str:
    return ", ".join(items[:limit]) + (" ..." if len(items) > limit else "")


def _headline(document: dict[str, Any]) -> str:
    params = document["parameters"]
    return (
        f"{headline(count(document))}; granularity `{params.get('granularity')}`,"
        f" services `{params.get('services')}`, seed `{params.get('seed')}`."
    )


def _splitting(splitting: Splitting | None) -> list[str]:
    if splitting is None:
        return []
    lines = [f"**{splitting.headline}.**", ""] if splitting.headline else []
    for sentence in splitting.sentences:
        lines += [sentence, ""]
    return lines


def _verdict(verdict: Verdict) -> list[str]:
    lines = [f"**{verdict.title}.**", ""]
    lines += [f"- {line}" for line in verdict.lines()]
    if verdict.context:
        lines += ["", verdict.context]
    return lines


def _steps(steps: tuple[Step, ...]) -> list[str]:
    if not steps:
        return []
    lines = ["", "## Do first", ""]
    lines += [f"{i}. **{s.action}**: {s.detail}." for i, s in enumerate(steps, 1)]
    return lines


def _keep() -> list[str]:
    lines = ["", "## Keep the cuts", ""]
    lines += ["Run these at the root of the analyzed code (docs/check.md has the details):", ""]
    lines += ["```"] + [f"{command:<16}# {what}" for command, what in COMMANDS] + ["```"]
    lines += ["", f"In GitHub Actions (`{CI_FILE}`):", "", "```yaml", CI_RECIPE.rstrip(), "```"]
    return lines


def render_markdown(document: dict[str, Any], *, max_rows: int = 15) -> str:
    verdict_ = judge(document)
    tables = table_rows(document)
    plan = extraction_plan(document, public_api(document), tables)
    steps = first_steps(document, verdict_, plan, tables, close_calls(document))
    lines = ["# Seams: proposed services", "", _headline(document), ""]
    lines += _splitting(describe_splitting(document))
    lines += _verdict(verdict_)
    search = describe_search(document)
    if search is not None:
        lines += ["", search.sentence()]
    lines += _steps(steps)
    lines += ["", "## Services", ""]
    lines += ["| service | kind | modules | lines | tables owned |", "|---|---|---:|---:|---|"]
    for s in document["services"]:
        owned = list(s.get("tables_owned", []))
        lines.append(
            _row(
                s["name"],
                s.get("kind", "service"),
                len(s["modules"]),
                f"{s.get('loc', 0):,}",
                _some(owned, 6),
            )
        )
    metrics = document.get("metrics", {})
    proposed, as_is = metrics.get("proposed", {}), metrics.get("as_is", {})
    lines += ["", "## Metrics: proposal vs today's layout", ""]
    lines += ["| metric | proposed | as-is | |", "|---|---:|---:|---|"]
    for info in METRICS:
        if info.key in proposed or info.key in as_is:
            change = mark(info.key, proposed.get(info.key), as_is.get(info.key))
            label = f"{info.label} ({info.better} is better)" if info.better else info.label
            lines.append(
                _row(
                    label,
                    format_metric(proposed.get(info.key)),
                    format_metric(as_is.get(info.key)),
                    "about the same" if change == "same" else change,
                )
            )
    deps = service_dependencies(document)
    if deps:
        lines += ["", "## Strongest dependencies between services", ""]
        lines += ["| from | to | weight | kinds | example |", "|---|---|---:|---|---|"]
        for d in deps[:max_rows]:
            kinds = ", ".join(f"{k} {v}" for k, v in d["kinds"].items())
            ex = d["examples"][0] if d["examples"] else None
            where = f"`{ex['file']}:{ex['line']}` {ex['target']}" if ex else ""
            lines.append(_row(d["from"], d["to"], f"{d['weight']:.1f}", kinds, where))
    uses = library_uses(document)
    if uses:
        weight = sum(float(d.get("weight", 0)) for d in uses)
        lines += [
            "",
            f"Uses of the shared library (a package, not calls between services): {len(uses)}"
            f" service pairs, weight {weight:,.1f}.",
        ]
    lines += _data_sections(document, max_rows)
    lines += _cost_section(document, max_rows)
    split = document.get("split_modules", {})
    if split:
        lines += ["", "## Files to split", ""]
        for module, parts in list(split.items())[:max_rows]:
            cut = "; ".join(f"{_some(names, 5)} → {svc}" for svc, names in parts.items())
            lines.append(f"- `{module}`: {cut}")
        if len(split) > max_rows:
            lines.append(f"- ... and {len(split) - max_rows} more")
    skipped = document.get("skipped", [])
    if skipped:
        lines += ["", f"## Skipped files ({len(skipped)})", ""]
        lines += [f"- `{s['path']}`: {_cell(s['reason'])}" for s in skipped[:max_rows]]
    lines += _keep()
    return "\n".join(lines) + "\n"


def _moved_from(table: dict[str, Any]) -> str:
    """For a table owned by its writers rather than its model's service, where it moved from."""
    if table.get("owner_reason") == "writes" and table.get("model_service"):
        return f" (moved from {table['model_service']})"
    return ""


def _data_sections(document: dict[str, Any], max_rows: int) -> list[str]:
    """Shared-write conflicts (all of them, with the writing sites), tables, cross-service keys."""
    lines: list[str] = []
    conflicts = document.get("conflicts", [])
    if conflicts:
        lines += ["", f"## Shared-write conflicts ({len(conflicts)})", ""]
        for c in conflicts:
            others = [w for w in c["writers"] if w != c.get("owner")]
            lines.append(
                f"- `{c['table']}` (owner {c.get('owner') or 'none'}, also written by"
                f" {', '.join(others)}):"
            )
            lines += [
                f"  - `{s['file']}:{s['line']}` {s.get('service', '')} `{s.get('symbol', '')}`"
                for s in c["sites"]
            ]
    tables = document.get("tables", {})
    if tables:
        limit = max_rows * 4
        lines += ["", f"## Tables ({len(tables)})", ""]
        lines += ["| table | owner | writers | readers | models |", "|---|---|---|---|---|"]
        for name, t in list(tables.items())[:limit]:
            models = [m.split(":", 1)[-1] for m in t.get("models", [])]
            lines.append(
                _row(
                    f"`{name}`",
                    (t.get("owner") or "") + _moved_from(t),
                    _some(t["writers"], 6),
                    _some(t["readers"], 6),
                    _some(models, 3),
                )
            )
        if len(tables) > limit:
            lines.append(f"\n... and {len(tables) - limit} more tables in decomposition.json")
    keys = document.get("foreign_keys", [])
    if keys:
        lines += ["", f"## Foreign keys across services ({len(keys)})", ""]
        for k in keys[:max_rows]:
            lines.append(
                f"- `{k['from'].split(':', 1)[-1]}.{k['field']}` → `{k['to'].split(':', 1)[-1]}`"
                f" ({k['from_service']} → {k['to_service']}) `{k['file']}:{k['line']}`"
            )
        if len(keys) > max_rows:
            lines.append(f"- ... and {len(keys) - max_rows} more")
    return lines


COSTLIEST = 5


def _cost_section(document: dict[str, Any], max_rows: int) -> list[str]:
    """The cost of the cut: the costliest entry points, the distributed transactions, the joins
    and chatty calls, and how each pair of services would talk."""
    view = cost_view(document)
    if not view.available:
        return []
    lines = ["", "## Cost of the cut", ""]
    if view.entries:
        lines += [f"The {min(COSTLIEST, len(view.entries))} costliest entry points:", ""]
        for e in view.entries[:COSTLIEST]:
            lines.append(f"- {view.sentence(e)} (`{e['file']}:{e['line']}`)")
    else:
        lines.append("No entry point was found.")
    transactions = view.transactions
    lines += ["", f"### Distributed transactions ({len(transactions)})", ""]
    if not transactions:
        lines.append("No transaction writes tables of two services.")
    for t in transactions[:max_rows]:
        lines.append(
            f"- `{t['file']}:{t['line']}` {t['kind']} in `{t['node']}`: "
            f"{', '.join(t['services'])} ({_cell(tables_text(t['tables']))})"
        )
    if len(transactions) > max_rows:
        lines.append(f"- ... and {len(transactions) - max_rows} more")
    lines += _site_list(
        "Joins across services",
        view.joins,
        lambda j: f"`{j['table']}` ({j['from']}) with `{j['joined']}` ({j['to']}), {j['how']}",
        max_rows,
    )
    lines += _site_list(
        "Chatty calls",
        view.chatty,
        lambda c: f"`{c['call']}` from {c['from']} to {c['to']} in a loop",
        max_rows,
    )
    if view.seams:
        lines += ["", "### How the services would talk", ""]
        lines += ["| from | to | style | evidence | breaks |", "|---|---|---|---|---|"]
        for seam in view.seams[: max_rows * 2]:
            evidence = ", ".join(f"{k} {v}" for k, v in seam["evidence"].items())
            breaks = ", ".join(f"{k} {v}" for k, v in (seam.get("breaks") or {}).items())
            lines.append(_row(seam["from"], seam["to"], seam["style"], evidence, breaks))
    return lines


def _site_list(
    title: str,
    rows: Sequence[Mapping[str, Any]],
    text: Callable[[Mapping[str, Any]], str],
    max_rows: int,
) -> list[str]:
    lines = ["", f"### {title} ({len(rows)})", ""]
    lines += [f"- `{r['file']}:{r['line']}` {text(r)}" for r in rows[:max_rows]]
    if len(rows) > max_rows:
        lines.append(f"- ... and {len(rows) - max_rows} more")
    if not rows:
        lines.append("None.")
    return lines
