"""walk: the static call tree from some endpoints, bounded and with its cycles cut.

Depth first, in the order the calls are written, each endpoint visited once (a second call to it,
or a recursive one, is not followed again), at most ``MAX_DEPTH`` calls deep and
``MAX_NODES`` endpoints in all. Asynchronous calls (tasks enqueued, signals sent) are noted
where they are made, not followed: what they start runs outside the request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from analyzer.design.cost.callgraph import Call, CallGraph, Touch

# A request rarely goes deeper than this through code of its own before it reaches the ORM;
# past it, trees of framework-heavy code grow by everything a base class can do.
MAX_DEPTH = 8
MAX_NODES = 400


@dataclass(frozen=True, slots=True)
class Walk:
    """``nodes`` in visit order; ``parents[i]`` the index of the node that called ``nodes[i]``
    (``-1`` for a root), ``calls[i]`` that call (``None`` for a root) and ``own[i]`` whether it
    runs as its caller's own code (a class's methods and inherited code, see ``Call.own``);
    ``events`` the asynchronous calls made, with the index of the node making each;
    ``truncated`` when a bound stopped the walk."""

    nodes: tuple[str, ...]
    parents: tuple[int, ...]
    own: tuple[bool, ...]
    calls: tuple[Call | None, ...] = ()
    events: tuple[tuple[int, Call], ...] = ()
    truncated: bool = False

    def touches(self, graph: CallGraph) -> Iterable[tuple[int, Touch]]:
        for i, node in enumerate(self.nodes):
            for touch in graph.touches.get(node, ()):
                yield i, touch

    def depth(self, index: int) -> int:
        depth = 0
        while self.parents[index] >= 0:
            index = self.parents[index]
            depth += 1
        return depth


def walk(graph: CallGraph, roots: Iterable[str]) -> Walk:
    """The call tree from ``roots`` (see the module docstring)."""
    nodes: list[str] = []
    parents: list[int] = []
    own: list[bool] = []
    via: list[Call | None] = []
    events: list[tuple[int, Call]] = []
    seen: set[str] = set()
    truncated = False
    # (endpoint, parent index, depth, call); pushed in reverse: calls are visited in written order.
    stack: list[tuple[str, int, int, Call | None]] = [
        (root, -1, 0, None) for root in reversed(list(dict.fromkeys(roots)))
    ]
    while stack:
        node, parent, depth, reached = stack.pop()
        if node in seen:
            continue
        if len(nodes) >= MAX_NODES:
            truncated = True
            break
        seen.add(node)
        index = len(nodes)
        nodes.append(node)
        parents.append(parent)
        own.append(reached is not None and reached.own)
        via.append(reached)
        calls = graph.edges(node)
        if depth >= MAX_DEPTH:
            truncated = truncated or any(c.sync and c.target not in seen for c in calls)
            continue
        following = []
        for call in calls:
            if not call.sync:
                events.append((index, call))
            elif call.target not in seen:
                following.append((call.target, index, depth + 1, call))
        stack.extend(reversed(following))
    return Walk(tuple(nodes), tuple(parents), tuple(own), tuple(via), tuple(events), truncated)
