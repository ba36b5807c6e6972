from __future__ import annotations

import pytest

from analyzer.design.signals.couplings import import_couplings, reference_couplings
from analyzer.design.symbols.resolve import SymbolTable
from tests.helpers import facts_of

FILES = {
    ("shop.models", True): "from .orders import Order, OrderLine\nfrom .billing import *\n",
    ("shop.models.orders", False): "class Order:\n    pass\nclass OrderLine:\n    pass\n",
    (
        "shop.models.billing",
        False,
    ): '__all__ = ["Invoice"]\nclass Invoice:\n    pass\nclass _Hidden:\n    pass\n',
    (
        "shop.repos",
        False,
    ): "class OrdersRepository:\n    def get(self, pk): ...\nclass InvoiceRepository:\n    pass\n",
    ("shop.payments", True): "",
    ("shop.payments.services", False): "def charge(order):\n    return order\nRATE = 3\n",
    ("shop.checkout", False): """\
from shop.models import Order, Invoice
from shop.payments import services as payments
import shop.repos
from shop.repos import InvoiceRepository

_repo = shop.repos.OrdersRepository()
alias = payments.charge

def place(cart):
    order = Order()
    _repo.get(1)
    payments.charge(order)
    alias(order)
    return payments.RATE

class Checkout:
    def __init__(self, session):
        self.invoices = InvoiceRepository()

    def bill(self) -> Invoice:
        return self.invoices.find()
""",
}


@pytest.fixture(scope="module")
def files():  # type: ignore[no-untyped-def]
    return [facts_of(code, module, pkg) for (module, pkg), code in FILES.items()]


@pytest.fixture(scope="module")
def table(files):  # type: ignore[no-untyped-def]
    return SymbolTable(files)


@pytest.mark.parametrize(
    ("chain", "scope", "expected"),
    [
        ("Order", None, "shop.models.orders:Order"),  # through the re-export hub
        ("Invoice", None, "shop.models.billing:Invoice"),  # through a star import with __all__
        ("payments.charge", None, "shop.payments.services:charge"),
        ("payments.RATE", None, "shop.payments.services"),  # module-level state
        ("shop.repos.OrdersRepository.get", None, "shop.repos:OrdersRepository"),
        ("_repo.get", None, "shop.repos:OrdersRepository"),  # module-level instance
        ("alias", None, "shop.payments.services:charge"),  # module-level alias
        (
            "self.invoices.find",
            "Checkout",
            "shop.repos:InvoiceRepository",
        ),  # attribute set in __init__
        ("self.unknown", "Checkout", None),
        ("place", None, "shop.checkout:place"),
        ("json.dumps", None, None),
        ("len", None, None),
    ],
)
def test_resolution(
    table: SymbolTable, chain: str, scope: str | None, expected: str | None
) -> None:
    assert table.resolve("shop.checkout", chain, scope) == expected


def test_star_import_respects_all(table: SymbolTable) -> None:
    assert table.resolve_dotted("shop.models.Invoice") == "shop.models.billing:Invoice"
    assert table.resolve_dotted("shop.models._Hidden") == "shop.models"


def test_couplings_start_at_the_symbols_that_use_an_import(files, table) -> None:  # type: ignore[no-untyped-def]
    imports, external = import_couplings(files, table)
    mine = {(c.source, c.target) for c in imports if c.path == "shop/checkout.py"}
    assert ("shop.checkout:place", "shop.models.orders:Order") in mine
    assert ("shop.checkout:Checkout", "shop.models.billing:Invoice") in mine
    assert ("shop.checkout:place", "shop.payments.services:charge") in mine
    assert ("shop.checkout", "shop.repos:OrdersRepository") in mine
    assert external == 0
    calls = {(c.source, c.target, c.kind, c.soft) for c in reference_couplings(files, table)}
    assert (
        "shop.checkout:Checkout",
        "shop.models.billing:Invoice",
        "call",
        True,
    ) in calls  # annotation
    assert ("shop.checkout:place", "shop.repos:OrdersRepository", "call", False) in calls


def test_an_unused_dotted_import_depends_on_the_module_it_names() -> None:
    files = [
        facts_of("", "shop", True),
        facts_of("", "shop.inventory", True),
        facts_of("import shop.inventory\nimport shop.inventory as inv\n", "shop.core.registry"),
    ]
    imports, _ = import_couplings(files, SymbolTable(files))
    assert [(c.source, c.target, c.line) for c in imports] == [
        ("shop.core.registry", "shop.inventory", 1),
        ("shop.core.registry", "shop.inventory", 2),
    ]
