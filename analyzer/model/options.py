"""Options of one analysis, after the config file and the command line are merged."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from analyzer.model.coupling import KINDS, Kind
from analyzer.model.engine import DEFAULT_PARAMS, EngineParams
from analyzer.model.errors import SeamsError
from analyzer.model.signals import signals
from analyzer.model.steering import Steering

Granularity = Literal["module", "symbol"]

# Each registered signal's default weight; why each is what it is: analyzer/model/signals.py and
# docs/configuration.md.
DEFAULT_WEIGHTS: dict[Kind, float] = {s.kind: s.default_weight for s in signals()}
# The --weights option's help, with the real defaults.
WEIGHTS_HELP = (
    "Coupling weights as comma-separated kind=number (defaults: "
    + ", ".join(f"{k}={v:g}" for k, v in DEFAULT_WEIGHTS.items())
    + ")."
)


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of coupling counts in the fused graph."""

    values: tuple[tuple[Kind, float], ...] = tuple(DEFAULT_WEIGHTS.items())

    def of(self, kind: Kind) -> float:
        return dict(self.values)[kind]

    def as_dict(self) -> dict[str, float]:
        return dict(self.values)

    @classmethod
    def parse(cls, spec: str | dict[str, object], base: Weights | None = None) -> Weights:
        """``import=1,data=3`` or a mapping; unknown kinds and bad numbers raise ``SeamsError``."""
        values: dict[str, float] = dict((base or cls()).values)
        items: list[tuple[str, object]] = []
        if isinstance(spec, str):
            for part in filter(None, (p.strip() for p in spec.split(","))):
                name, sep, text = part.partition("=")
                if not sep:
                    raise SeamsError(f"weights: expected kind=number, got {part!r}")
                items.append((name.strip(), text.strip()))
        else:
            items = list(spec.items())
        for key, raw in items:
            if key not in KINDS:
                raise SeamsError(f"weights: unknown kind {key!r} (kinds: {', '.join(KINDS)})")
            try:
                value = float(raw) if isinstance(raw, int | float | str) else math.nan
            except (TypeError, ValueError):
                raise SeamsError(f"weights: {key} must be a number, got {raw!r}") from None
            if not math.isfinite(value) or value < 0:
                raise SeamsError(f"weights: {key} must be a finite number >= 0, got {raw!r}")
            values[key] = value
        return cls(tuple((k, values[k]) for k in KINDS))


@dataclass(frozen=True, slots=True)
class AnalyzeOptions:
    granularity: Granularity = "symbol"
    services: int | None = None
    seed: int = 0
    weights: Weights = field(default_factory=Weights)
    excludes: tuple[str, ...] = ()
    include_tests: bool = False
    git: bool = True
    jobs: int = 0
    steering: Steering = field(default_factory=Steering)
    engine: EngineParams = DEFAULT_PARAMS  # the clustering's tunables
