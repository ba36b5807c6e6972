"""Turn a module -> service assignment into few package patterns, and back.

A pattern without wildcards holds a module and everything below it unless a longer pattern
says otherwise, so an assignment compresses to one pattern per package whose service differs
from that of its enclosing package, plus the exceptions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping


def _children(modules: list[str]) -> dict[str, list[str]]:
    tree: dict[str, set[str]] = defaultdict(set)
    for module in modules:
        parts = module.split(".")
        for i in range(1, len(parts) + 1):
            tree[".".join(parts[: i - 1])].add(".".join(parts[:i]))
    return {k: sorted(v) for k, v in tree.items()}


def compress(assignment: Mapping[str, str]) -> dict[str, list[str]]:
    """service -> sorted package patterns that reproduce ``assignment`` under nearest-prefix
    matching (each module's own service first, the majority of its subtree otherwise)."""
    tree = _children(sorted(assignment))
    subtree: dict[str, Counter[str]] = {}

    def count(prefix: str) -> Counter[str]:
        if prefix not in subtree:
            total: Counter[str] = Counter()
            if prefix in assignment:
                total[assignment[prefix]] += 1
            for child in tree.get(prefix, []):
                total.update(count(child))
            subtree[prefix] = total
        return subtree[prefix]

    patterns: dict[str, list[str]] = defaultdict(list)
    stack: list[tuple[str, str | None]] = [(c, None) for c in reversed(tree.get("", []))]
    while stack:
        prefix, inherited = stack.pop()
        if prefix in assignment:
            wanted = assignment[prefix]
        else:
            wanted = min(count(prefix).items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if wanted != inherited:
            patterns[wanted].append(prefix)
        stack.extend((c, wanted) for c in reversed(tree.get(prefix, [])))
    return {service: sorted(found) for service, found in sorted(patterns.items())}
