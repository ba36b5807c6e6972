from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.extract.discover import DiscoverOptions, discover_files
from analyzer.model.errors import SeamsError


def tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def modules(root: Path, **options: object) -> list[str]:
    return [f.module for f in discover_files(root, DiscoverOptions(**options)).files]  # type: ignore[arg-type]


def test_flat_layout_with_several_packages_tests_and_migrations(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            "manage.py": "",
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/models.py": "",
            "shop/orders/tests/test_models.py": "",
            "shop/orders/migrations/0001_initial.py": "",
            "shop/orders/test_views.py": "",
            "shop/conftest.py": "",
            "billing/api.py": "",
            "tests/test_all.py": "",
        },
    )
    assert modules(tmp_path) == [
        "billing.api",
        "manage",
        "shop",
        "shop.orders",
        "shop.orders.models",
    ]
    assert "shop.orders.tests.test_models" in modules(tmp_path, include_tests=True)


def test_gitignore_at_every_level_and_user_excludes(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            ".gitignore": "generated/\n*_pb2.py\n",
            "app/__init__.py": "",
            "app/generated/big.py": "",
            "app/api_pb2.py": "",
            "app/legacy/.gitignore": "old_*.py\n!old_keep.py\n",
            "app/legacy/old_a.py": "",
            "app/legacy/old_keep.py": "",
            "app/scripts/run.py": "",
            "app/views.py": "",
        },
    )
    assert modules(tmp_path) == ["app", "app.legacy.old_keep", "app.scripts.run", "app.views"]
    assert modules(tmp_path, excludes=("app/scripts/",)) == [
        "app",
        "app.legacy.old_keep",
        "app.views",
    ]


def test_src_layout_and_namespace_packages(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            "src/acme/billing/__init__.py": "",
            "src/acme/billing/invoices.py": "",
            "src/acme/shipping/rates.py": "",
            "setup.py": "",
        },
    )
    discovery = discover_files(tmp_path)
    assert [f.module for f in discovery.files] == [
        "acme.billing",
        "acme.billing.invoices",
        "acme.shipping.rates",
        "setup",
    ]
    assert discovery.source_roots == (".", "src")


def test_path_that_is_itself_a_package_keeps_its_dotted_name(tmp_path: Path) -> None:
    tree(
        tmp_path, {"shop/__init__.py": "", "shop/orders/__init__.py": "", "shop/orders/api.py": ""}
    )
    assert modules(tmp_path / "shop" / "orders") == ["shop.orders", "shop.orders.api"]


def test_symlinks_are_not_followed_and_are_reported(tmp_path: Path) -> None:
    tree(tmp_path, {"app/__init__.py": "", "outside/secret.py": ""})
    (tmp_path / "app" / "link.py").symlink_to(tmp_path / "outside" / "secret.py")
    (tmp_path / "app" / "loop").symlink_to(tmp_path / "app")
    discovery = discover_files(tmp_path / "app")
    assert [f.module for f in discovery.files] == ["app"]
    assert [(s.path, s.reason) for s in discovery.skipped] == [
        ("link.py", "symbolic link to outside the analyzed tree, not followed"),
        ("loop", "symbolic link to an enclosing directory (a loop), not followed"),
    ]


def test_order_is_sorted_by_module_and_stable(tmp_path: Path) -> None:
    tree(tmp_path, {f"pkg/m{i}.py": "" for i in (3, 1, 2)} | {"pkg/__init__.py": ""})
    assert modules(tmp_path) == ["pkg", "pkg.m1", "pkg.m2", "pkg.m3"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing", "path does not exist"),
        (lambda p: tree(p, {"f.py": ""}) / "f.py", "not a directory"),
        (lambda p: tree(p, {"README.md": "hi"}), "no Python files to analyze"),
    ],
)
def test_bad_paths_raise_one_sentence(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SeamsError, match=message):
        discover_files(make(tmp_path))
