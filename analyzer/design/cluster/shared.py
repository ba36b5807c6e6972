"""Shared library: code every service needs and none owns, kept out of the services.

Found on a first clustering of the whole graph:

- **utility code** is used from many other communities (at least ``USERS_SHARE`` of them, and
  at least ``MIN_USERS``) and has no data of its own (it defines or writes no table);
- **wiring code** (a CLI dispatcher, an app factory, a root URL conf) is used by nothing and
  reaches into many communities;
- a **base class** without data of its own (a mixin, an abstract model, a schema base) is
  extended in at least ``MIN_USERS`` communities;
- the **project shell** (a Django project's ``manage.py``, and beside its ``settings``: the root
  URL conf, the WSGI/ASGI entry points, the Celery app) configures and starts the monolith as a
  whole; each extracted service gets its own, so none of them owns it;
- a **composition root** (an app factory, a CLI's ``main``) is called from nowhere else, and
  what it dispatches to in its own module (a parser's sub-commands) wires many communities;
- a **stateless helper module** has no class of its own among the nodes (classes are the types
  of a capability, its schemas and errors; a module small enough to stay one node is judged as
  one), touches no table, depends on nothing but shared code, and is used from at least
  ``MIN_USERS`` communities: each service would copy it (``utils.ids``);
- code used only by shared code, and using nothing but shared code, is shared too (a utility's
  private helpers; a CLI's ``init-db`` command, but not its command calling one service); code
  coupled to nothing is shared when the rest of its package is.

Clustering then runs again without these nodes, so a ``utils.money`` used everywhere does not
glue unrelated capabilities together, and the shared library becomes a pseudo-service of kind
``shared-library``. Once the services are known, shared code reading the tables of one service
only joins that service (``release_readers``): a library cannot reach into one service's data.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from analyzer.design.signals.graph import CodeGraph, DataRoles, data_roles
from analyzer.model.coupling import is_table, module_of

# Modules of a project package (one holding ``settings``) that make up its shell.
SHELL_MODULES = frozenset({"settings", "urls", "wsgi", "asgi", "celery"})
SHELL_REASON = "project shell (settings, root URLs, entry points): each service needs its own"
USERS_SHARE = 0.4
MIN_USERS = 3
LEAF_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class SharedCode:
    """Nodes set aside as shared library, each with why (the project shell among them)."""

    reasons: Mapping[str, str]

    @property
    def nodes(self) -> frozenset[str]:
        return frozenset(self.reasons)


def find_shared(
    graph: CodeGraph, communities: Iterable[frozenset[str]], roles: DataRoles | None = None
) -> SharedCode:
    """The shared library found on ``communities``, a first clustering of ``graph``; pass the
    graph's data ``roles`` when they are at hand."""
    roles = roles if roles is not None else data_roles(graph)
    parts = [c for c in communities if c]
    index = {n: i for i, part in enumerate(parts) for n in part}
    k = len(parts)
    if k < MIN_USERS + 1:
        return SharedCode({})
    need = max(MIN_USERS, math.ceil(USERS_SHARE * (k - 1)))
    users: dict[str, set[int]] = defaultdict(set)
    reaches: dict[str, set[int]] = defaultdict(set)
    callers: dict[str, set[str]] = defaultdict(set)
    heirs: dict[str, set[int]] = defaultdict(set)  # communities of the subclasses
    for edge in graph.edges:
        if edge.source not in index or edge.target not in index:
            continue
        callers[edge.target].add(edge.source)
        if edge.count("inheritance"):
            heirs[edge.target].add(index[edge.source])
        if index[edge.source] != index[edge.target]:
            users[edge.target].add(index[edge.source])
            reaches[edge.source].add(index[edge.target])
    data = set(roles.keepers)
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
        elif len(heirs[node]) >= MIN_USERS:
            reasons[node] = f"base class extended in {len(heirs[node])} communities"
    targets: dict[str, set[str]] = defaultdict(set)
    for target, sources in callers.items():
        for source in sources:
            targets[source].add(target)
    _composition_roots(index, callers, targets, data, reasons)
    helpers = _Helpers(graph, index, callers, targets, data, roles)
    while helpers.close(reasons):
        pass
    helpers.loose_in_shared_packages(reasons)
    # The shell comes last, after the closure: what the root URL conf reaches is not shared.
    shell_nodes = [
        n for n in sorted(index) if module_of(n) in shell and n not in reasons and n not in data
    ]
    reasons.update(dict.fromkeys(shell_nodes, SHELL_REASON))
    return SharedCode(dict(sorted(reasons.items())))


def release_readers(
    graph: CodeGraph, clusters: Sequence[frozenset[str]], shared: SharedCode
) -> tuple[list[frozenset[str]], SharedCode, dict[str, str]]:
    """Shared code reading the tables of one service only joins that service: a library every
    service links cannot reach into one service's data, and that service can serve the others
    (an auth dependency loading the user joins accounts). Code reading the tables of several
    services stays shared and is reported among their readers; the project shell stays (each
    service gets its own). Returns the services, the shared library left, and why each node
    moved."""
    where = {n: i for i, c in enumerate(clusters) for n in c}
    shell = _project_shell({n.module for n in graph.nodes if n.kind != "table"})
    read: dict[str, dict[str, int]] = defaultdict(dict)  # node -> table -> its service
    for edge in graph.edges:
        source, table = edge.source, edge.target
        readable = is_table(table) and table in where and module_of(source) not in shell
        if readable and source in shared.reasons:
            read[source][table] = where[table]
    services = [set(c) for c in clusters]
    released: dict[str, str] = {}
    for node, tables in sorted(read.items()):
        homes = set(tables.values())
        if len(homes) == 1:
            services[homes.pop()].add(node)
            names = ", ".join(t.removeprefix("table::") for t in sorted(tables))
            released[node] = f"reads {names} of this service only: not shareable"
    if not released:
        return list(clusters), shared, {}
    left = SharedCode({n: why for n, why in shared.reasons.items() if n not in released})
    return [frozenset(c) for c in services], left, released


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


