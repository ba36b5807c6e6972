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
    lines += _data_sections(document, max_rows)
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
