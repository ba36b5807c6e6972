"""summary.md: the proposal in a form fit to paste into a pull request or an issue."""

from __future__ import annotations

from typing import Any

from reports.metric_info import METRICS, format_metric, verdict


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _row(*cells: object) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _some(items: list[str], limit: int) -> str:
    return ", ".join(items[:limit]) + (" ..." if len(items) > limit else "")


def _headline(document: dict[str, Any]) -> str:
    services = document["services"]
    params = document["parameters"]
    real = [s for s in services if s.get("kind", "service") == "service"]
    shared = [s["name"] for s in services if s.get("kind") == "shared-library"]
    lines = sum(s.get("loc", 0) for s in services)
    library = f" and a shared library ({', '.join(shared)})" if shared else ""
    return (
        f"{len(real)} services{library} from {len(document['modules'])} modules ({lines:,} lines),"
        f" granularity `{params.get('granularity')}`, services `{params.get('services')}`,"
        f" seed `{params.get('seed')}`."
    )


def render_markdown(document: dict[str, Any], *, max_rows: int = 15) -> str:
    lines = ["# Seams: proposed services", "", _headline(document), ""]
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
            mark = verdict(info.key, proposed.get(info.key), as_is.get(info.key))
            label = f"{info.label} ({info.better or 'count'})"
            lines.append(
                _row(
                    label,
                    format_metric(proposed.get(info.key)),
                    format_metric(as_is.get(info.key)),
                    mark,
                )
            )
    deps = document.get("dependencies", [])
    if deps:
        lines += ["", "## Strongest dependencies between services", ""]
        lines += ["| from | to | weight | kinds | example |", "|---|---|---:|---|---|"]
        for d in deps[:max_rows]:
            kinds = ", ".join(f"{k} {v}" for k, v in d["kinds"].items())
            ex = d["examples"][0] if d["examples"] else None
            where = f"`{ex['file']}:{ex['line']}` {ex['target']}" if ex else ""
            lines.append(_row(d["from"], d["to"], f"{d['weight']:.1f}", kinds, where))
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
    return "\n".join(lines) + "\n"
