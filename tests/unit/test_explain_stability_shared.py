from __future__ import annotations

from dataclasses import replace

from analyzer.design.cluster.proposal import make_proposal
from analyzer.design.cluster.shared import SharedCode, find_shared, release_readers
from analyzer.design.cluster.stability import held, reruns
from analyzer.design.document.explain import explain
from analyzer.design.signals.graph import GraphNode, build_graph
from analyzer.model.coupling import Coupling
from analyzer.model.options import Weights


def coupled(  # type: ignore[no-untyped-def]
    pairs: list[tuple[str, str, int]],
    loc: int = 20,
    classes: frozenset[str] = frozenset(),
    loose: tuple[str, ...] = (),
):
    names = sorted({n for a, b, _ in pairs for n in (a, b)} | set(loose))
    nodes = [
        GraphNode(n, "class" if n in classes else "function", n.split(":")[0], loc) for n in names
    ]
    couplings = [
        Coupling(a, b, "call", f"{a.split(':')[0]}.py", 1, b, count=c) for a, b, c in pairs
    ]
    return build_graph(nodes, couplings, "symbol", Weights())


def test_explanation_compares_own_service_with_the_runner_up() -> None:
    graph = coupled(
        [("o:place", "o:Order", 3), ("o:place", "o:lines", 1), ("o:place", "p:charge", 1)]
    )
    proposal = make_proposal(
        graph,
        [frozenset({"o:place", "o:Order", "o:lines"}), frozenset({"p:charge"})],
        ["orders", "payments"],
    )
    why = explain(graph, proposal)["o:place"]
    assert why["service"] == "orders"
    assert why["runner_up"] == "payments"
    assert why["own_weight"] > why["runner_up_weight"] > 0
    assert [r["text"] for r in why["reasons"]] == ["uses o:Order", "uses o:lines", "uses p:charge"]
    assert explain(graph, proposal)["p:charge"]["reasons"][0]["text"] == "is used by o:place"


def test_stability_is_the_share_each_rerun_keeps_together() -> None:
    loc = {f"{group}{i}": 10 for group in ("a", "b") for i in range(6)}
    services = [frozenset(f"a{i}" for i in range(6)), frozenset(f"b{i}" for i in range(6))]
    halves = [frozenset({"a0", "a1", "a2"}), frozenset({"a3", "a4", "a5"}), services[1]]
    seeds: list[int] = []

    def rerun(seed: int) -> list[frozenset[str]]:
        seeds.append(seed)
        return services

    partitions = reruns(rerun, 7)
    assert seeds == [8, 9, 10, 11]
    assert held(loc, services, partitions) == [1.0, 1.0]
    assert held(loc, services, [halves] * 4) == [0.5, 1.0]
    assert held(loc, services, [services, halves, services, halves]) == [0.75, 1.0]


def test_utility_used_from_many_communities_is_shared_with_its_private_helpers() -> None:
    pairs = []
    for service in ("orders", "billing", "shipping", "catalog", "users"):
        pairs += [
            (f"{service}.svc:a", f"{service}.svc:b", 2),
            (f"{service}.svc:a", "util.money:Money", 1),
        ]
    pairs.append(("util.money:Money", "util.rounding:round_half", 1))
    graph = coupled(pairs)
    communities = [
        frozenset({f"{s}.svc:a", f"{s}.svc:b"})
        for s in ("orders", "billing", "shipping", "catalog")
    ]
    communities.append(
        frozenset({"users.svc:a", "users.svc:b", "util.money:Money", "util.rounding:round_half"})
    )
    shared = find_shared(graph, communities)
    assert shared.nodes == {"util.money:Money", "util.rounding:round_half"}
    assert shared.reasons["util.rounding:round_half"] == "used only by shared code"


