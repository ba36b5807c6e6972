"""Shared library: code every service needs and none owns, kept out of the services.

Found on a first clustering of the whole graph:

- **utility code** is used from many other communities (at least ``USERS_SHARE`` of them, and
  at least ``MIN_USERS``) and has no data of its own (it defines or writes no table);
- **wiring code** (a CLI dispatcher, an app factory, a root URL conf) is used by nothing and
  reaches into many communities;
- the **project shell** (a Django project's ``manage.py``, and beside its ``settings``: the root
  URL conf, the WSGI/ASGI entry points, the Celery app) configures and starts the monolith as a
  whole; each extracted service gets its own, so none of them owns it;
- code used only by shared code is shared too (a utility's private helpers).

Clustering then runs again without these nodes, so a ``utils.money`` used everywhere does not
glue unrelated capabilities together, and the shared library becomes a pseudo-service of kind
``shared-library``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from analyzer.design.graph import CodeGraph
from analyzer.model.coupling import is_table, module_of

# Modules of a project package (one holding ``settings``) that make up its shell.
SHELL_MODULES = frozenset({"settings", "urls", "wsgi", "asgi", "celery"})
SHELL_REASON = "project shell (settings, root URLs, entry points): each service needs its own"
USERS_SHARE = 0.4
MIN_USERS = 3
LEAF_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class SharedCode:
    """Nodes set aside as shared library, each with why; ``shell``: those of the project shell,
    which are set aside only after clustering."""

    reasons: Mapping[str, str]
    shell: frozenset[str] = frozenset()

    @property
    def nodes(self) -> frozenset[str]:
        return frozenset(self.reasons)


def _owns_data(graph: CodeGraph) -> set[str]:
    owners = set()
    for c in graph.couplings:
        if c.kind == "data" and c.mode in ("write", "model") and is_table(c.target):
            node = graph.node_of.get(c.source)
            if node is not None:
                owners.add(node)
    return owners


def find_shared(graph: CodeGraph, communities: Iterable[frozenset[str]]) -> SharedCode:
    parts = [c for c in communities if c]
    index = {n: i for i, part in enumerate(parts) for n in part}
    k = len(parts)
    if k < MIN_USERS + 1:
        return SharedCode({})
    need = max(MIN_USERS, math.ceil(USERS_SHARE * (k - 1)))
    users: dict[str, set[int]] = defaultdict(set)
    reaches: dict[str, set[int]] = defaultdict(set)
    callers: dict[str, set[str]] = defaultdict(set)
    for edge in graph.edges:
        if edge.source not in index or edge.target not in index:
            continue
        callers[edge.target].add(edge.source)
        if index[edge.source] != index[edge.target]:
            users[edge.target].add(index[edge.source])
            reaches[edge.source].add(index[edge.target])
    data = _owns_data(graph)
    reasons: dict[str, str] = {}
    module_users = _module_users(graph, index, users, data)
    shell = _project_shell({n.module for n in graph.nodes if n.kind != "table"})
    for node in sorted(index):
        if is_table(node) or node in data:
            continue
        module = module_of(node)
        if len(users[node]) >= need:
            reasons[node] = f"used from {len(users[node])} of {k} communities"
        elif len(module_users.get(module, ())) >= need:
            reasons[node] = (
                f"part of {module}, used from {len(module_users[module])} of {k} communities"
            )
        elif not callers[node] and len(reaches[node]) >= need:
            reasons[node] = f"entry point wiring {len(reaches[node])} of {k} communities"
    _close_over_helpers(index, callers, data, reasons)
    # The shell comes last, after the closure: what the root URL conf reaches is not shared.
    shell_nodes = [
        n for n in sorted(index) if module_of(n) in shell and n not in reasons and n not in data
    ]
    reasons.update(dict.fromkeys(shell_nodes, SHELL_REASON))
    return SharedCode(dict(sorted(reasons.items())), frozenset(shell_nodes))


def _project_shell(modules: set[str]) -> set[str]:
    """The shell modules of every project package (a package with a ``settings`` module or
    package), and a top-level ``manage`` beside one."""
    projects = {m.rpartition(".")[0] for m in modules if m.endswith(".settings")}
    projects.discard("")
    shell = {
        m
        for m in modules
        if any(
            m == p or m.startswith(f"{p}.settings.") or m in {f"{p}.{n}" for n in SHELL_MODULES}
            for p in projects
        )
    }
    if projects and "manage" in modules:
        shell.add("manage")
    return shell


def _module_users(
    graph: CodeGraph, index: Mapping[str, int], users: Mapping[str, set[int]], data: set[str]
) -> dict[str, set[int]]:
    """Communities using each utility module's code: a module that owns no data and is mostly
    used rather than using other code (at most ``LEAF_SHARE`` of the weight of its edges to
    other modules goes out). Such a module counts as a whole, though each of its functions has
    fewer users than the module."""
    owning = {module_of(n) for n in data}
    outgoing: dict[str, float] = defaultdict(float)
    total: dict[str, float] = defaultdict(float)
    for edge in graph.edges:
        source, target = module_of(edge.source), module_of(edge.target)
        if source != target:
            outgoing[source] += edge.weight
            total[source] += edge.weight
            total[target] += edge.weight
    by_module: dict[str, set[int]] = defaultdict(set)
    for node in index:
        module = module_of(node)
        if module and module not in owning and outgoing[module] <= LEAF_SHARE * total[module]:
            by_module[module] |= users.get(node, set())
    return by_module


def _close_over_helpers(
    index: Mapping[str, int],
    callers: Mapping[str, set[str]],
    data: set[str],
    reasons: dict[str, str],
) -> None:
    changed = True
    while changed:
        changed = False
        for node in sorted(index):
            if node in reasons or is_table(node) or node in data:
                continue
            users = callers.get(node, set())
            if users and users <= reasons.keys():
                reasons[node] = "used only by shared code"
                changed = True
