from __future__ import annotations

from analyzer.model.facts import AttrBinding
from tests.helpers import facts_of

CODE = '''\
"""Orders."""
from pkg.payments import services as payments
from pkg.models import Order, Cart

_repo = OrdersRepository()
router = APIRouter(prefix="/orders")
__all__ = ["place_order", "OrderService"]


@router.post("/")
def place_order(cart: "Cart", user) -> Order:
    total = 0
    for line in cart.lines:
        total += line.price
    order = Order.objects.create(user=user, total=total)
    _repo.save(order)
    payments.charge(order, [l.price for l in cart.lines])
    payments.charge(order, total)
    return order


if FEATURE:
    def legacy_export():
        return Order.objects.all()
else:
    legacy_export = None


class OrderService(BaseService, Generic[T]):
    repo = OrdersRepository()

    def __init__(self, session):
        self.session = session
        self.billing = BillingClient(session)

    def total(self, order) -> int:
        return self.billing.fee(order) + len(order.lines)
'''


def test_top_level_symbols_with_spans_and_sizes() -> None:
    facts = facts_of(CODE)
    assert [(s.name, s.kind, s.line, s.end_line, s.conditional) for s in facts.symbols] == [
        ("place_order", "function", 10, 19, False),
        ("legacy_export", "function", 23, 24, True),
        ("OrderService", "class", 29, 37, False),
    ]
    assert [s.loc for s in facts.symbols] == [10, 2, 7]
    assert facts.loc == len([line for line in CODE.splitlines() if line.strip()])


def test_references_keep_imported_and_module_names_and_drop_locals() -> None:
    place = facts_of(CODE).symbols[0]
    refs = {r.chain: (r.kind, r.line, r.count) for r in place.refs}
    assert refs == {
        "router.post": ("decorator", 10, 1),
        "Cart": ("annotation", 11, 1),
        "Order": ("annotation", 11, 1),
        "Order.objects.create": ("call", 15, 1),
        "_repo.save": ("call", 16, 1),
        "payments.charge": ("call", 17, 2),
    }


def test_bases_decorators_and_class_attribute_bindings() -> None:
    service = facts_of(CODE).symbols[2]
    assert service.bases == ("BaseService", "Generic")
    assert {r.chain: r.kind for r in service.refs}["BaseService"] == "base"
    assert service.attributes == (
        AttrBinding("repo", "OrdersRepository", 30, True),
        AttrBinding("billing", "BillingClient", 34, True),
    )
    chains = {r.chain for r in service.refs}
    assert "self.billing.fee" in chains
    assert "session" not in chains and "order" not in chains
    assert "len" not in chains


def test_module_level_bindings_exports_and_refs() -> None:
    facts = facts_of(CODE)
    assert facts.bindings == (
        AttrBinding("_repo", "OrdersRepository", 5, True),
        AttrBinding("router", "APIRouter", 6, True),
    )
    assert facts.exports == ("place_order", "OrderService")
    assert {r.chain for r in facts.module_refs} >= {"OrdersRepository", "APIRouter", "FEATURE"}


def test_pragmas_with_rules_and_reasons() -> None:
    code = (
        "import a  # seams: ignore[new_dependency, cycle] migrating in Q3\n"
        "import b  # seams: ignore\n"
    )
    facts = facts_of(code)
    assert [(p.line, p.rules, p.reason) for p in facts.pragmas] == [
        (1, ("new_dependency", "cycle"), "migrating in Q3"),
        (2, (), ""),
    ]


def test_python_312_syntax_parses_on_311() -> None:
    code = (
        "type Point[T] = tuple[T, T]\n"
        "def first[T](xs: list[T]) -> T:\n"
        "    return xs[0]\n"
        'x = f"{d["k"]}"\n'
    )
    facts = facts_of(code)
    assert [s.name for s in facts.symbols] == ["first"]
