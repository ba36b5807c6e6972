"""The service map: pieces placed by reports.layout, drawn as static SVG, and the compact data the
map's script reads for drill-down, search and details.

A piece is one module's code inside one service (a split module gives one piece per service) or a
table. The embedded data is index-based (arrays of numbers and names, no repeated keys), so
netbox's ~20k-node symbol graph stays a few megabytes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reports.kinds import document_kinds
from reports.layout import MapLayout, layout_map, neighbour_pairs, piece_radius
from reports.map_arcs import MapArc, build_arcs
from reports.service_colours import assign_colours

NODE_KINDS = {"module": "m", "class": "c", "function": "f", "table": "t"}
TABLE_PREFIX = "table::"
# Characters of map data (nodes, edges, explanations): keeps netbox-sized reports under 5 MB.
DATA_BUDGET = 3_200_000


@dataclass(frozen=True, slots=True)
class MapService:
    index: int
    name: str
    kind: str
    colour: str
    x: float
    y: float
    r: float
    loc: int


@dataclass(frozen=True, slots=True)
class MapPiece:
    index: int
    label: str
    kind: str  # "code" | "table"
    service: int
    colour: str
    x: float
    y: float
    r: float
    loc: int


@dataclass(frozen=True, slots=True)
class ServiceMap:
    width: float
    height: float
    font: float
    services: tuple[MapService, ...]
    pieces: tuple[MapPiece, ...]
    arcs: tuple[MapArc, ...]
    data: dict[str, Any]

    @property
    def strong(self) -> int:
        return sum(1 for a in self.arcs if a.style == "strong")


@dataclass(frozen=True, slots=True)
class _Pieces:
    keys: list[tuple[int, str]]  # (service, label)
    kinds: list[str]
    loc: list[int]
    of_node: list[int]


def _pieces(nodes: Sequence[Mapping[str, Any]], service_index: Mapping[str, int]) -> _Pieces:
    loc: dict[tuple[int, str], int] = defaultdict(int)
    kind: dict[tuple[int, str], str] = {}
    node_keys: list[tuple[int, str] | None] = []
    for node in nodes:
        service = service_index.get(node.get("service") or "")
        if service is None:
            node_keys.append(None)
            continue
        is_table = node.get("kind") == "table"
        key = (service, str(node["id"]) if is_table else str(node.get("module", "")))
        loc[key] += int(node.get("loc") or 0)
        kind[key] = "table" if is_table else "code"
        node_keys.append(key)
    keys = sorted(loc, key=lambda k: (k[0], kind[k] == "table", k[1]))
    position = {k: i for i, k in enumerate(keys)}
    of_node = [-1 if k is None else position[k] for k in node_keys]
    return _Pieces(keys, [kind[k] for k in keys], [loc[k] for k in keys], of_node)


def _module_nodes(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Stand-in nodes for documents written before ``graph`` existed: one per module."""
    return [
        {"id": m, "kind": "module", "module": m, "service": s, "loc": 0}
        for m, s in sorted(document.get("modules", {}).items())
    ]


@dataclass(frozen=True, slots=True)
class Drawn:
    """A layout of the map, and what it was computed from (``layout_map``'s arguments)."""

    inputs: tuple[Any, ...]
    layout: MapLayout


@dataclass(frozen=True, slots=True)
class _Parts:
    services: list[Mapping[str, Any]]
    service_index: dict[str, int]
    nodes: list[dict[str, Any]]
    edges: list[tuple[int, int, Mapping[str, Any]]]
    pieces: _Pieces
    inputs: tuple[Any, ...]


