from __future__ import annotations

from analyzer.design.signals.couplings import string_couplings
from analyzer.design.symbols.resolve import SymbolTable
from tests.helpers import facts_of

FILES = {
    ("shop.apps.catalogue", True): "",
    ("shop.apps.catalogue.models", False): "class Product:\n    pass\nclass Category:\n    pass\n",
    ("shop.apps.basket.views", False): """\
from django.dispatch import receiver
from django.db.models.signals import post_save
from django.utils.module_loading import import_string
from shop.core.loading import get_class, get_classes
from shop.apps.catalogue.models import Product

Product_ = get_class("catalogue.models", "Product")

def add(request):
    Category, Missing = get_classes("catalogue.models", ["Category", "Missing"])
    backend = import_string("shop.apps.catalogue.models.Product")
    return backend

@receiver(post_save, sender=Product)
def on_product_saved(sender, instance, **kwargs):
    return instance
""",
    (
        "shop.urls",
        False,
    ): (
        "from django.urls import include, path\n"
        'urlpatterns = [path("b/", include("shop.apps.basket.views"))]\n'
    ),
}


def test_string_and_framework_references_become_soft_couplings() -> None:
    files = [facts_of(code, module, pkg) for (module, pkg), code in FILES.items()]
    couplings = string_couplings(files, SymbolTable(files))
    assert sorted((c.source, c.target, c.detail, c.line, c.soft) for c in couplings) == [
        (
            "shop.apps.basket.views",
            "shop.apps.catalogue.models:Product",
            "get_class catalogue.models:Product",
            7,
            True,
        ),
        (
            "shop.apps.basket.views:add",
            "shop.apps.catalogue.models",
            "get_class catalogue.models:Missing",
            10,
            True,
        ),
        (
            "shop.apps.basket.views:add",
            "shop.apps.catalogue.models:Category",
            "get_class catalogue.models:Category",
            10,
            True,
        ),
        (
            "shop.apps.basket.views:add",
            "shop.apps.catalogue.models:Product",
            "import_string shop.apps.catalogue.models.Product",
            11,
            True,
        ),
        (
            "shop.apps.basket.views:on_product_saved",
            "shop.apps.catalogue.models:Product",
            "receiver Product",
            14,
            True,
        ),
        ("shop.urls", "shop.apps.basket.views", "include shop.apps.basket.views", 2, True),
    ]
