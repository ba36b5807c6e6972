"""The engine's tunables, in one frozen object: every number the clustering uses is here, with
the reason it has the value it has (docs/metrics.md, "The objective", states the formula)."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class EngineParams:
    """Weights of the objective's terms and the limits the passes respect.

    ``resolution`` is modularity's γ: the coupling term compares the weight inside services with
    what a random graph of the same degrees would put there, scaled by γ. ``package_prior`` is
    the share of a node's own coupling added as ties to the rest of its package (spread by size
    over its package mates; never across parts of the graph that share no edge), so the package
    tree decides where coupling does not, and is overridden where it does. ``file_prior`` does
    the same for the other top-level symbols of the node's file. ``ownership`` weighs the share
    of table writes that happen outside the owner of the table (the single-writer rule).
    ``min_share`` and ``min_lines`` define the smallest service worth deploying: a service below
    ``max(min_lines, min_share * total lines)`` costs ``small_penalty`` times its shortfall
    (as a share of that minimum); parts of the graph with no edge to the rest are exempt. A user
    sets ``min_lines`` as ``min_service_lines`` (configuration file, ``--min-service-lines``).
    ``starts_resolutions`` are the resolutions (times γ) Leiden runs at to give starts."""

    resolution: float = 0.5
    layout_prior: float = 1.0
    package_prior: float = 0.3
    file_prior: float = 1.5
    ownership: float = 0.05
    min_share: float = 0.01
    min_lines: int = 50
    small_penalty: float = 0.02
    balance: float = 0.0
    starts_resolutions: tuple[float, ...] = (0.5, 1.0, 2.0)
    max_sweeps: int = 8
    # Passes that can be switched off for an ablation (bench/quality/ablation.py).
    shared_library: bool = True
    dissolve_layers: bool = True
    symbol_starts: bool = True
    symbol_refine: bool = True

    def with_(self, **changes: object) -> EngineParams:
        return replace(self, **changes)  # type: ignore[arg-type]

    def min_service_lines(self, total_lines: int) -> int:
        """The smallest service worth deploying, in lines, for code of ``total_lines``."""
        return max(self.min_lines, int(self.min_share * total_lines))


DEFAULT_PARAMS = EngineParams()
