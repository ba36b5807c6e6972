"""Everything the quality benchmarks use from Seams' internals, in one place.

Only stable, public entry points: the pipeline's ``analyze`` and its options, the agreement
scores, the published metrics and the as-is layout. When the analyzer's packages move, this is
the one module to update.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from analyzer.design.evaluate.agreement import agreement
from analyzer.design.evaluate.asis import as_is_units
from analyzer.design.evaluate.metrics import evaluate
from analyzer.designing import uses_django
from analyzer.model.engine import DEFAULT_PARAMS, EngineParams
from analyzer.model.options import AnalyzeOptions, Weights
from analyzer.pipeline import Analysis, analyze

__all__ = [
    "DEFAULT_PARAMS",
    "Analysis",
    "EngineParams",
    "agreement",
    "as_is_layout",
    "metrics",
    "run_seams",
]


def run_seams(
    path: Path,
    *,
    services: int | None = None,
    seed: int = 0,
    cache_dir: Path | None = None,
    jobs: int = 1,
    granularity: Literal["module", "symbol"] = "symbol",
    weights: str = "",
    engine: EngineParams = DEFAULT_PARAMS,
) -> Analysis:
    """Seams' analysis of ``path`` (symbol granularity by default), without git history; parsed
    facts are cached in ``cache_dir``. ``weights`` (``transaction=0,couse=0.5``) change the
    default weights of the kinds it names; ``engine`` holds the clustering's tunables (an
    ablation switches a pass off there)."""
    options = AnalyzeOptions(
        git=False,
        services=services,
        seed=seed,
        jobs=jobs,
        granularity=granularity,
        weights=Weights.parse(weights),
        engine=engine,
    )
    return analyze(path, options, cache_dir=cache_dir)


def as_is_layout(analysis: Analysis) -> dict[str, str]:
    """Module -> today's unit (Django app or second-level package), as Seams computes it."""
    files = analysis.discovery.files
    return as_is_units(files, django=uses_django(analysis.scan.facts))


def metrics(
    analysis: Analysis, assignment: Mapping[str, str], exclude: Iterable[str] = ()
) -> dict[str, Any] | None:
    """Seams' published metrics (ICP, data purity, ...) of a partition of the analysis' graph
    nodes; None when the analysis reused a cached document and has no graph."""
    if analysis.graph is None:
        return None
    return dict(evaluate(analysis.graph, assignment, exclude))
