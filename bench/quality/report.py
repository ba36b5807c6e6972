"""Aggregates, acceptance criteria and the Markdown results of the quality suite."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MODES = ("count", "auto")
STYLES = ("capability", "layer", "layer-per-capability", "mixed")
LAYOUT_IS_TRUTH = 0.95  # an as-is ARI this high means today's layout is the truth's rule
WITHIN = 0.05


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.fmean(present), 4) if present else None


def _ari(result: dict[str, Any], side: str, mode: str) -> float | None:
    if side == "as_is":
        return result["as_is"]["ari"]
    return result[mode][side]["ari"]


def _sides(results: list[dict[str, Any]], mode: str, key: str = "ari") -> dict[str, Any]:
    out = {}
    for side in ("proposal", "as_is", "louvain"):
        if side == "as_is":
            out[side] = _mean(r["as_is"][key] for r in results)
        else:
            out[side] = _mean(r[mode][side][key] for r in results)
    return out


def corpus_beats_layout(result: dict[str, Any], mode: str) -> bool:
    """Above the as-is layout's ARI, or within 0.05 of it where the layout is the truth."""
    proposal, as_is = result[mode]["proposal"]["ari"], result["as_is"]["ari"]
    if as_is >= LAYOUT_IS_TRUTH:
        return proposal >= as_is - WITHIN
    return proposal > as_is


def summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    generated = [r for r in results if r["kind"] == "generated"]
    corpora = [r for r in results if r["kind"] == "corpus"]
    summary: dict[str, Any] = {"generated": {}, "corpora": {}}
    for mode in MODES:
        if generated:
            worst = min(generated, key=lambda r: r[mode]["proposal"]["ari"])
            summary["generated"][mode] = {
                "ari": _sides(generated, mode),
                "nmi": _sides(generated, mode, "nmi"),
                "mojofm": _sides(generated, mode, "mojofm"),
                "icp": _sides(generated, mode, "icp"),
                "data_purity": _sides(generated, mode, "data_purity"),
                "min_ari": {"case": worst["case"], "ari": worst[mode]["proposal"]["ari"]},
                "styles": {
                    style: _sides([r for r in generated if r["style"] == style], mode)
                    for style in STYLES
                    if any(r["style"] == style for r in generated)
                },
            }
        if corpora:
            summary["corpora"][mode] = {
                "ari": _sides(corpora, mode),
                "beats_layout": {
                    r["case"]: {
                        "pass": corpus_beats_layout(r, mode),
                        "ari": r[mode]["proposal"]["ari"],
                        "as_is": r["as_is"]["ari"],
                    }
                    for r in corpora
                },
            }
    return summary


def criteria(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The acceptance criteria (judged on the test split), each with its value."""
    out: list[dict[str, Any]] = []

    def check(name: str, value: Any, passed: bool) -> None:
        out.append({"criterion": name, "value": value, "pass": bool(passed)})

    generated, corpora = summary["generated"], summary["corpora"]
    for mode, goal in (("count", 0.85), ("auto", 0.80)):
        if mode not in generated:
            continue
        g = generated[mode]
        check(
            f"generated mean ARI {mode} >= {goal}",
            g["ari"]["proposal"],
            g["ari"]["proposal"] >= goal,
        )
        worst = g["min_ari"]
        check(
            f"no generated case below 0.5 ({mode})",
            f"{worst['ari']} ({worst['case']})",
            worst["ari"] >= 0.5,
        )
        for style, sides in g["styles"].items():
            value = sides["proposal"]
            check(
                f"style {style} mean ARI {mode} >= 0.75", value, value is not None and value >= 0.75
            )
    for mode in MODES:
        if mode not in corpora:
            continue
        c = corpora[mode]
        value = c["ari"]["proposal"]
        check(f"corpora mean ARI {mode} >= 0.80", value, value is not None and value >= 0.80)
        for case, v in c["beats_layout"].items():
            name = f"{case} {mode}: above the as-is layout (or within {WITHIN} of it)"
            check(name, f"{v['ari']:.2f} (as-is {v['as_is']:.2f})", v["pass"])
    return out


def _f(value: Any, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def write_markdown(document: dict[str, Any], path: Path) -> None:
    summary, cases = document["summary"], document["cases"]
    lines = [
        f"# Decomposition quality: {document['split']} split",
        "",
        f"Produced by `python bench/quality/suite.py --split {document['split']}`: "
        f"{len(cases)} cases, clustering seeds {', '.join(map(str, document['seeds']))} "
        f"(medians), {document['seconds'] / 60:.1f} min. Symbol granularity; ARI over the "
        "truth's symbols minus its shared items; `count` = --services N (the truth's "
        "capability count), `auto` = automatic mode.",
        "",
        "## Criteria",
        "",
        "| criterion | value | |",
        "|---|---|---|",
    ]
    lines += [
        f"| {c['criterion']} | {_f(c['value'])} | {'PASS' if c['pass'] else 'FAIL'} |"
        for c in document["criteria"]
    ]
    generated = summary.get("generated", {})
    if generated:
        lines += [
            "",
            "## Generated monoliths: mean ARI",
            "",
            "| style | proposal count | as-is | Louvain count | proposal auto | Louvain auto |",
            "|---|---|---|---|---|---|",
        ]
        styles = ["all", *generated["count"]["styles"]]
        for style in styles:
            row = []
            for mode in ("count", "auto"):
                sides = (
                    generated[mode]["ari"] if style == "all" else generated[mode]["styles"][style]
                )
                row.append(sides)
            lines.append(
                f"| {style} | {_f(row[0]['proposal'])} | {_f(row[0]['as_is'])} | "
                f"{_f(row[0]['louvain'])} | {_f(row[1]['proposal'])} | {_f(row[1]['louvain'])} |"
            )
        lines += [
            "",
            "| figure (mean) | proposal count | as-is | Louvain count | proposal auto "
            "| Louvain auto |",
        ]
        lines += ["|---|---|---|---|---|---|"]
        for key in ("nmi", "mojofm", "icp", "data_purity"):
            c, a = generated["count"][key], generated["auto"][key]
            lines.append(
                f"| {key} | {_f(c['proposal'])} | {_f(c['as_is'])} | {_f(c['louvain'])} | "
                f"{_f(a['proposal'])} | {_f(a['louvain'])} |"
            )
    lines += [
        "",
        "## Cases",
        "",
        "| case | style | ORM | lines | N | as-is ARI | ARI count | Louvain count | ARI auto "
        "| services auto | Louvain auto | ICP auto (as-is) | purity auto (as-is) | s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in cases:
        c, a = r["count"], r["auto"]
        lines.append(
            f"| {r['case']} | {r['style']} | {r['orm'] or ''} | {r['lines'] or ''} | "
            f"{r['capabilities']} | {_f(r['as_is']['ari'])} | {_f(c['proposal']['ari'])} | "
            f"{_f(c['louvain']['ari'])} | {_f(a['proposal']['ari'])} | "
            f"{_f(a['proposal']['services'], 0)} | {_f(a['louvain']['ari'])} | "
            f"{_f(a['proposal']['icp'])} ({_f(r['as_is']['icp'])}) | "
            f"{_f(a['proposal']['data_purity'])} ({_f(r['as_is']['data_purity'])}) | "
            f"{r['seconds']:.0f} |"
        )
    path.write_text("\n".join(lines) + "\n")
