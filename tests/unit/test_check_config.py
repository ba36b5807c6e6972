"""Validation of the boundary keys of the configuration: every problem at once, with key paths."""

from __future__ import annotations

import json
import tomllib
from importlib import resources

import jsonschema
import pytest

from analyzer.config import KNOWN_KEYS, parse_config
from analyzer.model.errors import ConfigError
from analyzer.model.violations import RULES

GOOD = """
exclude = ["**/legacy/**"]
[[service]]
name = "orders"
modules = ["shop.orders", "shop.models:Order*"]
depends_on = ["catalog"]
tables = ["orders_*"]
[[service]]
name = "catalog"
modules = ["shop.catalog"]
[shared]
modules = ["shop.core"]
[check]
baseline = "ci/baseline.json"
rules = { cycle = "warn", foreign_key = "off" }
tolerance = { icp = 0.05 }
"""

BROKEN = """
colour = "blue"
[[service]]
name = "orders"
modules = ["shop..orders"]
depends_on = ["paymens", "orders"]
[[service]]
name = "orders"
tables = [3]
[[service]]
name = "shared"
modules = "shop.core"
[shared]
modules = ["shop.core"]
extra = 1
[check]
rules = { new_dependency = "fatal", no_such_rule = "warn" }
tolerance = { icp = 2 }
dependency_kinds = ["import", "data"]
"""

EXPECTED_PATHS = [
    "colour",
    "service[0].modules[0]",
    "service[0].depends_on[0]",
    "service[0].depends_on[1]",
    "service[1].name",
    "service[1].modules",
    "service[1].tables[0]",
    "service[2].name",
    "service[2].modules",
    "shared.extra",
    "check.rules.new_dependency",
    "check.rules.no_such_rule",
    "check.tolerance.icp",
    "check.dependency_kinds[1]",
]


def config_schema() -> dict[str, object]:
    text = resources.files("reports").joinpath("schema/config.schema.json").read_text("utf-8")
    return dict(json.loads(text))


def test_a_valid_configuration_gives_boundaries() -> None:
    config = parse_config(tomllib.loads(GOOD), "seams.toml")
    boundaries = config.boundaries
    assert boundaries is not None
    assert boundaries.names == ("orders", "catalog")
    orders = boundaries.service("orders")
    assert orders is not None and orders.depends_on == ("catalog",)
    assert boundaries.service("catalog").depends_on is None  # type: ignore[union-attr]
    assert boundaries.shared == ("shop.core",)
    assert boundaries.baseline == "ci/baseline.json"
    assert boundaries.severity("cycle") == "warn"
    assert boundaries.severity("foreign_key") == "off"
    assert boundaries.severity("new_dependency") == RULES["new_dependency"].default
    assert dict(boundaries.tolerance)["icp"] == 0.05
    assert config.exclude == ("**/legacy/**",)


def test_every_error_is_reported_at_once_with_its_key_path() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(tomllib.loads(BROKEN), "seams.toml")
    problems = caught.value.problems
    for path in EXPECTED_PATHS:
        assert any(p.startswith(f"{path}: ") for p in problems), (path, problems)
    assert len(problems) == len(EXPECTED_PATHS), problems
    assert "unknown service 'paymens'" in " ".join(problems)


def test_pyproject_errors_carry_the_tool_seams_prefix() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"service": [{"name": "a"}]}, "pyproject.toml")
    assert caught.value.problems == [
        "tool.seams.service[0].modules: is required: the module patterns of this service"
    ]


def test_analysis_only_configuration_has_no_boundaries() -> None:
    assert parse_config({"seed": 3}, "seams.toml").boundaries is None


def test_the_published_schema_accepts_the_good_and_rejects_the_broken() -> None:
    schema = config_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(tomllib.loads(GOOD), schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(tomllib.loads(BROKEN)))
    assert len(errors) >= 5


def test_the_schema_knows_every_key_and_rule() -> None:
    schema = config_schema()
    properties = schema["properties"]
    assert isinstance(properties, dict)
    assert set(properties) == set(KNOWN_KEYS)
    assert set(properties["check"]["properties"]["rules"]["properties"]) == set(RULES)


@pytest.mark.parametrize(
    ("pattern", "valid"),
    [
        ("shop.orders", True),
        ("shop.*.views", True),
        ("shop.orders.services:place_*", True),
        ("django-oscar.oscar.apps.basket", True),  # a directory name with a dash
        ("menü.karte", True),  # module names may hold any letters
        ("shop orders", False),
        ("shop..orders", False),
        ("shop.orders:", False),
        ("shop/orders", False),
    ],
)
def test_module_patterns_accept_every_module_name_discovery_gives(
    pattern: str, valid: bool
) -> None:
    data = {"service": [{"name": "orders", "modules": [pattern]}]}
    schema_errors = list(jsonschema.Draft202012Validator(config_schema()).iter_errors(data))
    if valid:
        assert parse_config(data, "seams.toml").boundaries is not None
        assert not schema_errors
    else:
        with pytest.raises(ConfigError, match="is not a module pattern"):
            parse_config(data, "seams.toml")
        assert schema_errors
