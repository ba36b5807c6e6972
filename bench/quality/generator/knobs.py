"""The knobs of one generated monolith, drawn from its seed.

The organisation is assigned round-robin (``seed % 4``) so every style is equally represented in
any run of consecutive seeds; every other knob is drawn from ``random.Random(seed)``. The ranges
below are part of the benchmark: changing them changes every case, so they are committed before
anything is tuned against them.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from typing import Any

ORGANISATIONS = ("capability", "layer", "layer-per-capability", "mixed")
ORMS = ("django", "sqlalchemy", "flask-sqlalchemy", "sqlmodel")
CALL_STYLES = ("from", "module-alias", "from-package")
HUBS = ("routes", "tasks", "admin", "signals")

# Ranges, inclusive. Sizes are skewed: most projects are small, a few large.
CAPABILITIES = (3, 15)
LINES = (3_000, 40_000)
ZIPF_EXPONENT = (0.5, 1.3)
CROSS_CALL_RATE = (0.04, 0.25)
CROSS_FK_RATE = (0.1, 0.45)
STRING_REF_RATE = (0.02, 0.12)
DEAD_CODE_RATE = (0.02, 0.08)
SINGLETON_RATE = (0.0, 0.6)
INJECTION_RATE = (0.0, 0.6)
DIRECT_ORM_RATE = (0.1, 0.6)
KERNEL_USE_RATE = (0.3, 0.8)
SHARED_TABLES = (0, 2)
GOD_MODULE_LINES = (1_000, 3_000)
HUB_RATE = 0.7
REPORTING_RATE = 0.6
INDEPENDENT_LIBRARY_RATE = 0.5


@dataclass(frozen=True, slots=True)
class Knobs:
    seed: int
    organisation: str
    orm: str
    capabilities: int
    lines: int
    zipf_exponent: float
    cross_call_rate: float
    cross_fk_rate: float
    string_ref_rate: float
    dead_code_rate: float
    singleton_rate: float
    injection_rate: float
    direct_orm_rate: float
    kernel_use_rate: float
    shared_tables: int
    god_modules: tuple[int, ...]  # target lines of each god module
    hubs: tuple[str, ...]
    reporting: bool
    independent_library: bool
    call_styles: tuple[tuple[str, float], ...]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["god_modules"] = list(self.god_modules)
        data["hubs"] = list(self.hubs)
        data["call_styles"] = {k: round(v, 3) for k, v in self.call_styles}
        return data


def _uniform(rng: random.Random, bounds: tuple[float, float]) -> float:
    return round(rng.uniform(*bounds), 3)


def draw_knobs(seed: int) -> Knobs:
    rng = random.Random(seed)
    organisation = ORGANISATIONS[seed % len(ORGANISATIONS)]
    orm = rng.choice(ORMS)
    capabilities = rng.randint(*CAPABILITIES)
    # Log-uniform between the bounds, then nudged up with the capability count: many small
    # projects, a few large ones, and no 15-capability project of 3k lines.
    low, high = LINES
    lines = int(low * (high / low) ** (rng.random() ** 1.6))
    lines = min(high, max(lines, 600 * capabilities))
    god_count = rng.choice((0, 1, 1, 2)) if lines >= 9_000 else 0
    god_modules = tuple(min(rng.randint(*GOD_MODULE_LINES), lines // 6) for _ in range(god_count))
    hubs = tuple(h for h in HUBS if rng.random() < HUB_RATE)
    weights = [rng.random() + 0.2 for _ in CALL_STYLES]
    total = sum(weights)
    return Knobs(
        seed=seed,
        organisation=organisation,
        orm=orm,
        capabilities=capabilities,
        lines=lines,
        zipf_exponent=_uniform(rng, ZIPF_EXPONENT),
        cross_call_rate=_uniform(rng, CROSS_CALL_RATE),
        cross_fk_rate=_uniform(rng, CROSS_FK_RATE),
        string_ref_rate=_uniform(rng, STRING_REF_RATE),
        dead_code_rate=_uniform(rng, DEAD_CODE_RATE),
        singleton_rate=_uniform(rng, SINGLETON_RATE),
        injection_rate=_uniform(rng, INJECTION_RATE),
        direct_orm_rate=_uniform(rng, DIRECT_ORM_RATE),
        kernel_use_rate=_uniform(rng, KERNEL_USE_RATE),
        shared_tables=rng.randint(*SHARED_TABLES),
        god_modules=god_modules,
        hubs=hubs,
        reporting=rng.random() < REPORTING_RATE,
        independent_library=rng.random() < INDEPENDENT_LIBRARY_RATE,
        call_styles=tuple((s, w / total) for s, w in zip(CALL_STYLES, weights, strict=True)),
    )