def test_the_project_shell_is_shared_but_what_its_urls_reach_is_not() -> None:
    services = ("orders", "billing", "shipping", "catalog", "users")
    pairs = [(f"{s}.views:a", f"{s}.views:b", 2) for s in services]
    pairs += [(f"{s}.urls", f"{s}.views:a", 1) for s in services]
    pairs += [("shop.urls", f"{s}.urls", 1) for s in services[:2]]  # too few to be wiring
    pairs += [("shop.celery", "orders.views:b", 1), ("shop.settings", "shop.celery", 1)]
    graph = coupled([*pairs, ("manage", "shop.settings", 1)])
    communities = [frozenset({f"{s}.views:a", f"{s}.views:b", f"{s}.urls"}) for s in services]
    communities[0] |= {"shop.urls", "shop.celery", "shop.settings", "manage"}
    shared = find_shared(graph, communities)
    assert shared.nodes == {"shop.urls", "shop.celery", "shop.settings", "manage"}
    assert shared.reasons["shop.urls"].startswith("project shell")
    # Without a settings module there is no project package: nothing is shell.
    plain = coupled([p for p in pairs if "settings" not in p[0] + p[1]])
    communities[0] -= {"shop.settings", "manage"}
    assert find_shared(plain, communities).nodes == frozenset()


SERVICES = ("orders", "billing", "shipping", "catalog", "users")


def _services_using(target: str) -> list[tuple[str, str, int]]:
    pairs = []
    for service in SERVICES:
        pairs += [(f"{service}.svc:a", f"{service}.svc:b", 2), (f"{service}.svc:a", target, 1)]
    return pairs


def _communities(extra: set[str]) -> list[frozenset[str]]:
    communities = [frozenset({f"{s}.svc:a", f"{s}.svc:b"}) for s in SERVICES]
    communities[-1] |= extra
    return communities


def test_a_cli_dispatcher_is_shared_but_its_commands_into_one_service_are_not() -> None:
    cli = [
        ("app.cli", "app.cli:main", 1),
        ("app.cli:main", "app.cli:build_parser", 1),
        *[("app.cli:build_parser", f"app.cli:_cmd_{s}", 1) for s in SERVICES[:3]],
        *[(f"app.cli:_cmd_{s}", f"{s}.svc:b", 1) for s in SERVICES[:3]],
        ("app.cli:build_parser", "app.cli:_cmd_init_db", 1),
        ("app.cli:_cmd_init_db", "app.db:init", 1),
    ]
    graph = coupled([*_services_using("app.db:init"), *cli])
    nodes = {n for a, b, _ in cli for n in (a, b) if n.startswith("app.")}
    shared = find_shared(graph, _communities(nodes))
    assert shared.nodes == {
        "app.db:init",
        "app.cli",
        "app.cli:main",
        "app.cli:build_parser",
        "app.cli:_cmd_init_db",
    }
    assert shared.reasons["app.cli"] == "composition root wiring 3 communities"
    # Two services reached are not a composition root; and a module someone imports is not one.
    two = [p for p in cli if "shipping" not in p[0] + p[1]]
    assert (
        "app.cli"
        not in find_shared(
            coupled([*_services_using("app.db:init"), *two]), _communities(nodes)
        ).nodes
    )
    called = [*cli, ("orders.svc:b", "app.cli", 1)]
    graph = coupled([*_services_using("app.db:init"), *called])
    assert "app.cli" not in find_shared(graph, _communities(nodes)).nodes


def test_a_stateless_helper_module_serving_three_services_is_shared() -> None:
    helpers = [
        ("orders.svc:b", "util.ids:slug", 1),
        ("billing.svc:b", "util.ids:code", 1),
        ("shipping.svc:b", "util.ids:code", 1),
        ("util.ids:code", "util.dates:now", 3),  # mostly using: not a leaf to the module rule
    ]
    graph = coupled([*_services_using("util.dates:now"), *helpers], loose=("util", "orders"))
    communities = _communities({"util.ids:slug", "util.ids:code", "util.dates:now"})
    communities[0] |= {"orders"}
    communities[-1] |= {"util"}
    shared = find_shared(graph, communities)
    # the package's docstring-only __init__ follows the rest of the package; orders' does not
    assert shared.nodes == {"util", "util.ids:slug", "util.ids:code", "util.dates:now"}
    assert shared.reasons["util.ids:slug"] == "stateless helper module used from 3 communities"
    # A helper depending on a service's code is not a library; nor is a module of classes.
    impure = coupled(
        [*_services_using("util.dates:now"), *helpers, ("util.ids:slug", "orders.svc:a", 1)]
    )
    assert "util.ids:code" not in find_shared(impure, communities).nodes
    typed = coupled(
        [*_services_using("util.dates:now"), *helpers], classes=frozenset({"util.ids:code"})
    )
    assert "util.ids:slug" not in find_shared(typed, communities).nodes


