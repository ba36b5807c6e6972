"""naming: a meaningful, unique, stable name for each proposed service.

Names come from what the members of a service are called: their packages and modules (``orders``
from ``shop.orders.services``), the tables they own, and at symbol granularity their class and
function names (``Invoice`` -> ``invoice``). Technical words (``models``, ``views``, ``utils``...)
and verbs say nothing about a business capability and are ignored. A word scores by the code it
covers in the service times how much of that word's code the service holds, so a name is both
big and distinctive. Each service takes its best word not yet taken; failing that, two words.
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


def _module_words(module: str, strip_root: bool) -> list[str]:
    parts = module.split(".")
    if strip_root and len(parts) > 1:
        parts = parts[1:]
    return [w for part in parts for w in _words(part) if w not in GENERIC]


def name_services(
    clusters: Sequence[Iterable[str]],
    nodes: Mapping[str, GraphNode],
    tables: Sequence[Iterable[str]] | None = None,
    taken: Iterable[str] = (),
) -> list[str]:
    """One name per cluster, in the same order; ``taken`` names are not reused."""
    roots = {n.module.split(".")[0] for n in nodes.values() if n.module}
    strip_root = len(roots) == 1
    weight: list[dict[str, float]] = []
    surface: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for index, members in enumerate(clusters):
        scores: dict[str, float] = defaultdict(float)
        for node_id in sorted(members):
            node = nodes.get(node_id)
            if node is None or node.kind == "table":
                continue
            size = node.loc + 1
            for word in _module_words(node.module, strip_root):
                scores[_key(word)] += _MODULE_WEIGHT * size
                surface[_key(word)][word] += size
            if node.kind in ("class", "function"):
                for word in _words(node.id.split(":", 1)[1]):
                    if word not in GENERIC:
                        scores[_key(word)] += _SYMBOL_WEIGHT * size
                        surface[_key(word)][word] += size * 0.1
        for table in tables[index] if tables else ():
            for word in _words(table):
                if word not in GENERIC:
                    scores[_key(word)] += _TABLE_WEIGHT * 50
                    surface[_key(word)][word] += 1
        weight.append(scores)
    totals: dict[str, float] = defaultdict(float)
    for scores in weight:
        for key, value in scores.items():
            totals[key] += value
    ranked = [
        sorted(((v * v / totals[k], k) for k, v in scores.items()), key=lambda t: (-t[0], t[1]))
        for scores in weight
    ]
    used = set(taken)
    names: list[str | None] = [None] * len(ranked)
    order = sorted(range(len(ranked)), key=lambda i: (-sum(weight[i].values()), i))
    for i in order:
        words = [_display(k, surface) for _, k in ranked[i]]
        names[i] = _pick(words, used, fallback=f"service-{i + 1}")
        used.add(names[i])  # type: ignore[arg-type]
    return [n or f"service-{i + 1}" for i, n in enumerate(names)]


def _display(key: str, surface: Mapping[str, Mapping[str, float]]) -> str:
    forms = surface.get(key) or {key: 1.0}
    return max(sorted(forms), key=lambda f: forms[f])


def _pick(words: list[str], used: set[str], fallback: str) -> str:
    for word in words[:3]:
        if word not in used:
            return word
    for first in words[:3]:
        for second in words[1:6]:
            candidate = f"{first}-{second}"
            if first != second and candidate not in used:
                return candidate
    base = words[0] if words else fallback
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"
