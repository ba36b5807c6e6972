"""Turn a module -> service assignment into few package patterns, and back.

A pattern without wildcards holds a module and everything below it unless a longer pattern
says otherwise, so an assignment compresses to one pattern per package whose service differs
from that of its enclosing package, plus the exceptions.
"""

from __future__ import annotations

from collections import defaultdict
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
    matching, as few as possible.

    Exact, by dynamic programming over the package tree: a prefix either states a service (one
    pattern, unless it is the inherited one) or, when it is not itself an analyzed module, states
    nothing and lets its children inherit. Ties go to the alphabetically first service.
    """
    tree = _children(sorted(assignment))
    services = sorted(set(assignment.values()))
    memo: dict[tuple[str, str | None], tuple[int, str | None]] = {}

    def cost(prefix: str, inherited: str | None) -> tuple[int, str | None]:
        """(patterns needed in this subtree, the service this prefix states or None)."""
        key = (prefix, inherited)
        if key not in memo:
            if prefix in assignment:
                choices: list[str | None] = [assignment[prefix]]
            else:
                choices = [None, *services]
            best: tuple[int, str | None] | None = None
            for choice in choices:
                effective = inherited if choice is None else choice
                total = int(choice is not None and choice != inherited)
                total += sum(cost(child, effective)[0] for child in tree.get(prefix, []))
                if best is None or total < best[0]:
                    best = (total, choice)
            assert best is not None
            memo[key] = best
        return memo[key]

    patterns: dict[str, list[str]] = defaultdict(list)
    stack: list[tuple[str, str | None]] = [(c, None) for c in reversed(tree.get("", []))]
    while stack:
        prefix, inherited = stack.pop()
        _, choice = cost(prefix, inherited)
        effective = inherited if choice is None else choice
        if choice is not None and choice != inherited:
            patterns[choice].append(prefix)
        stack.extend((c, effective) for c in reversed(tree.get(prefix, [])))
    return {service: sorted(found) for service, found in sorted(patterns.items())}
