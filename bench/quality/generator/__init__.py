"""Generated monoliths with exact capability truths, for the decomposition-quality benchmark.

``generate(seed, dest)`` writes a realistic Python project (Django, SQLAlchemy, Flask-SQLAlchemy
or SQLModel; organised by capability, by layer, by layer per capability or mixed) under ``dest``
and its ``truth.json`` beside it. Same seed, same bytes.

Modules: ``knobs`` (what is drawn per seed, and the ranges), ``vocabulary``, ``plan`` (the
design: capabilities, entities, symbols, who uses whom), ``layout`` (where symbols go),
``orm`` and ``bodies`` (how code reads), ``source`` (one module's text and imports),
``render`` and ``wiring`` (the files), ``truth``.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from bench.quality.generator.knobs import Knobs, draw_knobs
from bench.quality.generator.layout import layout
from bench.quality.generator.plan import build_plan
from bench.quality.generator.render import Renderer
from bench.quality.generator.truth import build_truth

__all__ = ["Knobs", "draw_knobs", "generate", "generator_digest"]


def generator_digest() -> str:
    """A digest of the generator's own source: generated trees are rebuilt when it changes."""
    import hashlib

    digest = hashlib.blake2b(digest_size=12)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def render_project(seed: int) -> tuple[dict[str, str], dict[str, Any]]:
    """Relative path -> source text of every file, and the truth."""
    knobs = draw_knobs(seed)
    plan = build_plan(knobs)
    lay = layout(plan)
    renderer = Renderer(plan, lay)
    sources = renderer.render()
    packages = {".".join(m.split(".")[:i]) for m in sources for i in range(1, m.count(".") + 1)}
    files: dict[str, str] = {}
    for module in sorted(packages - set(sources)):
        files[module.replace(".", "/") + "/__init__.py"] = _package_doc(plan, module)
    for module, text in sources.items():
        if module in packages:
            files[module.replace(".", "/") + "/__init__.py"] = text
        else:
            files[module.replace(".", "/") + ".py"] = text
    for path, text in files.items():
        ast.parse(text, filename=path)  # generated code must parse
    lines = {p: sum(1 for line in t.splitlines() if line.strip()) for p, t in files.items()}
    modules = sorted(set(sources) | packages)
    god = {m: lines.get(m.replace(".", "/") + ".py", 0) for m in lay.god_modules}
    truth = build_truth(
        plan,
        renderer.rendered,
        modules,
        [*renderer.wiring, *sorted(packages - set(sources))],
        lines,
        {"god_modules_lines": god, "hub_modules": dict(sorted(lay.hubs.items()))},
    )
    return files, truth


def _package_doc(plan: Any, module: str) -> str:
    leaf = module.rsplit(".", 1)[-1]
    if leaf in plan.capabilities:
        return f'"""{leaf.replace("_", " ").title()}."""\n'
    return ""


def generate(seed: int, dest: Path) -> dict[str, Any]:
    """Write the project of ``seed`` under ``dest`` (emptied first) and ``dest/truth.json``."""
    files, truth = render_project(seed)
    dest.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (dest / "truth.json").write_text(json.dumps(truth, indent=1, sort_keys=False) + "\n")
    return truth
