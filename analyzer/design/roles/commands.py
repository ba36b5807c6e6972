"""commands: Django management commands and scripts, and the two kinds that are no product code.

A management command (a module ``<app>.management.commands.<name>`` defining ``Command``) or a
script (a module in a ``scripts`` or ``bin`` directory: one-off data fixes, cron jobs) is
maintenance code: it stays in the analysis, but its writes do not decide who owns a table.
Two kinds of commands are set aside:

- **seeding** (fake-data): it uses a fake-data generator or a model factory, itself or through
  a module of the tree whose code mostly does (``populatedb`` calling ``random_data``);
- **clearing** (dev): every write it makes deletes rows, and it empties at least
  ``CLEARED_TABLES`` tables whole (``Order.objects.all().delete()``, no filter). A command
  deleting expired sessions, or old notifications, filters what it deletes: product
  maintenance.
"""

from __future__ import annotations

from collections.abc import Mapping

from analyzer.design.roles.evidence import Evidence
from analyzer.design.roles.usage import Usage
from analyzer.model.data import ASSIGN, BOUND, CALL, ITEM, AccessFact
from analyzer.model.facts import FileFacts

# Emptying a database means emptying many tables; a command emptying one or two (a cache, a
# log) is maintenance of the product.
CLEARED_TABLES = 3

_MARKERS = frozenset({CALL, ITEM, ASSIGN, BOUND})
_NARROWING = frozenset({"filter", "exclude", "get", "filter_by", "where", "first", "last"})
_MANAGERS = frozenset({"objects", "query", "all"})
_CHANGES = frozenset(
    {
        "save",
        "create",
        "bulk_create",
        "update",
        "bulk_update",
        "get_or_create",
        "update_or_create",
        "insert",
        "merge",
        "bulk_insert_mappings",
        "bulk_save_objects",
        "bulk_update_mappings",
    }
)


def is_command(f: FileFacts) -> bool:
    parts = f.module.split(".")
    return (
        len(parts) >= 3
        and parts[-3:-1] == ["management", "commands"]
        and any(s.name == "Command" and s.kind == "class" for s in f.symbols)
    )


_SCRIPT_DIRS = frozenset({"scripts", "bin"})


def is_script(f: FileFacts) -> bool:
    return not _SCRIPT_DIRS.isdisjoint(f.path.split("/")[:-1])


def _steps(fact: AccessFact) -> tuple[list[str], bool]:
    """The names along a database use (``Order.objects.filter().delete()`` -> ``Order``,
    ``objects``, ``filter``, ``delete``) and whether an element was taken on the way."""
    if fact.subject is None:
        return [], False
    path = fact.subject.path
    names = [*fact.subject.chain.split("."), *(s for s in path if s not in _MARKERS)]
    return [n for n in names if n], ITEM in path


def clear_evidence(f: FileFacts) -> Evidence | None:
    """A command that only empties whole tables (see the module docstring)."""
    if f.data is None:
        return None
    emptied: set[str] = set()
    for fact in f.data.accesses:
        names, element = _steps(fact)
        if not names or names[0] == "self":
            continue
        if names[-1] == "delete":
            if not element and _MANAGERS.intersection(names) and not _NARROWING & set(names):
                emptied.add(names[0])
        elif names[-1] in _CHANGES:
            return None
    if len(emptied) < CLEARED_TABLES:
        return None
    return Evidence("dev", f"a management command that only empties {len(emptied)} tables whole")


def seed_evidence(
    f: FileFacts, own: Evidence | None, evidence: Mapping[str, Evidence], usage: Usage
) -> Evidence | None:
    """A command filling the database with made-up rows (see the module docstring)."""
    if own is not None and own.generator:
        return Evidence("fake-data", f"a management command making up data: {own.reason}")
    for used in sorted(usage.uses_of(f.module)):
        found = evidence.get(used)
        if found is not None and found.generator:
            return Evidence("fake-data", f"a management command making up data with {used}")
    return None
