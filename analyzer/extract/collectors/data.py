"""Data facts: ORM declarations, database access and raw SQL, per file.

Class bodies are written down by ``models.ClassBuilder``; inside functions local names are
followed (``values``) so that ``order = Order.objects.get(...); order.save()`` is one known use;
every call chain is read once, from its outermost call, by ``calls.CallReader``. Module-level
names bound to a ``Table(...)``, to SQL text or to a model by app label are kept too.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

import libcst as cst
from libcst import BatchableCSTVisitor

from analyzer.extract.collectors.calls import CallReader, class_like
from analyzer.extract.collectors.models import (
    ClassBuilder,
    base_keywords,
    callee_of,
    table_def,
)
from analyzer.extract.collectors.sql import literal_text, looks_like_sql
from analyzer.extract.collectors.values import (
    Env,
    Frame,
    annotation_value,
    model_label,
    value_of,
)
from analyzer.extract.scope import Scope, dotted
from analyzer.model.data import (
    ASSIGN,
    ITEM,
    AccessFact,
    BaseCall,
    DataFacts,
    MappingFact,
    ModelRefFact,
    SqlFact,
    SqlUse,
    TableDef,
)


def _params(node: cst.FunctionDef | cst.Lambda) -> list[cst.Param]:
    params = node.params
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.append(star)
    return found


class DataCollector(BatchableCSTVisitor):
    """Gives ``facts()``: the file's ``DataFacts`` (``None`` when it has none)."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope
        self.env = Env()
        self._classes: list[ClassBuilder] = []
        self._class: ClassBuilder | None = None
        self._meta: cst.ClassDef | None = None
        self.calls = CallReader(scope, self.env)
        self._tables: list[tuple[cst.CSTNode, TableDef]] = []
        self._returns: dict[str, str] = {}
        self._constants: dict[str, str] = {}
        self._labels: dict[str, str] = {}
        self._bases: list[tuple[cst.CSTNode, BaseCall]] = []
        self._table_names = frozenset({"Table"})
        self._mappings: list[tuple[cst.CSTNode, MappingFact]] = []

    # -- where we are ---------------------------------------------------------------------------
    def _in_class_body(self, depth: int = 1) -> bool:
        s = self.scope
        return self._class is not None and s.class_depth == depth and s.fn_depth == 0

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        """``from sqlalchemy import Table as DBTable``: ``DBTable(...)`` defines tables."""
        module = dotted(node.module) if node.module is not None else None
        if (
            not module
            or not module.startswith("sqlalchemy")
            or isinstance(node.names, cst.ImportStar)
        ):
            return
        for alias in node.names:
            if alias.evaluated_name == "Table" and alias.evaluated_alias:
                self._table_names = self._table_names | {alias.evaluated_alias}

    # -- classes --------------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.scope.top_node is node:
            self._class = ClassBuilder(node)
        elif self._in_class_body(2) and node.name.value == "Meta" and self._class is not None:
            self._meta = node
            self._class.meta(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        if self._meta is original_node:
            self._meta = None
        elif self._class is not None and self._class.node is original_node:
            self._classes.append(self._class)
            self._class = None

    # -- functions ------------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        s = self.scope
        name = node.name.value
        method = self._class is not None and s.class_depth == 1 and s.fn_depth == 1
        if method and self._class is not None:
            self._class.method(name)
        frame = Frame(name)
        for param in _params(node):
            pname = param.name.value
            if pname in ("self", "cls"):
                continue
            frame.names.add(pname)
            value = annotation_value(param.annotation.annotation) if param.annotation else None
            if value is not None:
                frame.values[pname] = value
        self.env.frames.append(frame)
        returned = annotation_value(node.returns.annotation) if node.returns else None
        if returned is not None and returned.chain:
            if s.top_node is node:
                self._returns[name] = returned.chain
            elif method and self._class is not None:
                self._returns[f"{self._class.name}.{name}"] = returned.chain

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.env.frames.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.env.frames.append(Frame("<lambda>", names={p.name.value for p in _params(node)}))

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.env.frames.pop()

    # -- assignments ----------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        if self.env.frames:
            for item in node.targets:
                self._assigned_attribute(item.target)
        target = node.targets[0].target if len(node.targets) == 1 else None
        if not isinstance(target, cst.Name):
            return
        name = target.value
        if self._meta is not None and self._in_class_body(2) and self._class is not None:
            self._class.meta_option(name, node.value)
        elif self._in_class_body() and self._class is not None:
            if self._class.attribute(name, node.value, node):
                self.scope.positions.mark(node)
        elif self.scope.at_module_level:
            self._module_binding(name, node.value, node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if not isinstance(node.target, cst.Name):
            return
        name = node.target.value
        if self._in_class_body() and self._class is not None:
            annotated = annotation_value(node.annotation.annotation)
            chain = annotated.chain if annotated is not None else ""
            if self._class.attribute(name, node.value, node, chain):
                self.scope.positions.mark(node)
        elif self.scope.at_module_level and node.value is not None:
            self._module_binding(name, node.value, node)

    def _module_binding(self, name: str, value: cst.BaseExpression, node: cst.CSTNode) -> None:
        text = literal_text(value)
        if isinstance(value, cst.Call):
            table = table_def(name, value, self._table_names)
            if table is not None:
                self.scope.positions.mark(node)
                self._tables.append((node, table))
                return
            self._base_call(name, value, node)
            callee = (dotted(value.func) or "").rsplit(".", 1)[-1]
            if callee == "text" and value.args:
                text = literal_text(value.args[0].value)
                if text is not None:
                    self.calls.consumed.add(id(value))
            elif model_label(value) is not None or class_like(dotted(value.func) or ""):
                label = model_label(value)
                if label is not None:
                    self._labels[name] = label
                bound = value_of(value, self.env)
                if bound is not None:
                    self.env.bind(name, bound)
        if text is None:
            return
        if name.isupper() and name.endswith("_MODEL"):
            self._constants[name] = text
        elif looks_like_sql(text):
            self.calls.sql_names.add(name)
            self.calls.record_sql(node, text, binding=name)

    def _base_call(self, name: str, call: cst.Call, node: cst.CSTNode) -> None:
        """``Base = declarative_base(cls=...)``, ``db = SQLAlchemy(model_class=...)``,
        ``Base = registry().generate_base()``: kept when keywords or a chained callee say more
        than the plain binding does."""
        callee = callee_of(call)
        if callee is None:
            return
        keywords = base_keywords(call)
        if keywords or "()." in callee:
            self.scope.positions.mark(node)
            self._bases.append((node, BaseCall(name, callee, 0, tuple(keywords))))

    def _mapping(self, node: cst.Call) -> None:
        """``mapper(User, users)``, ``registry.map_imperatively(User, users)``."""
        func = node.func
        if isinstance(func, cst.Attribute):
            name = func.attr.value
        elif isinstance(func, cst.Name):
            name = func.value
        else:
            return
        if name not in ("mapper", "map_imperatively") or len(node.args) < 2:
            return
        cls, table = (dotted(a.value) for a in node.args[:2])
        if cls and table and node.args[0].keyword is None and node.args[1].keyword is None:
            self.scope.positions.mark(node)
            self._mappings.append((node, MappingFact(cls, table, 0)))

    def leave_Assign(self, original_node: cst.Assign) -> None:
        if not self.env.frames:
            return
        for target in original_node.targets:
            self._bind(target.target, original_node.value)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        if not self.env.frames or not isinstance(original_node.target, cst.Name):
            return
        annotated = annotation_value(original_node.annotation.annotation)
        if annotated is not None:
            self.env.bind(original_node.target.value, annotated)
        elif original_node.value is not None:
            self._bind(original_node.target, original_node.value)
        else:
            self.env.bind(original_node.target.value, None)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        env = self.env
        if isinstance(target, cst.Name):
            text = literal_text(value)
            bound = None if text is not None else self.calls.value(value)
            env.bind(target.value, bound)
            if text is not None and looks_like_sql(text):
                env.frames[-1].strings[target.value] = text
        elif isinstance(target, (cst.Tuple, cst.List)):
            names = [e.value for e in target.elements]
            values: list[cst.BaseExpression | None] = [None] * len(names)
            if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == len(names):
                values = [e.value for e in value.elements]
            first = value_of(value, env) if values[0] is None else None
            for i, element in enumerate(names):
                if isinstance(element, cst.Name):
                    if values[i] is not None:
                        env.bind(element.value, value_of(values[i], env))  # type: ignore[arg-type]
                    else:
                        env.bind(element.value, first.then(ITEM) if first and i == 0 else None)

    def _assigned_attribute(self, target: cst.BaseExpression) -> None:
        """``book.categories = ...`` on a local bound to a value (association writes)."""
        if not isinstance(target, cst.Attribute):
            return
        root: cst.BaseExpression = target
        while isinstance(root, cst.Attribute):
            root = root.value
        if isinstance(root, cst.Name) and root.value in self.env.frames[-1].values:
            subject = value_of(target, self.env)
            if subject is not None:
                self.calls.add(target, op="use", subject=subject.then(ASSIGN))

    def visit_For(self, node: cst.For) -> None:
        self._bind_iteration(node.target, node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_iteration(node.target, node.iter)

    def _bind_iteration(self, target: cst.BaseExpression, source: cst.BaseExpression) -> None:
        if not self.env.frames:
            return
        if isinstance(target, cst.Name):
            value = self.calls.value(source)
            self.env.bind(target.value, value.then(ITEM) if value is not None else None)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                if isinstance(element.value, cst.Name):
                    self.env.bind(element.value.value, None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if self.env.frames and node.asname is not None and isinstance(node.asname.name, cst.Name):
            self.env.bind(node.asname.name.value, None)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if self.env.frames and node.name is not None and isinstance(node.name.name, cst.Name):
            self.env.bind(node.name.name.value, None)

    # -- calls ----------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self._mapping(node)
        self.calls.read(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.calls.attribute(node)

    # -- results --------------------------------------------------------------------------------
    def facts(self) -> DataFacts | None:
        line = self.scope.positions.line
        facts = DataFacts(
            classes=tuple(c.fact(line) for c in self._classes),
            tables=tuple(_at(t, line(n)) for n, t in self._tables),
            accesses=tuple(_at(a, line(n)) for n, a in self.calls.accesses),
            sql=tuple(_at(s, line(n)) for n, s in self.calls.sql),
            sql_uses=tuple(_at(u, line(n)) for n, u in self.calls.sql_uses),
            model_refs=tuple(_at(r, line(n)) for n, r in self.calls.model_refs),
            self_calls=tuple(self.calls.self_calls),
            returns=tuple(sorted(self._returns.items())),
            constants=tuple(sorted(self._constants.items())),
            labels=tuple(sorted(self._labels.items())),
            bases=tuple(replace(b, line=line(n)) for n, b in self._bases),
            mappings=tuple(replace(m, line=line(n)) for n, m in self._mappings),
        )
        return facts if facts else None


_Located = TypeVar("_Located", TableDef, AccessFact, SqlFact, SqlUse, ModelRefFact)


def _at(fact: _Located, line: int) -> _Located:
    return replace(fact, line=line)