def _composition_roots(
    index: Mapping[str, int],
    callers: Mapping[str, set[str]],
    targets: Mapping[str, set[str]],
    data: set[str],
    reasons: dict[str, str],
) -> None:
    """Modules that nothing else calls into (an app factory module, a CLI run as a script)
    whose own code, followed through the module's functions it calls (``main`` ->
    ``build_parser`` -> the commands), reaches at least ``MIN_USERS`` communities. A target that
    is a module's own code (a router object, a small module kept whole) stands for every community
    holding part of that module. The module's code is shared, and so are the functions of that
    dispatch that reach no community (the parser) or only shared code (``init-db``); a command
    calling into one capability stays to be clustered with it."""
    by_module: dict[str, set[int]] = defaultdict(set)
    for node, community in index.items():
        by_module[module_of(node)].add(community)
    for module in sorted(n for n in index if n == module_of(n)):
        if module in reasons or module in data or callers.get(module, set()) - {module}:
            continue  # imported from elsewhere, or its own functions use it (a router's module)
        dispatch, pending = {module}, [module]
        while pending:
            for target in sorted(targets.get(pending.pop(), ())):
                if module_of(target) == module and target not in dispatch:
                    dispatch.add(target)
                    pending.append(target)
        outside = {
            member: {
                t
                for t in targets.get(member, ())
                if module_of(t) != module and t not in reasons and not is_table(t)
            }
            for member in dispatch
        }
        reach: set[int] = set()
        for found in outside.values():
            for t in found:
                reach |= by_module[t] if t == module_of(t) else {index[t]}
        if len(reach) < MIN_USERS:
            continue
        why = f"composition root wiring {len(reach)} communities"
        reasons[module] = why
        for member in sorted(dispatch - {module}):
            if not outside[member] and member not in data:
                reasons[member] = f"part of the composition root {module}"


class _Helpers:
    """Shared library growing by closure: helpers used only by shared code, and helper modules
    that touch no table, depend only on shared code and serve at least ``MIN_USERS``
    communities. Each pass adds what the last one made possible."""

    def __init__(
        self,
        graph: CodeGraph,
        index: Mapping[str, int],
        callers: Mapping[str, set[str]],
        targets: Mapping[str, set[str]],
        data: set[str],
        roles: DataRoles,
    ) -> None:
        self.index = index
        self.callers = callers
        self.targets = targets
        self.data = data
        self.touching = {module_of(n) for n in roles.touches}
        self.kinds = {n.id: n.kind for n in graph.nodes}
        self.modules: dict[str, list[str]] = defaultdict(list)
        for node in sorted(index):
            if not is_table(node):
                self.modules[module_of(node)].append(node)

    def close(self, reasons: dict[str, str]) -> bool:
        """One pass of both rules; whether the shared library grew."""
        helpers = self._used_only_by_shared(reasons)
        modules = self._helper_modules(reasons)
        return helpers or modules

    def _used_only_by_shared(self, reasons: dict[str, str]) -> bool:
        grew = False
        for node in sorted(self.index):
            if node in reasons or is_table(node) or node in self.data:
                continue
            users = self.callers.get(node, set())
            uses = self.targets.get(node, set())
            if users and users <= reasons.keys() and uses <= reasons.keys():
                reasons[node] = "used only by shared code"
                grew = True
        return grew

    def _helper_modules(self, reasons: dict[str, str]) -> bool:
        grew = False
        for module, members in sorted(self.modules.items()):
            if module in self.touching or all(m in reasons for m in members):
                continue
            if any(self.kinds.get(m) == "class" for m in members):
                continue  # classes are types of a capability's own (its schemas, its errors)
            inside = set(members)
            uses = {t for m in members for t in self.targets.get(m, ())}
            if any(t not in inside and t not in reasons for t in uses):
                continue
            served = {
                self.index[c]
                for m in members
                for c in self.callers.get(m, ())
                if c not in inside and c not in reasons
            }
            if len(served) >= MIN_USERS:
                why = f"stateless helper module used from {len(served)} communities"
                reasons.update({m: why for m in members if m not in reasons})
                grew = True
        return grew

    def loose_in_shared_packages(self, reasons: dict[str, str]) -> None:
        """Code coupled to nothing (a package ``__init__`` holding a docstring) goes with its
        package, as clustering would place it: shared when all the package's other code is."""
        under: dict[str, list[str]] = defaultdict(list)  # package -> the nodes in or below it
        for module, members in self.modules.items():
            parts = module.split(".")
            for depth in range(1, len(parts) + 1):
                under[".".join(parts[:depth])].extend(members)
        for node in sorted(self.index):
            if node in reasons or is_table(node) or node in self.data:
                continue
            if self.callers.get(node) or self.targets.get(node):
                continue
            module = module_of(node)
            is_package = len(under[module]) > len(self.modules[module])
            package = module if is_package else module.rpartition(".")[0]
            others = [n for n in under.get(package, ()) if n != node]
            if others and all(n in reasons for n in others):
                reasons[node] = f"in {package}, all of whose other code is shared"
