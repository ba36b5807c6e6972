"""naming: a meaningful, unique, stable name for each proposed service.

A service is named after the package holding most of its code: the first package below the
project's root package holding a majority of its lines (``threads`` for a service that is
mostly ``misago.threads``), whatever the word (``core`` or ``admin`` is kept when it is the
majority); a clash with a larger service is settled by going down that package
(``threads-api``). A minor member never names a service. When no package holds a majority
(layered code, where a capability's code spreads over ``models``, ``services`` and ``api``),
the name is the word its code is called by: the words of its packages, modules, classes and
functions (``Invoice`` -> ``invoice``), technical words (``models``, ``views``, ``utils``...) and
verbs aside, among the words covering at least ``WORD_COVER`` of its lines, scored by the code
they cover in the service times how much of that word's code the service holds. Failing both,
the package holding the most of it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from analyzer.design.signals.graph import GraphNode

GENERIC = frozenset(
    """
    models model views view api apis services service utils util utilities helpers helper common
    base tasks task admin urls url serializers serializer forms form signals signal handlers
    handler schema schemas types type mixins mixin managers manager tests test init app apps
    settings config configs conf constants const exceptions exception errors error filters
    filter tables table templatetags tags management commands command graphql mutations mutation
    queries query resolvers resolver dataloaders loaders migrations repositories repository repo
    routes route routers router endpoints endpoint controllers controller lib libs internal impl
    interfaces interface abstract widgets widget fields field validators validator choices enums
    enum receivers middleware decorators decorator permissions permission storage templates
    template static wsgi asgi main backends backend plugins plugin registry core misc other
    shared generic generics default defaults cache caching log logs logging db database sql orm
    workers worker jobs job schedule scheduler events event dispatch context processors
    processor client clients server api_views webhooks webhook hooks hook tasks_utils compat
    version versions deprecated legacy new old object objects item items data info detail
    details list lists create update delete get set send run build make load save add remove
    process handle check validate parse render sync fetch compute calculate apply prepare clean
    init setup get_or_create register is has can to from for with the and self cls none true
    false value values result results response request
    """.split()
)
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_MODULE_WEIGHT = 1.0
_SYMBOL_WEIGHT = 0.5
_TABLE_WEIGHT = 2.0


def _words(name: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(name) if len(w) >= 3 and not w.isdigit()]


def _key(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _strip(module: str, root: str | None) -> int:
    """How many leading parts of ``module`` are the project's root package path: the deepest
    part of it the module sits in (``shop.core.loading`` beside ``shop.apps``: ``shop``)."""
    parts = root.split(".") if root else []
    while parts:
        if module.startswith(".".join(parts) + "."):
            return len(parts)
        parts.pop()
    return 0


def _module_words(module: str, root: str | None) -> list[str]:
    parts = module.split(".")[_strip(module, root) :]
    return [w for part in parts for w in _words(part) if w not in GENERIC]


# A word names a service of layered code only if code holding it makes up this share of the
# service's lines: a minor member's word never does.
WORD_COVER = 0.25


def _packages(module: str, root: str | None) -> list[str]:
    """The packages (and the module) a module sits in, outermost first, the project's root
    package left out: ``a.b.c`` -> ``b``, ``b.c`` when ``a`` is the root."""
    parts = module.split(".")
    start = _strip(module, root)
    return [".".join(parts[start:depth]) for depth in range(start + 1, len(parts) + 1)]


def name_services(
    clusters: Sequence[Iterable[str]],
    nodes: Mapping[str, GraphNode],
    tables: Sequence[Iterable[str]] | None = None,
    taken: Iterable[str] = (),
) -> list[str]:
    """One name per cluster, in the same order; ``taken`` names are not reused. Larger
    services choose first."""
    members = [
        [nodes[n] for n in sorted(c) if n in nodes and nodes[n].kind != "table"] for c in clusters
    ]
    root = _root(nodes.values(), members)
    words = _word_scores(members, root, tables)
    used = set(taken)
    names: list[str] = [""] * len(members)
    sizes = [sum(n.loc + 1 for n in group) for group in members]
    for i in sorted(range(len(members)), key=lambda i: (-sizes[i], i)):
        options = _options(members[i], root, words[i], sizes[i])
        names[i] = _pick(options, used, fallback=f"service-{i + 1}")
        used.add(names[i])
    return names


def _root(nodes: Iterable[GraphNode], members: Sequence[Sequence[GraphNode]]) -> str | None:
    """The project's root package path, left out of names: the top-level package holding most
    of the code (``shop`` beside a ``manage`` module), and below it, while one holds most of the
    code, its subpackage (``oscar.apps``), as long as most services hold most of their code in
    it: a prefix nearly every name would carry says nothing, one only a few services sit in (a
    ``graphql`` layer holding half the code) is what tells them apart. None when the code is
    spread over several top-level packages (netbox's apps, whose names are the services')."""
    sizes: dict[str, int] = defaultdict(int)
    for node in nodes:
        if node.module and node.kind != "table":
            sizes[node.module] += node.loc + 1
    total = sum(sizes.values())
    groups = [group for group in members if group]
    root: str | None = None
    for package in _majorities(sizes, total, below=True):  # while most services sit in it
        if 2 * sum(1 for group in groups if _mostly_in(group, package)) <= len(groups):
            break
        root = package
    return root


def _mostly_in(group: Sequence[GraphNode], package: str) -> bool:
    """Whether most of a service's lines are in ``package``."""
    inside = sum(n.loc + 1 for n in group if n.module.startswith(package + "."))
    return 2 * inside > sum(n.loc + 1 for n in group)