def _parts(document: Mapping[str, Any]) -> _Parts:
    services = list(document.get("services", []))
    service_index = {str(s["name"]): i for i, s in enumerate(services)}
    graph = document.get("graph") or {}
    nodes = list(graph.get("nodes") or []) or _module_nodes(document)
    node_index = {str(n["id"]): i for i, n in enumerate(nodes)}
    edges = [
        (node_index[e["source"]], node_index[e["target"]], e)
        for e in graph.get("edges") or []
        if e.get("source") in node_index and e.get("target") in node_index
    ]
    pieces = _pieces(nodes, service_index)
    inputs = (
        len(services),
        [k[0] for k in pieces.keys],
        [piece_radius(loc) for loc in pieces.loc],
        _piece_weights(edges, pieces.of_node),
        _service_weights(document.get("dependencies", []), service_index),
    )
    return _Parts(services, service_index, nodes, edges, pieces, inputs)


def draw_map(document: Mapping[str, Any]) -> Drawn:
    """The map's layout (most of the time the map takes), computed ahead: from a draft of the
    document that lacks what the layout does not read (the stability figures, the cost of the
    cut), before the document is complete."""
    inputs = _parts(document).inputs
    return Drawn(inputs, layout_map(*inputs))


def build_service_map(
    document: Mapping[str, Any], budget: int = DATA_BUDGET, drawn: Drawn | None = None
) -> ServiceMap:
    """The map of ``document``; its layout is ``drawn``'s when that was computed from the same
    services, pieces and edges, else computed here."""
    parts = _parts(document)
    services, service_index, nodes, edges, pieces = (
        parts.services,
        parts.service_index,
        parts.nodes,
        parts.edges,
        parts.pieces,
    )
    if drawn is not None and drawn.inputs == parts.inputs:
        layout = drawn.layout
    else:
        layout = layout_map(*parts.inputs)
    colours = assign_colours(
        [str(s.get("kind", "service")) for s in services],
        [
            *_service_weights(document.get("dependencies", []), service_index),
            *neighbour_pairs(layout.services),
        ],
    )
    map_services = _map_services(services, colours, layout)
    map_pieces = tuple(
        MapPiece(
            i,
            key[1].removeprefix(TABLE_PREFIX) if pieces.kinds[i] == "table" else key[1],
            pieces.kinds[i],
            key[0],
            colours[key[0]],
            c.x,
            c.y,
            c.r,
            pieces.loc[i],
        )
        for i, (key, c) in enumerate(zip(pieces.keys, layout.pieces, strict=True))
    )
    return ServiceMap(
        layout.width,
        layout.height,
        max(14.0, round(max(layout.width, layout.height) / 45.0, 1)),
        map_services,
        map_pieces,
        build_arcs(map_services, document.get("dependencies", []), service_index),
        _embedded(document, services, colours, nodes, edges, pieces, map_pieces, budget),
    )


def _piece_weights(
    edges: Sequence[tuple[int, int, Mapping[str, Any]]], of_node: Sequence[int]
) -> dict[tuple[int, int], float]:
    weight: dict[tuple[int, int], float] = defaultdict(float)
    for a, b, edge in edges:
        pa, pb = of_node[a], of_node[b]
        if pa >= 0 and pb >= 0 and pa != pb:
            weight[(min(pa, pb), max(pa, pb))] += float(edge.get("weight", 0))
    return weight


def _service_weights(
    dependencies: Sequence[Mapping[str, Any]], index: Mapping[str, int]
) -> dict[tuple[int, int], float]:
    weight: dict[tuple[int, int], float] = defaultdict(float)
    for dep in dependencies:
        a, b = index.get(str(dep.get("from"))), index.get(str(dep.get("to")))
        if a is not None and b is not None:
            weight[(a, b)] += float(dep.get("weight", 0))
    return weight


def _map_services(
    services: Sequence[Mapping[str, Any]], colours: Sequence[str], layout: MapLayout
) -> tuple[MapService, ...]:
    return tuple(
        MapService(
            i,
            str(s["name"]),
            str(s.get("kind", "service")),
            colours[i],
            c.x,
            c.y,
            c.r,
            int(s.get("loc", 0)),
        )
        for i, (s, c) in enumerate(zip(services, layout.services, strict=True))
    )


def _number(value: float) -> float | int:
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def _size(value: object) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


