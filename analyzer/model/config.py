"""The user's configuration (``[tool.seams]`` or ``seams.toml``), validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analyzer.model.boundaries import Boundaries
from analyzer.model.options import Granularity, Weights
from analyzer.model.steering import Steering


@dataclass(frozen=True, slots=True)
class SeamsConfig:
    """Analysis settings from the config file; ``None`` means "not set, use the default"."""

    source: str | None = None
    exclude: tuple[str, ...] = ()
    granularity: Granularity | None = None
    services: int | None = None
    services_auto: bool = False
    seed: int | None = None
    weights: Weights | None = None
    include_tests: bool | None = None
    git: bool | None = None
    min_service_lines: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    steering: Steering = field(default_factory=Steering)
    boundaries: Boundaries | None = None
