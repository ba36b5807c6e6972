"""Entry points: the declarations that make code reachable from outside the code base.

- Django URL confs: ``path("x/", views.checkout)``, ``re_path``, ``url``; the view is a function,
  ``SomeView.as_view()``, or either wrapped (``csrf_exempt(views.hook)``); ``include(...)``
  is wiring, not an entry point;
- DRF routers: ``router.register("orders", OrderViewSet)``, ``router.APIRootView = RootView``;
- decorators registering a view (``@register_model_view(Device, "edit")``, or applied by a call:
  ``register_model_view(Port, "trace")(PathTraceView)``);
- Flask and FastAPI: ``@app.route("/x")``, ``@bp.get("/x")``, ``@router.post("/x")``,
  ``app.add_url_rule("/x", view_func=handler)``, and any call passing a view by Flask's
  ``view_func`` keyword (a project's wrapper: ``register_view(bp, routes=["/x"],
  view_func=Settings.as_view("settings"))``); Flask-RESTful and flask-restx resources:
  ``api.add_resource(Orders, "/orders")``;
- task queues: ``@shared_task``, ``@app.task``, RQ's ``@job``, Dramatiq's ``@actor``, Huey's
  ``@db_task``...;
- signal receivers: ``@receiver(order_placed)``, ``order_placed.connect(handler)``;
- GraphQL: the root types a schema is built from (``graphene.Schema(query=Query,
  mutation=Mutation)``, ``build_schema(Query, mutation=Mutation)``, ``strawberry.Schema``)
  and strawberry's ``@strawberry.field``/``@strawberry.mutation`` methods.

Management commands need no declaration (``<app>/management/commands/<name>.py`` defining
``Command``): the design stage finds them by module name, as Django does.
"""

from __future__ import annotations

import libcst as cst
from libcst import BatchableCSTVisitor

from analyzer.extract.collectors.imports import string_value
from analyzer.extract.scope import Scope, dotted, last_name
from analyzer.model.flow import EntryFact

_URLS = frozenset({"path", "re_path", "url"})
_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
_ROUTES = frozenset({"route", "api_route", "websocket"})
_TASKS = frozenset(
    {"task", "shared_task", "periodic_task", "job", "actor", "db_task", "db_periodic_task"}
)
_GRAPHQL = frozenset({"field", "mutation", "subscription"})
_SCHEMAS = frozenset({"Schema", "build_schema"})
_ROLES = ("query", "mutation", "subscription")
# The last names of the calls that may declare an entry point.
_DECLARING = _URLS | _SCHEMAS | {"register", "add_url_rule", "add_resource", "connect"}


def _callee(node: cst.BaseExpression) -> str:
    return dotted(node.func if isinstance(node, cst.Call) else node) or ""


def _positional(call: cst.Call) -> list[cst.BaseExpression]:
    return [a.value for a in call.args if a.keyword is None and not a.star]


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    return next((a.value for a in call.args if a.keyword and a.keyword.value == name), None)


def _first_string(call: cst.Call) -> str | None:
    """The first string among a call's arguments, looking into lists and tuples."""
    for arg in call.args:
        values = (
            [e.value for e in arg.value.elements]
            if isinstance(arg.value, (cst.List, cst.Tuple))
            else [arg.value]
        )
        for value in values:
            text = string_value(value)
            if text is not None:
                return text
    return None


def view_target(node: cst.BaseExpression, depth: int = 0) -> str:
    """The handler a URL conf names: ``views.checkout``, ``OrderView`` (from
    ``OrderView.as_view()``), through wrappers (``csrf_exempt(views.hook)``,
    ``cache_page(60)(views.home)``); ``""`` for ``include(...)`` and anything else."""
    if depth > 4:
        return ""
    if isinstance(node, (cst.Name, cst.Attribute)):
        return dotted(node) or ""
    if not isinstance(node, cst.Call):
        return ""
    callee = dotted(node.func)
    if callee is not None and callee.endswith(".as_view"):
        return callee.removesuffix(".as_view")
    if callee is not None and callee.rsplit(".", 1)[-1] == "include":
        return ""
    args = _positional(node)
    if args:
        return view_target(args[0], depth + 1)
    if isinstance(node.func, cst.Call):  # cache_page(60)(view)
        return view_target(node.func, depth + 1)
    return ""


def _route_path(call: cst.Call) -> str | None:
    """The path of a route decorator's call, when it looks like one."""
    args = _positional(call)
    return string_value(args[0]) if args else string_value(_keyword(call, "path"))


