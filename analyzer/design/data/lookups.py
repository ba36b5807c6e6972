"""Django lookups: the tables a query joins for the field paths it names.

``brand__slug`` follows the ``brand`` foreign key and joins the brand table; ``brand=x``,
``brand_id`` and ``brand__in`` compare a local column and join nothing. A many-to-many field
joins its join table (and the target table when the path goes on); a reverse relation
(``related_name``, ``related_query_name`` or the model name) joins the related model's table;
``Count("applications")`` and ``select_related("offer")`` (written ``offer__*``) do too.
"""

from __future__ import annotations

from collections.abc import Iterable

from analyzer.design.data.values import Steps

_TERMINALS = frozenset(
    """exact iexact contains icontains in gt gte lt lte startswith istartswith endswith iendswith
    range date year iso_year month day week week_day iso_week_day quarter time hour minute second
    isnull regex iregex search unaccent trigram_similar overlap contained_by contains has_key
    has_keys has_any_keys len keys values pk id""".split()
)


def lookup_tables(steps: Steps, mid: str, lookups: Iterable[str]) -> list[str]:
    """Tables a Django query joins for its lookups (``brand__slug`` joins the brand table;
    ``brand=x`` and ``brand__in`` do not)."""
    if steps.framework(mid) != "django":
        return []
    found: list[str] = []
    for lookup in lookups:
        found.extend(_lookup(steps, mid, lookup.split("__")))
    return found


def _lookup(steps: Steps, mid: str, parts: list[str]) -> list[str]:
    found: list[str] = []
    current: str | None = mid
    for i, part in enumerate(parts):
        if current is None or part in _TERMINALS:
            break
        follows = i + 1 < len(parts) and parts[i + 1] not in _TERMINALS
        relation = steps.catalog.relations.get(current, {}).get(part)
        reverse = steps.catalog.reverse_query.get(current, {}).get(part)
        if relation is not None and relation.kind in ("fk", "o2o"):
            if not follows:
                break
            current = relation.target
            found.append(steps.table(current) or "")
        elif relation is not None and relation.kind == "m2m":
            found.append(relation.table or "")
            if not follows:
                break
            current = relation.target
            found.append(steps.table(current) or "")
        elif reverse is not None:
            current = reverse.model
            if reverse.kind == "m2m":
                found.append(reverse.table or "")
                if follows:
                    found.append(steps.table(current) or "")
            else:
                found.append(steps.table(current) or "")
        else:
            break
    return [t for t in found if t]