def test_a_base_class_extended_in_three_services_is_shared() -> None:
    pairs = [(f"{s}.svc:a", f"{s}.svc:b", 2) for s in SERVICES]
    nodes = sorted({n for a, b, _ in pairs for n in (a, b)} | {"api.schemas:ORMModel"})
    couplings = [Coupling(a, b, "call", "x.py", 1, b, count=c) for a, b, c in pairs]
    couplings += [
        Coupling(f"{s}.svc:b", "api.schemas:ORMModel", "inheritance", "x.py", 1, "ORMModel")
        for s in SERVICES[:3]
    ]
    graph = build_graph(
        [GraphNode(n, "class", n.split(":")[0], 20) for n in nodes], couplings, "symbol", Weights()
    )
    communities = _communities(set())
    communities[0] |= {"api.schemas:ORMModel"}
    shared = find_shared(graph, communities)
    assert shared.nodes == {"api.schemas:ORMModel"}
    assert shared.reasons["api.schemas:ORMModel"] == "base class extended in 3 communities"
    two = [c for c in couplings if not (c.kind == "inheritance" and c.source.startswith("ship"))]
    graph = build_graph(
        [GraphNode(n, "class", n.split(":")[0], 20) for n in nodes], two, "symbol", Weights()
    )
    assert find_shared(graph, communities).nodes == frozenset()


def test_shared_code_reading_one_services_tables_joins_that_service() -> None:
    nodes = [
        GraphNode(n, "class" if n[0].isupper() else "function", n.split(":")[0], 20)
        for n in (
            "accounts:login",
            "orders:place",
            "deps:current_user",
            "deps:paginate",
            "stats:overview",
            "proj.settings:site_name",
        )
    ] + [GraphNode(t, "table", t, 0) for t in ("table::users", "table::orders")]

    def data(source: str, table: str, mode: str) -> Coupling:
        return Coupling(source, table, "data", "x.py", 1, table, mode=mode)

    couplings = [
        data("accounts:login", "table::users", "write"),
        data("orders:place", "table::orders", "write"),
        data("deps:current_user", "table::users", "read"),
        data("stats:overview", "table::users", "read"),
        data("stats:overview", "table::orders", "read"),
        data("proj.settings:site_name", "table::users", "read"),
        Coupling("orders:place", "deps:current_user", "call", "o.py", 1, "current_user"),
    ]
    graph = build_graph(nodes, couplings, "symbol", Weights())
    accounts = frozenset({"accounts:login", "table::users"})
    orders = frozenset({"orders:place", "table::orders"})
    shared = SharedCode(
        {
            "deps:current_user": "used from 3 of 4 communities",
            "deps:paginate": "used from 3 of 4 communities",
            "stats:overview": "used from 3 of 4 communities",
            "proj.settings:site_name": "project shell",
        }
    )
    clusters, left, released = release_readers(graph, [accounts, orders], shared)
    # the auth dependency reads accounts' table only: a library cannot, accounts can serve it
    assert clusters == [accounts | {"deps:current_user"}, orders]
    assert released == {"deps:current_user": "reads users of this service only: not shareable"}
    # what reads no table, reads two services' tables, or is the project shell stays shared
    assert left.nodes == {"deps:paginate", "stats:overview", "proj.settings:site_name"}
    proposal = replace(
        make_proposal(graph, [*clusters, left.nodes], ["accounts", "orders", "shared"], None, left),
        released=released,
    )
    first = explain(graph, proposal)["deps:current_user"]["reasons"][0]
    assert (first["kind"], first["text"]) == ("data", released["deps:current_user"])


def test_a_symbol_kept_with_its_file_though_more_coupled_elsewhere_says_so() -> None:
    graph = coupled(
        [("rep:rate", "bill:Invoice", 3), ("rep:a", "rep:b", 1), ("rep:a", "rep:rate", 1)]
    )
    proposal = make_proposal(
        graph,
        [frozenset({"rep:a", "rep:b", "rep:rate"}), frozenset({"bill:Invoice"})],
        ["reports", "billing"],
    )
    why = explain(graph, proposal)
    assert why["rep:rate"]["own_weight"] < why["rep:rate"]["runner_up_weight"]
    assert why["rep:rate"]["reasons"][0] == {
        "kind": "file",
        "text": "kept with the rest of rep (100% of its other lines are here)",
        "node": "rep:rate",
        "service": "reports",
        "weight": 0.0,
    }
    assert all(r["kind"] != "file" for r in why["rep:a"]["reasons"])
