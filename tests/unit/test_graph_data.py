from __future__ import annotations

from analyzer.design.signals.graph import (
    GraphNode,
    build_graph,
    data_roles,
    read_through,
    whole_modules,
)
from analyzer.model.coupling import Coupling
from analyzer.model.facts import FileFacts, SymbolFact
from analyzer.model.options import Weights

NODES = [
    GraphNode("shop.models:Order", "class", "shop.models", 30),
    GraphNode("shop.repo:Orders", "class", "shop.repo", 40),
    GraphNode("shop.report:sales", "function", "shop.report", 20),
]


def _graph():  # type: ignore[no-untyped-def]
    couplings = [
        Coupling("shop.models:Order", "table::orders", "data", "m.py", 3, "orders", mode="model"),
        Coupling("shop.repo:Orders", "table::orders", "data", "r.py", 9, "orders", mode="write"),
        Coupling("shop.repo:Orders", "shop.models:Order", "call", "r.py", 9, "Order"),
        Coupling("shop.report:sales", "table::orders", "data", "s.py", 4, "orders", mode="read"),
        Coupling("shop.report:sales", "shop.models:Order", "call", "s.py", 4, "Order", count=3),
    ]
    return build_graph(NODES, couplings, "symbol", Weights())


def test_a_reader_reads_through_the_table_and_its_model_a_writer_does_not() -> None:
    roles = data_roles(_graph())
    assert ("shop.repo:Orders", "table::orders") in roles.writes
    assert roles.defines["shop.models:Order"] == {"table::orders"}
    assert roles.keepers == {"shop.models:Order", "shop.repo:Orders"}
    assert roles.touches == {"shop.models:Order", "shop.repo:Orders", "shop.report:sales"}
    assert read_through("shop.report:sales", "table::orders", roles)
    assert read_through("shop.report:sales", "shop.models:Order", roles)
    assert not read_through("shop.repo:Orders", "table::orders", roles)
    assert not read_through("shop.repo:Orders", "shop.models:Order", roles)
    assert not read_through("shop.models:Order", "table::orders", roles)


def test_the_clustering_graph_marks_read_shares_owning_and_defining_edges() -> None:
    graph = _graph().clustering_graph()
    report = graph["shop.report:sales"]["shop.models:Order"]
    assert report["read"] == report["weight"] > 0
    assert graph["shop.repo:Orders"]["table::orders"]["owns"] is True
    # the model defines its table; the repository only writes it
    assert graph["shop.models:Order"]["table::orders"]["defines"] is True
    assert not graph["shop.repo:Orders"]["table::orders"].get("defines")
    assert not graph["shop.repo:Orders"]["shop.models:Order"].get("read")
    # the undamped graph metrics use carries plain weights only
    assert "read" not in _graph().undirected()["shop.report:sales"]["shop.models:Order"]


def _file(module: str, loc: int, *names: str) -> FileFacts:
    symbols = tuple(SymbolFact(n, "class", i * 5 + 1, i * 5 + 4, 4) for i, n in enumerate(names))
    return FileFacts(f"{module.replace('.', '/')}.py", module, False, loc, loc, symbols=symbols)


def test_a_small_module_stays_whole_unless_it_defines_two_tables() -> None:
    files = [
        _file("chirp.helpers", 12, "slug", "stamp"),
        _file("chirp.models", 30, "Account", "Chirp", "Like"),
        _file("chirp.single", 80, "Only"),
        _file("chirp.big", 90, "a", "b"),
    ]
    definers = ["chirp.models:Account", "chirp.models:Chirp", "chirp.big:a"]
    assert whole_modules(files, definers) == {"chirp.helpers", "chirp.single"}
    # one table is not enough to split a small module
    assert "chirp.models" in whole_modules(files, ["chirp.models:Chirp"])
