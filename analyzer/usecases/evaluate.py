"""``seams evaluate``: how far a decomposition agrees with a reference one."""

from __future__ import annotations

from pathlib import Path

from analyzer.design.evaluate.agreement import agreement
from analyzer.model.errors import SeamsError
from reports.json_report import load_reference


def evaluate_agreement(
    decomposition: Path, truth: Path, granularity: str | None
) -> tuple[str, dict[str, float]]:
    """The map compared (``modules`` or ``symbols``: symbols when both files have them,
    unless ``granularity`` says) and the scores (ARI, NMI, MoJoFM, items)."""
    proposal = load_reference(decomposition)
    reference = load_reference(truth)
    if granularity:
        key = f"{granularity}s"
    else:
        key = "symbols" if proposal.get("symbols") and reference.get("symbols") else "modules"
    if not proposal.get(key) or not reference.get(key):
        raise SeamsError(f"both files need a non-empty '{key}' map to compare at that granularity")
    return key, agreement(proposal[key], reference[key])