def _options(
    group: Sequence[GraphNode], root: str | None, words: Sequence[str], size: int
) -> list[str]:
    """Names for one service, best first."""
    lines: dict[str, int] = defaultdict(int)
    for node in group:
        for package in _packages(node.module, root):
            lines[package] += node.loc + 1
    if not lines:
        return list(words)
    majority: list[str] = []
    level = [p for p in lines if "." not in p]
    while level:
        top = max(sorted(level), key=lambda p: lines[p])
        if 2 * lines[top] <= size:
            break
        majority.append(top)
        level = [p for p in lines if p.startswith(f"{top}.") and "." not in p[len(top) + 1 :]]
    if majority:
        options = [_slug(p) for p in majority]
        if level:  # a clash goes one level down, to the largest part holding enough of it
            part = max(sorted(level), key=lambda p: lines[p])
            if lines[part] >= WORD_COVER * size:
                options.append(_slug(part))
        return options
    first = [p for p in lines if "." not in p]
    plurality = max(sorted(first), key=lambda p: lines[p])
    return [*words, *_enclosing(group, size), _slug(plurality)]


def _enclosing(group: Sequence[GraphNode], size: int) -> list[str]:
    """The innermost package holding most of a service's code, counting the project's root
    path (``oscar`` for a service of ``oscar.core``, ``oscar.forms``, ``oscar.views``...): a
    service whose code no package below the root holds most of is named after the one that
    does, before a mere plurality names it."""
    sizes: dict[str, int] = defaultdict(int)
    for node in group:
        sizes[node.module] += node.loc + 1
    innermost = list(_majorities(sizes, size))[-1:]
    return [_slug(package.rsplit(".", 1)[-1]) for package in innermost]


def _majorities(sizes: Mapping[str, int], total: int, below: bool = False) -> Iterable[str]:
    """Packages each holding more than half of ``total`` lines (``sizes`` per module), from the
    outermost down (``oscar``, then ``oscar.apps``), each inside the last; with ``below``, a
    package's own module (its ``__init__``) does not count toward it."""
    found: str | None = None
    while True:
        depth = 0 if found is None else found.count(".") + 1
        lines: dict[str, int] = defaultdict(int)
        for module, size in sizes.items():
            parts = module.split(".")
            if len(parts) > depth + below and (found is None or module.startswith(found + ".")):
                lines[".".join(parts[: depth + 1])] += size
        top = max(sorted(lines), key=lambda p: lines[p], default=None)
        if top is None or 2 * lines[top] <= total:
            return
        found = top
        yield found


def _slug(package: str) -> str:
    """``a.b_c`` -> ``a-b-c``; a private module's leading underscore is dropped (``_client``
    names a service ``client``)."""
    words = [p.strip("_").replace("_", "-").lower() for p in package.split(".") if p.strip("_")]
    return "-".join(words) or package.lower()


def _word_scores(
    members: Sequence[Sequence[GraphNode]],
    root: str | None,
    tables: Sequence[Iterable[str]] | None,
) -> list[list[str]]:
    """Per service, the words naming it, best first (only words covering ``WORD_COVER`` of
    its lines)."""
    weight: list[dict[str, float]] = []
    cover: list[dict[str, int]] = []
    surface: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for index, group in enumerate(members):
        scores: dict[str, float] = defaultdict(float)
        covered: dict[str, int] = defaultdict(int)
        for node in group:
            size = node.loc + 1
            seen: set[str] = set()
            for word in _module_words(node.module, root):
                scores[_key(word)] += _MODULE_WEIGHT * size
                surface[_key(word)][word] += size
                seen.add(_key(word))
            if node.kind in ("class", "function"):
                for word in _words(node.id.split(":", 1)[1]):
                    if word not in GENERIC:
                        scores[_key(word)] += _SYMBOL_WEIGHT * size
                        surface[_key(word)][word] += size * 0.1
                        seen.add(_key(word))
            for key in seen:
                covered[key] += size
        for table in tables[index] if tables else ():
            for word in _words(table):
                if word not in GENERIC:
                    scores[_key(word)] += _TABLE_WEIGHT * 50
                    surface[_key(word)][word] += 1
        weight.append(scores)
        cover.append(covered)
    totals: dict[str, float] = defaultdict(float)
    for scores in weight:
        for key, value in scores.items():
            totals[key] += value
    result = []
    for scores, covered, group in zip(weight, cover, members, strict=True):
        size = sum(n.loc + 1 for n in group) or 1
        ranked = sorted(
            ((v * v / totals[k], k) for k, v in scores.items() if covered[k] >= WORD_COVER * size),
            key=lambda t: (-t[0], t[1]),
        )
        result.append([_display(k, surface) for _, k in ranked])
    return result


def _display(key: str, surface: Mapping[str, Mapping[str, float]]) -> str:
    forms = surface.get(key) or {key: 1.0}
    return max(sorted(forms), key=lambda f: forms[f])


def _pick(options: list[str], used: set[str], fallback: str) -> str:
    for option in options:
        if option not in used:
            return option
    base = options[0] if options else fallback
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"