def _embedded(
    document: Mapping[str, Any],
    services: Sequence[Mapping[str, Any]],
    colours: Sequence[str],
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[tuple[int, int, Mapping[str, Any]]],
    pieces: _Pieces,
    drawn: Sequence[MapPiece],
    budget: int,
) -> dict[str, Any]:
    """The map's data. Within ``budget`` characters for nodes, edges and explanations: edges
    inside one piece go first when there are too many (the map never draws them), then the
    explanations are cut, closest calls kept."""
    service_index = {str(s["name"]): i for i, s in enumerate(services)}
    modules = sorted({str(n.get("module") or "") for n in nodes if n.get("kind") != "table"})
    columns = _node_columns(nodes, modules, service_index, pieces.of_node)
    kinds = document_kinds(document)
    flat, left_out = _edges_within(edges, pieces.of_node, budget // 2, kinds)
    rest = max(budget - _size(columns) - _size(flat), budget // 10)
    return {
        "granularity": (document.get("graph") or {}).get("granularity")
        or document.get("parameters", {}).get("granularity", ""),
        "kinds": list(kinds),
        "services": [
            {"name": s["name"], "kind": s.get("kind", "service"), "colour": colours[i]}
            for i, s in enumerate(services)
        ],
        "modules": modules,
        "paths": _paths(nodes, modules),
        "pieces": {
            "label": [p.label for p in drawn],
            "table": [1 if p.kind == "table" else 0 for p in drawn],
            "s": [p.service for p in drawn],
            "x": [p.x for p in drawn],
            "y": [p.y for p in drawn],
            "r": [p.r for p in drawn],
            "loc": [p.loc for p in drawn],
        },
        "nodes": columns,
        "edges": flat,
        "edges_left_out": left_out,
        "tables": _tables(document, service_index),
        "inner": _inner_symbols(document, nodes, modules),
        "why": explanations(document, [str(n["id"]) for n in nodes], service_index, rest),
    }


def _inner_symbols(
    document: Mapping[str, Any], nodes: Sequence[Mapping[str, Any]], modules: Sequence[str]
) -> dict[str, list[Any]]:
    """Symbols of modules kept whole (not nodes of their own), so search still finds them:
    parallel lists of module index and symbol name."""
    index = {m: i for i, m in enumerate(modules)}
    drawn = {str(n.get("id")) for n in nodes}
    found = sorted(
        (index[module], name)
        for symbol in document.get("symbols", {})
        if symbol not in drawn
        for module, _, name in [str(symbol).partition(":")]
        if module in index
    )
    return {"m": [m for m, _ in found], "n": [n for _, n in found]}


def _paths(nodes: Sequence[Mapping[str, Any]], modules: Sequence[str]) -> list[str]:
    index = {m: i for i, m in enumerate(modules)}
    paths = [""] * len(modules)
    for node in nodes:
        if node.get("kind") == "module" and node.get("module") in index:
            paths[index[node["module"]]] = str(node.get("path") or "")
    return paths


def _node_columns(
    nodes: Sequence[Mapping[str, Any]],
    modules: Sequence[str],
    service_index: Mapping[str, int],
    of_node: Sequence[int],
) -> dict[str, Any]:
    module_index = {m: i for i, m in enumerate(modules)}
    return {
        "k": "".join(NODE_KINDS.get(str(n.get("kind")), "m") for n in nodes),
        "m": [module_index.get(str(n.get("module") or ""), -1) for n in nodes],
        "n": [_short_name(n) for n in nodes],
        "s": [service_index.get(str(n.get("service") or ""), -1) for n in nodes],
        "p": list(of_node),
        "loc": [int(n.get("loc") or 0) for n in nodes],
        "line": [int(n.get("line") or 0) for n in nodes],
    }


def _edges_within(
    edges: Sequence[tuple[int, int, Mapping[str, Any]]],
    of_node: Sequence[int],
    budget: int,
    kinds: Sequence[str],
) -> tuple[list[float | int], int]:
    """All edges when they fit; else those between pieces; else the heaviest of those. Returns
    the encoded edges and how many were left out."""
    flat = _edge_array(edges, kinds)
    if _size(flat) <= budget:
        return flat, 0
    crossing = [e for e in edges if of_node[e[0]] != of_node[e[1]]]
    flat = _edge_array(crossing, kinds)
    size = _size(flat)
    if size > budget:
        keep = int(len(crossing) * budget / size)
        crossing = sorted(crossing, key=lambda e: (-float(e[2].get("weight", 0)), e[0], e[1]))
        crossing = sorted(crossing[:keep], key=lambda e: (e[0], e[1]))
        flat = _edge_array(crossing, kinds)
    return flat, len(edges) - len(crossing)


def _edge_array(
    edges: Sequence[tuple[int, int, Mapping[str, Any]]], kinds: Sequence[str]
) -> list[float | int]:
    """[source step, target, weight, kinds bit mask] per edge; the source is stored as a step
    from the previous edge's (edges come sorted by source, so mostly 0 or 1)."""
    flat: list[float | int] = []
    previous = 0
    for a, b, edge in edges:
        mask = sum(1 << i for i, k in enumerate(kinds) if edge.get("kinds", {}).get(k))
        flat.extend((a - previous, b, _number(float(edge.get("weight", 0))), mask))
        previous = a
    return flat


def _short_name(node: Mapping[str, Any]) -> str:
    ident = str(node["id"])
    if node.get("kind") == "table":
        return ident.removeprefix(TABLE_PREFIX)
    if node.get("kind") == "module":
        return ""
    module = str(node.get("module") or "")
    return ident[len(module) + 1 :] if ident.startswith(module + ":") else ident


def _tables(document: Mapping[str, Any], service_index: Mapping[str, int]) -> dict[str, Any]:
    def indices(names: Sequence[str]) -> list[int]:
        return [service_index[n] for n in names if n in service_index]

    result = {}
    for name, info in sorted((document.get("tables") or {}).items()):
        sites = info.get("sites") or []
        result[name] = {
            "owner": service_index.get(info.get("owner") or "", -1),
            "writers": indices(info.get("writers") or []),
            "readers": indices(info.get("readers") or []),
            "models": list(info.get("models") or []),
            "sites": [[s.get("file", ""), s.get("line", 0), s.get("mode", "")] for s in sites[:8]],
            "site_count": len(sites),
        }
    return result


def explanations(
    document: Mapping[str, Any],
    node_ids: Sequence[str],
    service_index: Mapping[str, int],
    budget: int,
) -> dict[str, Any]:
    """Why each unit sits where it does, closest calls first, until ``budget`` characters: on a
    large code base the full list stays in decomposition.json."""
    explanations = document.get("explanations") or {}
    position = {ident: i for i, ident in enumerate(node_ids)}
    chosen = [(ident, e) for ident, e in explanations.items() if ident in position]
    chosen.sort(key=lambda item: (_margin(item[1]), item[0]))
    texts: dict[str, int] = {}
    rows: dict[str, Any] = {}
    used = 0
    for ident, e in chosen:
        reasons = []
        for r in (e.get("reasons") or [])[:6]:
            text = str(r.get("text", ""))
            if text not in texts:
                texts[text] = len(texts)
                used += len(text) + 3
            reasons.append(
                [
                    str(r.get("kind", "")),
                    texts[text],
                    service_index.get(str(r.get("service") or ""), -1),
                    _number(float(r.get("weight") or 0)),
                ]
            )
        row = [
            service_index.get(str(e.get("runner_up") or ""), -1),
            _number(float(e.get("own_weight") or 0)),
            _number(float(e.get("runner_up_weight") or 0)),
            reasons,
        ]
        used += 30 + 20 * len(reasons)
        if used > budget:
            break
        rows[str(position[ident])] = row
    return {"total": len(explanations), "texts": list(texts), "rows": rows}


def _margin(explanation: Mapping[str, Any]) -> float:
    own = float(explanation.get("own_weight") or 0)
    runner = float(explanation.get("runner_up_weight") or 0)
    if own <= 0:
        return 1.0
    return (own - runner) / own
