"""The boundary rules: located violations found in the couplings of the current code.

Each function gives every violation of one rule, unsuppressed and unbaselined; ``find_violations``
runs the enabled ones. Rules are written against the generic ``Coupling``: imports, calls and
inheritance make dependencies between services; ``data`` couplings with mode ``write`` or ``fk``
feed the table and foreign-key rules as soon as the facts carry them. Transactions and joins
come from the flows (``analyzer.design.cost``): a table belongs to the service declaring it in
its ``tables``, else to the service holding the model that defines it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from analyzer.check.cycles import loop_through, tied_groups
from analyzer.check.mapping import ServiceMap
from analyzer.design.cost.callgraph import code_node
from analyzer.design.cost.flows import Flows
from analyzer.model.boundaries import SHARED, Boundaries
from analyzer.model.coupling import TABLE_PREFIX, Coupling, is_table, module_of
from analyzer.model.facts import FileFacts
from analyzer.model.violations import Violation


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


_VERB = {"import": "imports", "call": "uses", "inheritance": "subclasses", "cochange": "co-changes"}


def dotted(node: str) -> str:
    """A code node as Python spells it: ``shop.models:Order`` -> ``shop.models.Order``."""
    return node.replace(":", ".")


def code_of(service: str) -> str:
    return "shared library code" if service == SHARED else f"{service} code"


def use(c: Coupling) -> str:
    """What the code at ``c`` does with the other code, in its own words: ``imports
    shop.payments.Gateway (defined in shop.payments.gateways)``, ``uses ...``."""
    via, _, named = c.detail.partition(" ")
    if c.soft and c.kind == "call" and named:  # through a string: get_model("app", "Model")...
        return f"names {named} through {via} (that is {dotted(c.target)})"
    written = c.detail if c.kind == "import" else dotted(c.target)
    defined = module_of(c.target) if not is_table(c.target) else ""
    inside = written == defined or written.startswith(f"{defined}.")
    where = f" (defined in {defined})" if defined and not inside else ""
    return f"{_VERB[c.kind]} {written}{where}"


def _sorted(couplings: Iterable[Coupling]) -> list[Coupling]:
    return sorted(couplings, key=lambda c: (c.path, c.line, c.source, c.target, c.kind))


def _at(rule: str, boundaries: Boundaries, c: Coupling, **fields: str) -> Violation:
    return Violation(
        rule=rule,
        severity=boundaries.severity(rule),
        path=c.path,
        line=c.line,
        source=fields["source"],
        target=fields.get("target", ""),
        message=fields["message"],
        hint=fields["hint"],
        key=fields["key"],
    )


def _dependency_hint(source: str, target: str, declared: bool) -> str:
    if source == SHARED:
        return f"shared code must not depend on a service: move this code into {target}"
    if declared:
        return (
            f"call {possessive(target)} public API or publish an event instead; "
            f'if {source} may use {target}, add "{target}" to its depends_on'
        )
    return (
        f"go through {possessive(target)} public API or an event instead; "
        "if this dependency is intended, record it with `seams check --update-baseline`"
    )


def cross_service(
    couplings: Iterable[Coupling], services: ServiceMap, kinds: Sequence[str]
) -> list[tuple[Coupling, str, str]]:
    """Couplings of the dependency ``kinds`` between two services (the shared library as
    a target is always allowed), with their source and target services."""
    found = []
    for c in couplings:
        if c.kind not in kinds or is_table(c.target):
            continue
        source, target = services.node(c.source), services.node(c.target)
        if source is None or target is None or target in (source, SHARED):
            continue
        found.append((c, source, target))
    return found


def new_dependency(
    edges: list[tuple[Coupling, str, str]], boundaries: Boundaries
) -> list[Violation]:
    out = []
    declared_by = {s.name: s for s in boundaries.services}
    for c, source, target in edges:
        service = declared_by.get(source)
        declared = service is not None and service.depends_on is not None
        if declared and service is not None and target in (service.depends_on or ()):
            continue
        if source == SHARED:
            why = "shared code may not depend on a service"
        elif declared:
            why = f"{source} does not list {target} in depends_on"
        else:
            why = f"{source} has no dependency on {target} in the baseline"
        out.append(
            _at(
                "new_dependency",
                boundaries,
                c,
                source=source,
                target=target,
                message=(
                    f"{code_of(source)} {use(c)}, which the boundaries place in {target}; "
                    f"{why} (rule new_dependency)"
                ),
                hint=_dependency_hint(source, target, declared),
                key=f"new_dependency {c.kind} {c.source} -> {c.target}",
            )
        )
    return out


def cycles(edges: list[tuple[Coupling, str, str]], boundaries: Boundaries) -> list[Violation]:
    """One violation per group of services that depend on each other in a cycle."""
    by_pair: dict[tuple[str, str], list[Coupling]] = defaultdict(list)
    for c, source, target in edges:
        if source != SHARED:
            by_pair[(source, target)].append(c)
    out = []
    for group in tied_groups(by_pair):
        loop = loop_through(by_pair, group, group[0])
        steps = list(zip(loop, [*loop[1:], loop[0]], strict=True))
        weakest = min(steps, key=lambda pair: (len(by_pair[pair]), pair))
        path = " -> ".join([*loop, loop[0]])
        members = f"; all of {', '.join(group)} are tied together" if len(group) > len(loop) else ""
        link = _sorted(by_pair[weakest])[0]
        out.append(
            _at(
                "cycle",
                boundaries,
                link,
                source=", ".join(group),
                message=(
                    f"{code_of(weakest[0])} {use(link)}, which the boundaries place in "
                    f"{weakest[1]}: the thinnest link of the cycle {path}{members} (rule cycle)"
                ),
                hint=(
                    f"break the cycle where it is thinnest: {weakest[0]} -> {weakest[1]} has "
                    f"{len(by_pair[weakest])} coupling(s); invert it with an event or a callback"
                ),
                key=f"cycle {', '.join(group)}",
            )
        )
    return out


def foreign_table_write(
    couplings: Iterable[Coupling], services: ServiceMap, boundaries: Boundaries
) -> list[Violation]:
    out = []
    for c in couplings:
        if c.kind != "data" or c.mode != "write" or not is_table(c.target):
            continue
        table = c.target.removeprefix(TABLE_PREFIX)
        owner, writer = services.table(table), services.node(c.source)
        if owner is None or writer is None or writer == owner:
            continue
        out.append(
            _at(
                "foreign_table_write",
                boundaries,
                c,
                source=writer,
                target=owner,
                message=(
                    f"{code_of(writer)} ({dotted(c.source)}) writes table {table}, which the "
                    f"boundaries give to {owner}; only its owner may write it "
                    "(rule foreign_table_write)"
                ),
                hint=f"move this write behind {owner}: call an {owner} function that writes it",
                key=f"foreign_table_write {c.source} -> {c.target}",
            )
        )
    return out


def shared_write(
    couplings: Iterable[Coupling], services: ServiceMap, boundaries: Boundaries
) -> list[Violation]:
    """Tables no service declares, written from more than one service."""
    writes: dict[str, dict[str, list[Coupling]]] = defaultdict(lambda: defaultdict(list))
    for c in couplings:
        if c.kind == "data" and c.mode == "write" and is_table(c.target):
            table = c.target.removeprefix(TABLE_PREFIX)
            writer = services.node(c.source)
            if writer is not None and services.table(table) is None:
                writes[table][writer].append(c)
    out = []
    for table in sorted(writes):
        writers = sorted(writes[table])
        if len(writers) < 2:
            continue
        first = _sorted(writes[table][writers[1]])[0]
        out.append(
            _at(
                "shared_write",
                boundaries,
                first,
                source=", ".join(writers),
                message=(
                    f"{code_of(writers[1])} ({dotted(first.source)}) writes table {table}, "
                    f"which no service owns and {len(writers)} services write: "
                    f"{', '.join(writers)} (rule shared_write)"
                ),
                hint=(
                    f"declare one owner of {table} (its tables list) and route the other "
                    "writes through that service"
                ),
                key=f"shared_write {table}",
            )
        )
    return out


def foreign_key(
    couplings: Iterable[Coupling], services: ServiceMap, boundaries: Boundaries
) -> list[Violation]:
    out = []
    for c in couplings:
        if c.kind != "data" or c.mode != "fk":
            continue
        source, target = services.node(c.source), services.node(c.target)
        if source is None or target is None or source == target or SHARED in (source, target):
            continue
        out.append(
            _at(
                "foreign_key",
                boundaries,
                c,
                source=source,
                target=target,
                message=(
                    f"{code_of(source)} ({dotted(c.source)}) has a foreign key to "
                    f"{dotted(c.target)}, which the boundaries place in {target} (rule foreign_key)"
                ),
                hint=(
                    f"keep the {target} id as a plain value and look it up through "
                    f"{possessive(target)} API"
                ),
                key=f"foreign_key {c.source} -> {c.target}",
            )
        )
    return out


def _table_service(table: str, services: ServiceMap, flows: Flows) -> str | None:
    declared = services.table(table)
    if declared is not None:
        return declared
    definer = flows.definers.get(table)
    found = services.node(definer) if definer else None
    return None if found == SHARED else found


def distributed_transaction(
    flows: Flows, services: ServiceMap, boundaries: Boundaries
) -> list[Violation]:
    """Transactions writing tables of two or more services: a saga once the services split."""
    out = []
    for t in flows.transactions:
        by_service: dict[str, list[str]] = defaultdict(list)
        for table in t.tables:
            owner = _table_service(table, services, flows)
            if owner is not None:
                by_service[owner].append(table)
        if len(by_service) < 2:
            continue
        names = sorted(by_service)
        home = services.node(code_node(t.node))
        source = home if home in by_service else names[0]
        others = [n for n in names if n != source]
        written = "; ".join(f"{n}: {', '.join(by_service[n])}" for n in names)
        out.append(
            Violation(
                rule="distributed_transaction",
                severity=boundaries.severity("distributed_transaction"),
                source=source,
                target=", ".join(others),
                path=t.path,
                line=t.line,
                message=f"one transaction in {dotted(t.node)} writes tables of "
                f"{', '.join(names)} ({written}); the boundaries split it into a distributed "
                "transaction (rule distributed_transaction)",
                hint=(
                    f"keep these writes in {source}, or make the {', '.join(others)} part a saga "
                    "step with a compensation (an event or a command after the commit)"
                ),
                key=f"distributed_transaction {t.node} {'+'.join(names)}",
            )
        )
    return out


def cross_service_join(
    flows: Flows, services: ServiceMap, boundaries: Boundaries
) -> list[Violation]:
    """Queries joining a table of one service with a table of another."""
    out = []
    for site in flows.joins:
        join = site.join
        source = _table_service(join.table, services, flows)
        target = _table_service(join.joined, services, flows)
        if source is None or target is None or source == target:
            continue
        out.append(
            Violation(
                rule="cross_service_join",
                severity=boundaries.severity("cross_service_join"),
                source=source,
                target=target,
                path=join.path,
                line=join.line,
                message=f"{dotted(site.endpoint)} joins {join.table}, which the boundaries "
                f"place in {source}, with {join.joined}, which they place in {target} "
                f"[{join.how}] (rule cross_service_join)",
                hint=(
                    f"ask {possessive(target)} API for what it needs of {join.joined}, or keep "
                    f"a read model of it in {source} fed by {possessive(target)} events"
                ),
                key=f"cross_service_join {site.endpoint} {join.table} -> {join.joined}",
            )
        )
    return out


def unmapped_modules(
    files: Iterable[FileFacts], services: ServiceMap, boundaries: Boundaries
) -> list[Violation]:
    return [
        Violation(
            rule="unmapped_module",
            severity=boundaries.severity("unmapped_module"),
            source="",
            target="",
            path=f.path,
            line=1,
            message=f"module {f.module} belongs to no service and is not shared "
            "(rule unmapped_module)",
            hint=f'add a pattern such as "{f.module}" to a service\'s modules or to shared.modules',
            key=f"unmapped_module {f.module}",
        )
        for f in files
        if services.module(f.module) is None
    ]


def find_violations(
    files: Sequence[FileFacts],
    couplings: Sequence[Coupling],
    boundaries: Boundaries,
    flows: Flows | None = None,
) -> list[Violation]:
    """Every violation of every enabled rule, before suppressions and the baseline; the
    transaction and join rules need the ``flows``."""
    services = ServiceMap(boundaries)
    edges = cross_service(couplings, services, boundaries.dependency_kinds)
    found: list[Violation] = [
        *new_dependency(edges, boundaries),
        *cycles(edges, boundaries),
        *foreign_table_write(couplings, services, boundaries),
        *shared_write(couplings, services, boundaries),
        *foreign_key(couplings, services, boundaries),
        *unmapped_modules(files, services, boundaries),
    ]
    if flows is not None:
        found += distributed_transaction(flows, services, boundaries)
        found += cross_service_join(flows, services, boundaries)
    return [v for v in found if v.severity != "off"]
