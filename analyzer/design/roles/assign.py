"""assign: the role of every module, from the evidence and from how modules use each other.

1. **Evidence** (``evidence``, ``commands``): libraries most of a module's code uses, names,
   commands that seed or clear the database.
2. **Growth.** A module used only by code of one role, within the same app (the first two
   parts of its name: ``misago.faker``), has that role: a fake-data command's helpers are
   fake-data code. An app or a project (a package with an app config or models, settings or
   URLs) most of whose modules have a role, and which nothing outside it but code of that role
   uses, has it whole: its ``__init__``, its app config, a command without evidence of its own.
   Other packages are not taken whole: two seeding commands make a ``commands`` package mostly
   fake-data code, not the third command beside them. Configuration (``settings``, ``config``,
   ``conf`` modules and packages) is not taken alone: frameworks load it by name
   (``DJANGO_SETTINGS_MODULE``, ``app.config.from_object("...")``), so that only a test
   configuration imports the default one says nothing.
3. **Product use wins.** A module product code uses is product code, whatever its evidence:
   ``anonymization`` imports faker, but webhook payloads call it, so it stays, and so does what
   it uses. Growth then starts again without what product code uses, until nothing changes.

Nothing is set aside when everything would be (a tree that is all test code is what the user
asked to analyze).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from analyzer.design.roles.commands import (
    clear_evidence,
    is_command,
    is_script,
    seed_evidence,
)
from analyzer.design.roles.evidence import (
    Evidence,
    library_evidence,
    name_evidence,
    project_packages,
)
from analyzer.design.roles.usage import Usage, module_usage
from analyzer.model.facts import FileFacts
from analyzer.model.roles import ROLES, Role, Roles, SetAside


def assign_roles(files: Sequence[FileFacts]) -> Roles:
    """The modules of ``files`` that are test, development, demo or fake-data code, and the
    peripheral modules, whose writes decide no table's owner: those, management commands,
    scripts, and modules with evidence of a role that product code uses."""
    files = sorted(files, key=lambda f: f.module)
    usage = module_usage(files)
    shaped = project_packages(files)
    commands = [f for f in files if is_command(f)]
    evidence = _evidence(files, commands, shaped, usage)
    components = _components(files, shaped)
    product: set[str] = set()
    while True:
        grown = _grow(files, evidence, components, usage, product)
        kept = _prune(grown, usage)
        used = set(grown) - set(kept)
        if not used:
            break
        product |= used
    if len(kept) == len(files):
        kept = {}
    set_aside = tuple(
        SetAside(f.path, f.module, kept[f.module].role, kept[f.module].reason)
        for f in sorted(files, key=lambda f: f.path)
        if f.module in kept
    )
    scripts = {f.module for f in files if is_script(f)}
    # Code set aside is peripheral too: analyzed after all (--include-tests), it still decides
    # no owner.
    peripheral = {f.module for f in commands} | scripts | evidence.keys() | kept.keys()
    return Roles(set_aside, frozenset(peripheral))


def _evidence(
    files: Sequence[FileFacts], commands: Sequence[FileFacts], shaped: set[str], usage: Usage
) -> dict[str, Evidence]:
    libraries = {f.module: e for f in files if (e := library_evidence(f)) is not None}
    # What a module's code does says more than its name.
    found = {**name_evidence(files, shaped), **libraries}
    for f in commands:
        command = seed_evidence(f, libraries.get(f.module), libraries, usage) or clear_evidence(f)
        # What a command does says more than the test library it uses or a test-named package.
        if command is not None and (f.module not in found or found[f.module].role == "test"):
            found[f.module] = command
    return found


def _app(module: str) -> str:
    return ".".join(module.split(".")[:2])


def prevailing(roles: Iterable[Role]) -> Role:
    """The role most of ``roles`` have (ties in ``ROLES`` order)."""
    counts = Counter(roles)
    return max(counts, key=lambda r: (counts[r], -ROLES.index(r)))


def _components(files: Sequence[FileFacts], shaped: set[str]) -> list[tuple[str, list[str]]]:
    """Each app or project package below the top level with the modules under it (itself
    included), deepest first. A top-level package is the product, or a project that its name
    already says is not."""
    apps = {f.module.rpartition(".")[0] for f in files if f.module.endswith((".apps", ".models"))}
    packages = {p for p in shaped | apps if "." in p}
    members: dict[str, list[str]] = defaultdict(list)
    for f in files:
        parts = f.module.split(".")
        for end in range(2, len(parts) + 1):
            prefix = ".".join(parts[:end])
            if prefix in packages:
                members[prefix].append(f.module)
    return sorted(members.items(), key=lambda kv: (-kv[0].count("."), kv[0]))


# Module or package names that hold configuration.
_CONFIGURATION = frozenset({"settings", "config", "configs", "conf", "configuration"})


def _configuration(module: str) -> bool:
    return any(p in _CONFIGURATION or p.startswith("settings") for p in module.split("."))


def _grow(
    files: Sequence[FileFacts],
    start: Mapping[str, Evidence],
    components: Sequence[tuple[str, list[str]]],
    usage: Usage,
    product: set[str],
) -> dict[str, Evidence]:
    """``start`` (less what is known to be product code) and what grows from it (see the
    module docstring)."""
    found = {m: e for m, e in start.items() if m not in product}
    glue = {f.module for f in files if f.is_package or f.module.rpartition(".")[2] == "apps"}
    changed = True
    while changed:
        changed = False
        for f in files:
            users = usage.users_of(f.module)
            if f.module in found or f.module in product or not users:
                continue
            if _configuration(f.module):
                continue
            if users <= found.keys() and any(_app(u) == _app(f.module) for u in users):
                role = prevailing(found[u].role for u in users)
                user = min(u for u in users if found[u].role == role)
                found[f.module] = Evidence(role, f"only {role} code uses it ({user})")
                changed = True
        for package, members in components:
            inside = set(members)
            outside = {u for m in members for u in usage.users_of(m)} - inside
            counted = [m for m in members if m not in glue]
            roles = [found[m].role for m in counted if m in found]
            if not counted or 2 * len(roles) <= len(counted) or not outside <= found.keys():
                continue
            role = prevailing(roles)
            for module in members:
                if module not in found and module not in product:
                    found[module] = Evidence(role, f"part of {package}, mostly {role} code")
                    changed = True
    return found


def _prune(found: Mapping[str, Evidence], usage: Usage) -> dict[str, Evidence]:
    """``found`` without what product code uses, directly or through what it uses."""
    kept = dict(found)
    queue = sorted(kept)
    while queue:
        module = queue.pop()
        if module in kept and not usage.users_of(module) <= kept.keys():
            del kept[module]
            queue.extend(m for m in usage.uses_of(module) if m in kept)
    return kept