class EntryCollector(BatchableCSTVisitor):
    """Gives ``facts()``: the entry-point declarations of the file, in source order."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope
        self._found: list[tuple[cst.CSTNode, EntryFact]] = []

    def _add(self, node: cst.CSTNode, via: str, target: str = "", **fields: str) -> None:
        scope = self.scope
        self.scope.positions.mark(node)
        fact = EntryFact(via, target, 0, scope.top or "", scope.method, **fields)
        self._found.append((node, fact))

    # -- declarations made by calls -------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Call):
            self._applied_decorator(node)
            return
        last = last_name(node.func)
        if last not in _DECLARING:  # most calls: their dotted name is not even built
            if node.args and _keyword(node, "view_func") is not None:
                self._view_func(node)
            return
        callee = dotted(node.func)
        if callee is None:
            return
        if last in _URLS:
            self._url(node, last)
        elif last == "register" and "." in callee:
            self._router(node)
        elif last == "add_url_rule":
            self._view_func(node)
        elif last == "add_resource" and "." in callee:
            self._resource(node)
        elif last == "connect" and "." in callee:
            self._connect(node, callee)
        elif last in _SCHEMAS:
            self._schema(node)

    def _applied_decorator(self, node: cst.Call) -> None:
        """``register_model_view(Device, "trace")(PathTraceView)``, ``app.task(bind=True)(run)``:
        a registering decorator applied by a call (a task made so is charged to the code making
        it: its function is usually defined right there)."""
        assert isinstance(node.func, cst.Call)
        callee = dotted(node.func.func) or ""
        if callee.rsplit(".", 1)[-1] in _TASKS and "." in callee:
            name = string_value(_keyword(node.func, "name"))
            self._add(node, "task", name=name or "")
            return
        last = callee.rsplit(".", 1)[-1].lower()
        args = _positional(node)
        if "register" in last and "view" in last and args:
            # The view, or its dotted path as a string ("netbox.views.generic.JournalView").
            target = dotted(args[0]) or string_value(args[0]) or ""
            if target and all(part.isidentifier() for part in target.split(".")):
                self._add(node, "register_view", target, name=last)

    def visit_Assign(self, node: cst.Assign) -> None:
        """``router.APIRootView = DCIMRootView``: a DRF router's root view."""
        target = node.targets[0].target if len(node.targets) == 1 else None
        if isinstance(target, cst.Attribute) and target.attr.value == "APIRootView":
            view = dotted(node.value)
            if view:
                self._add(node, "register", view, name=target.attr.value)

    def _view_func(self, node: cst.Call) -> None:
        """``app.add_url_rule("/x", "x", handler)``, or a view passed by Flask's ``view_func``
        keyword; the rule is the first string, or the first in a list (``routes=["/x"]``)."""
        view = _keyword(node, "view_func")
        args = _positional(node)
        if view is None and _callee(node).endswith("add_url_rule"):
            view = args[2] if len(args) > 2 else None
        target = view_target(view) if view is not None else ""
        if target:
            self._add(node, "route", target, name=_first_string(node) or "")

    def _resource(self, node: cst.Call) -> None:
        """``api.add_resource(Orders, "/orders", "/orders/<id>")``: the resource class."""
        args = _positional(node)
        if args and isinstance(args[0], (cst.Name, cst.Attribute)):
            self._add(node, "route", dotted(args[0]) or "", name=_first_string(node) or "")

    def _url(self, node: cst.Call, via: str) -> None:
        args = _positional(node)
        if len(args) < 2:
            return
        route = string_value(args[0])
        if route is None:
            return
        target = view_target(args[1])
        if target:
            self._add(node, via, target, name=route)

    def _router(self, node: cst.Call) -> None:
        args = _positional(node)
        if len(args) < 2 or string_value(args[0]) is None:
            return
        if isinstance(args[1], (cst.Name, cst.Attribute)):
            self._add(node, "register", dotted(args[1]) or "", name=string_value(args[0]) or "")

    def _connect(self, node: cst.Call, callee: str) -> None:
        args = _positional(node)
        handler = args[0] if args else _keyword(node, "receiver")
        if not isinstance(handler, (cst.Name, cst.Attribute)):
            return
        sender = _keyword(node, "sender")
        self._add(
            node,
            "receiver",
            dotted(handler) or "",
            name=callee.removesuffix(".connect"),
            sender=(dotted(sender) or "") if sender is not None else "",
        )

    def _schema(self, node: cst.Call) -> None:
        args = _positional(node)
        for index, role in enumerate(_ROLES):
            value = _keyword(node, role)
            if value is None and index == 0 and args:
                value = args[0]
            if isinstance(value, (cst.Name, cst.Attribute)):
                self._add(node, "schema", dotted(value) or "", name=role)

    # -- declarations made by decorators --------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            self._decorator(decorator)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for decorator in node.decorators:
            self._decorator(decorator)

    def _decorator(self, decorator: cst.Decorator) -> None:
        expr = decorator.decorator
        callee = _callee(expr)
        if not callee:
            return
        parts = callee.split(".")
        last = parts[-1]
        call = expr if isinstance(expr, cst.Call) else None
        if last in _TASKS and (len(parts) == 1 or last != "job" or call is not None):
            name = string_value(_keyword(call, "name")) if call is not None else None
            self._add(decorator, "task", name=name or "")
        elif last == "receiver" and call is not None:
            args = _positional(call)
            sender = _keyword(call, "sender")
            self._add(
                decorator,
                "receiver",
                name=_signals(args[0]) if args else "",
                sender=(dotted(sender) or "") if sender is not None else "",
            )
        elif call is not None and "." in callee and (last in _ROUTES or last in _VERBS):
            route = _route_path(call)
            if route is not None and (last in _ROUTES or route[:1] in ("", "/")):
                self._add(decorator, "route", name=route)
        elif "register" in last.lower() and "view" in last.lower():
            self._add(decorator, "register_view", name=last)
        elif last in _GRAPHQL and "strawberry" in parts[0] and self.scope.method:
            self._add(decorator, "graphql", name=last)

    def facts(self) -> tuple[EntryFact, ...]:
        line = self.scope.positions.line
        out = []
        for node, fact in self._found:
            out.append(
                EntryFact(
                    fact.via,
                    fact.target,
                    line(node),
                    fact.scope,
                    fact.method,
                    fact.name,
                    fact.sender,
                )
            )
        return tuple(out)


def _signals(node: cst.BaseExpression) -> str:
    """``post_save`` or, for a list of signals, ``post_save,post_delete``."""
    if isinstance(node, (cst.List, cst.Tuple)):
        return ",".join(filter(None, (dotted(e.value) for e in node.elements)))
    return dotted(node) or ""
