"""Flow facts of one source file: where requests come in, what calls what, and transactions.

As with the data facts, extraction sees one file at a time and writes names down as the code
says them; ``analyzer.design.cost`` resolves them across files.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EntryFact:
    """A declaration that makes code reachable from outside the code base.

    ``via`` says how: ``path``/``re_path``/``url`` (a Django URL conf entry), ``register`` (a
    DRF router), ``register_view`` (a decorator registering a view), ``route`` (Flask,
    FastAPI: ``@app.route``, ``@router.get``, ``add_url_rule``), ``task`` (Celery, RQ,
    Dramatiq, Huey), ``receiver`` (``@receiver(signal)``, ``signal.connect(handler)``),
    ``graphql`` (a ``strawberry`` field or mutation method), or ``schema`` (a GraphQL schema
    built from root types: ``target`` is the root class, ``name`` its role: ``query``,
    ``mutation`` or ``subscription``). ``target`` is the handler as written
    (``views.checkout``, ``OrderView``; ``""`` when the declaration decorates the enclosing
    ``scope``/``method`` itself); ``name`` the route, URL name, signal or task name when
    written literally; ``sender`` the ``sender=`` of a receiver.
    """

    via: str
    target: str
    line: int
    scope: str = ""
    method: str = ""
    name: str = ""
    sender: str = ""

    def __str__(self) -> str:
        what = self.target or (f"{self.scope}.{self.method}" if self.method else self.scope)
        return f"{self.via} {what} {self.name} (l. {self.line})".replace("  ", " ")


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call made inside a method of a top-level class, inside a loop, or inside a
    transaction: the dotted callee ``chain`` as written, at its first ``line`` in that place.

    ``scope`` is the top-level symbol, ``method`` the method of class ``scope`` it sits in
    (``""`` in a function); ``loop`` is true inside ``for``/``while`` bodies and
    comprehensions of the same function; ``transaction`` indexes the file's innermost
    ``TransactionFact`` around the call (``-1``: none). Calls made directly in a top-level
    function outside loops and transactions are its references already (``SymbolFact.refs``).
    """

    chain: str
    line: int
    scope: str
    method: str = ""
    loop: bool = False
    transaction: int = -1

    def __str__(self) -> str:
        flags = " [loop]" if self.loop else ""
        flags += f" [transaction {self.transaction}]" if self.transaction >= 0 else ""
        return f"{self.chain}() in {self.scope}.{self.method} (l. {self.line}){flags}"


@dataclass(frozen=True, slots=True)
class TransactionFact:
    """A database transaction in ``scope`` (and ``method``), from ``line`` to ``end_line``.

    ``kind``: ``atomic`` (``with transaction.atomic():``, ``with db.atomic():``),
    ``atomic_decorator`` (``@transaction.atomic``: the whole function), ``session``
    (``with session.begin():``) or ``commit`` (a function that commits a database session: its
    writes until then are one transaction). ``whole`` marks the kinds that span the whole
    function or method.
    """

    kind: str
    line: int
    end_line: int
    scope: str
    method: str = ""
    whole: bool = False

    def __str__(self) -> str:
        where = f"{self.scope}.{self.method}" if self.method else self.scope
        return f"{self.kind} in {where} (l. {self.line}-{self.end_line})"


@dataclass(frozen=True, slots=True)
class FlowFacts:
    """The flow facts of one file; ``settings`` are module-level settings that change how
    requests run (``("ATOMIC_REQUESTS", "True")``)."""

    entries: tuple[EntryFact, ...] = ()
    calls: tuple[CallSite, ...] = ()
    transactions: tuple[TransactionFact, ...] = ()
    settings: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entries or self.calls or self.transactions or self.settings)
