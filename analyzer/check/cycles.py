"""Cycles between services: the groups of services that depend on each other, and one loop
through each, found as networkx finds them (``strongly_connected_components``, ``find_cycle``
over a graph whose edges were added in sorted order), without importing networkx: a check
of an unchanged tree takes less time than networkx takes to import, and these graphs have a
node per service.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence


def _successors(edges: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for source, target in sorted(set(edges)):
        found[source].append(target)
    return found


def tied_groups(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Each group of two or more nodes that all reach each other, sorted, in sorted order."""
    successors = _successors(edges)
    nodes = sorted({n for source, targets in successors.items() for n in (source, *targets)})
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(successors.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:  # Tarjan's algorithm, without recursion
            node, pending = work[-1]
            step = next(pending, None)
            if step is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
            elif step not in index:
                index[step] = low[step] = len(index)
                stack.append(step)
                on_stack.add(step)
                work.append((step, iter(successors.get(step, ()))))
            elif step in on_stack:
                low[node] = min(low[node], index[step])
    return sorted(groups)


def _edge_dfs(successors: Mapping[str, Sequence[str]], source: str) -> Iterator[tuple[str, str]]:
    """Edges in depth-first order, each once; a node met again goes on where it left off."""
    visited_edges: set[tuple[str, str]] = set()
    pending: dict[str, Iterator[str]] = {}
    stack = [source]
    while stack:
        node = stack[-1]
        if node not in pending:
            pending[node] = iter(successors.get(node, ()))
        step = next(pending[node], None)
        if step is None:
            stack.pop()
        elif (node, step) not in visited_edges:
            visited_edges.add((node, step))
            stack.append(step)
            yield node, step


def loop_through(edges: Iterable[tuple[str, str]], group: Sequence[str], source: str) -> list[str]:
    """The nodes of the first loop a depth-first walk from ``source`` inside ``group`` meets,
    starting where the loop closes (networkx's ``find_cycle(G.subgraph(group), source)``)."""
    members = set(group)
    successors = {
        node: [t for t in targets if t in members]
        for node, targets in _successors(edges).items()
        if node in members
    }
    path: list[tuple[str, str]] = []
    active = {source}
    previous: str | None = None
    for tail, head in _edge_dfs(successors, source):
        if previous is not None and tail != previous:  # back from a dead end: trim the path
            while path:
                active.discard(path.pop()[1])
                if path and path[-1][1] == tail:
                    break
            else:
                active = {tail}
        path.append((tail, head))
        if head in active:
            start = next(i for i, (t, _) in enumerate(path) if t == head)
            return [t for t, _ in path[start:]]
        active.add(head)
        previous = head
    raise ValueError(f"no loop through {source} in {list(group)}")
