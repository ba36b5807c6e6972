"""Imports: every imported name with its line, relative imports made absolute.

Besides ``import``/``from ... import`` statements this collects literal dynamic imports,
``importlib.import_module("a.b")`` and ``__import__("a.b")``, flagged ``dynamic``.
"""

from __future__ import annotations

import libcst as cst
from libcst import BatchableCSTVisitor

from analyzer.extract.scope import Scope, dotted
from analyzer.model.facts import ImportFact

_DYNAMIC_IMPORTERS = frozenset({"importlib.import_module", "import_module", "__import__"})


def resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str | None:
    """The absolute module a relative import names, or ``None`` when it climbs above the top."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    if level - 1 >= len(package):
        return None
    base = package[: len(package) - (level - 1)]
    if name:
        base = [*base, name]
    return ".".join(base)


def string_value(node: cst.BaseExpression | None) -> str | None:
    """The value of a plain string literal (no f-string, no concatenation), else ``None``."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


class ImportCollector(BatchableCSTVisitor):
    """Gives ``facts()`` (in source order) and ``problems()`` (one line each)."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope
        self._found: list[tuple[cst.CSTNode, str, str | None, str | None, bool]] = []
        self._flags: list[tuple[bool, bool, bool]] = []
        self._problems: list[tuple[cst.CSTNode, str]] = []

    def _add(
        self,
        node: cst.CSTNode,
        module: str,
        name: str | None,
        alias: str | None,
        dynamic: bool = False,
    ) -> None:
        scope = self.scope
        local = scope.fn_depth > 0 or scope.class_depth > 0
        self.scope.positions.mark(node)
        self._found.append((node, module, name, alias, dynamic))
        self._flags.append((scope.type_checking > 0, local, not local and scope.block_depth > 0))

    def visit_Import(self, node: cst.Import) -> None:
        for item in node.names:
            module = dotted(item.name)
            if module:
                self._add(node, module, None, _asname(item))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        name = dotted(node.module) if node.module is not None else None
        level = len(node.relative)
        module: str | None = name
        if level:
            module = resolve_relative(self.scope.module, self.scope.is_package, level, name)
            if module is None:
                self.scope.positions.mark(node)
                dots = "." * level
                self._problems.append(
                    (node, f"relative import beyond the top-level package ({dots}{name or ''})")
                )
                return
        if not module:
            return
        if isinstance(node.names, cst.ImportStar):
            self._add(node, module, "*", None)
            return
        for item in node.names:
            imported = dotted(item.name)
            if imported:
                self._add(node, module, imported, _asname(item))

    def visit_Call(self, node: cst.Call) -> None:
        if not node.args or dotted(node.func) not in _DYNAMIC_IMPORTERS:
            return
        target = string_value(node.args[0].value)
        if not target:
            return
        if target.startswith("."):
            level = len(target) - len(target.lstrip("."))
            resolved = resolve_relative(
                self.scope.module, self.scope.is_package, level, target[level:]
            )
            if resolved is None:
                return
            target = resolved
        self._add(node, target, None, None, dynamic=True)

    def problems(self) -> tuple[str, ...]:
        line = self.scope.positions.line
        return tuple(f"line {line(node)}: {text}" for node, text in self._problems)

    def facts(self) -> tuple[ImportFact, ...]:
        line = self.scope.positions.line
        return tuple(
            ImportFact(
                module=module,
                name=name,
                alias=alias,
                line=line(node),
                type_checking=tc,
                local=local,
                conditional=conditional,
                dynamic=dynamic,
            )
            for (node, module, name, alias, dynamic), (tc, local, conditional) in zip(
                self._found, self._flags, strict=True
            )
        )


def _asname(item: cst.ImportAlias) -> str | None:
    if item.asname is not None and isinstance(item.asname.name, cst.Name):
        return item.asname.name.value
    return None
