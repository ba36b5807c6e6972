"""Candidate starts for the engine, as partitions of the modules level:

- **today's layout**: each module in its unit (Django app or second-level package);
- **the package tree at each depth**: modules grouped by the first d parts of their name;
- **Leiden** on the work graph at several resolutions;
- **today's layout with its layers dissolved**: a unit whose coupling is spread over several
  other units and weaker inside than outside is a layer (an API, services or models package
  serving many capabilities), not a capability: each of its modules joins the unit it is most
  coupled to.

Tables start with their model's module (or the module writing them most). Every start is
refined by the passes, and the best by the objective is kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from analyzer.design.cluster.leiden import leiden
from analyzer.design.cluster.work import Level, WorkGraph
from analyzer.model.engine import EngineParams

# A unit is a layer when at least this many other units each take at least LAYER_SHARE of its
# coupling outside itself, and its coupling inside is less than outside: what it holds serves
# several capabilities rather than forming one.
LAYER_USERS = 3
LAYER_SHARE = 0.1
MAX_DEPTH = 5


@dataclass(frozen=True, slots=True)
class Start:
    name: str
    labels: tuple[int, ...]


def _labelled(keys: Sequence[str]) -> tuple[int, ...]:
    index: dict[str, int] = {}
    return tuple(index.setdefault(k, len(index)) for k in keys)


def _module_names(work: WorkGraph, level: Level) -> list[str]:
    """Each level node's module (tables and steered units: their own id)."""
    names = []
    for members in level.members:
        first = members[0]
        names.append(work.module[first] or work.ids[first])
    return names


def _place_tables(work: WorkGraph, level: Level, group: Sequence[int], keys: list[str]) -> None:
    """A table starts where its model is, else with the node coupled to it most."""
    for j, members in enumerate(level.members):
        b = members[0]
        if not work.table[b]:
            continue
        model = work.definer.get(b)
        if model is not None:
            keys[j] = keys[group[model]]
            continue
        strongest = max(sorted(work.real[b]), key=lambda o: work.real[b][o], default=None)
        if strongest is not None and not work.table[strongest]:
            keys[j] = keys[group[strongest]]


def candidate_starts(
    work: WorkGraph,
    level: Level,
    group: Sequence[int],
    hint: Mapping[str, str],
    seed: int,
    params: EngineParams,
) -> list[Start]:
    """The starts, in a fixed order; partitions equal to an earlier one are left out."""
    names = _module_names(work, level)
    starts: list[Start] = []
    seen: set[tuple[int, ...]] = set()

    def add(name: str, labels: tuple[int, ...]) -> None:
        if labels not in seen:
            seen.add(labels)
            starts.append(Start(name, labels))

    layout = [hint.get(m, m) for m in names]
    _place_tables(work, level, group, layout)
    add("today's layout", _labelled(layout))
    if params.dissolve_layers:
        dissolved = dissolve_layers(work, level, layout)
        if dissolved is not None:
            _place_tables(work, level, group, dissolved)
            add("today's layout, layers dissolved", _labelled(dissolved))
    depth = 1
    while depth <= MAX_DEPTH:
        keys = [".".join(m.split(".")[:depth]) for m in names]
        _place_tables(work, level, group, keys)
        add(f"package tree at depth {depth}", _labelled(keys))
        if all(len(m.split(".")) <= depth for m in names):
            break
        depth += 1
    for resolution in params.starts_resolutions:
        labels = leiden(level, resolution * params.resolution, seed)
        add(f"Leiden at resolution {resolution:g}", tuple(labels))
    return starts


def dissolve_layers(work: WorkGraph, level: Level, units: Sequence[str]) -> list[str] | None:
    """``units`` with each layer unit's modules moved to the unit they are most coupled to
    (layers and tables aside); ``None`` when no unit is a layer."""
    inside: dict[str, float] = defaultdict(float)
    outside: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for j, row in enumerate(level.adj):
        if work.table[level.members[j][0]]:
            continue
        for k, w in row.items():
            if work.table[level.members[k][0]]:
                continue
            a, b = units[j], units[k]
            if a == b:
                inside[a] += w / 2
            else:
                outside[a][b] += w
    layers = set()
    for unit, others in outside.items():
        total = sum(others.values())
        users = sum(1 for w in others.values() if w >= LAYER_SHARE * total)
        if users >= LAYER_USERS and inside[unit] < total:
            layers.add(unit)
    if not layers or len(layers) == len(set(units)):
        return None
    result = list(units)
    for j, unit in enumerate(units):
        if unit not in layers or work.table[level.members[j][0]]:
            continue
        pull: dict[str, float] = defaultdict(float)
        for k, w in level.adj[j].items():
            other = units[k]
            if other not in layers and not work.table[level.members[k][0]]:
                pull[other] += w
        if pull:
            result[j] = max(sorted(pull), key=lambda u: pull[u])
    return result
