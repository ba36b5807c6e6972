"""Relations between models: foreign keys, one-to-one, many-to-many and ``relationship()``.

Each relational field of a model (its own or inherited) is resolved to its target model: a
class, ``"self"``, ``"app_label.Model"`` or ``"Model"`` (Django, relative to the model's app),
a class name (SQLAlchemy's registry), ``settings.AUTH_USER_MODEL``, or for a column the model
owning the table of its ``ForeignKey("table.column")``. Django relations also give the names the
target side uses: its reverse accessor (``related_name``, ``<model>_set``) and query name
(``related_query_name``, ``related_name``, ``<model>``).
"""

from __future__ import annotations

from collections import defaultdict

from analyzer.design.data.kinds import Model, Relation, RelationKind
from analyzer.design.data.models import ModelCatalog
from analyzer.model.data import FieldFact

_FK = frozenset({"ForeignKey", "TreeForeignKey", "ParentalKey", "ForeignKeyField"})
_FK |= {"DeferredForeignKey"}
_O2O = frozenset({"OneToOneField", "TreeOneToOneField"})
_M2M = frozenset(
    {
        "ManyToManyField",
        "ParentalManyToManyField",
        "SortedManyToManyField",
        "TreeManyToManyField",
    }
)


class Relations:
    """The relations of every model of a catalog, and the reverse names of each target."""

    def __init__(self, catalog: ModelCatalog) -> None:
        self.catalog = catalog
        self.relations: dict[str, dict[str, Relation]] = {}
        self.reverse_query: dict[str, dict[str, Relation]] = defaultdict(dict)
        self.reverse_accessor: dict[str, dict[str, Relation]] = defaultdict(dict)
        for mid in sorted(catalog.models):
            self._relations(catalog.models[mid])

    def _relations(self, model: Model) -> None:
        found: dict[str, Relation] = {}
        for owner, field in self.catalog.fields(model.id):
            if field.name in found:
                continue
            relation = self._relation(model, owner, field)
            if relation is not None:
                found[field.name] = relation
        for relation in found.values():
            if relation.target and model.table and not model.proxy:
                if relation.query_name:
                    self.reverse_query[relation.target].setdefault(relation.query_name, relation)
                if relation.accessor:
                    self.reverse_accessor[relation.target].setdefault(relation.accessor, relation)
        self.relations[model.id] = found

    def _relation(self, model: Model, owner: str, field: FieldFact) -> Relation | None:
        last = field.kind.rsplit(".", 1)[-1]
        module = self.catalog.classes[owner].file.module
        path, line = self.catalog.classes[owner].file.path, field.line
        if model.framework in ("sqlalchemy", "sqlmodel"):
            return self._sqlalchemy_relation(model, module, field, path)
        kind: RelationKind = "m2m" if last in _M2M else "o2o" if last in _O2O else "fk"
        if last not in _FK | _O2O | _M2M:
            return None
        target = self.model_named(field.target, field.target_string, module, model)
        table = through = None
        if kind == "m2m":
            through_name = field.option("through")
            if through_name:
                through = self.model_named(through_name, "." not in through_name, module, model)
                through_model = self.catalog.models.get(through) if through else None
                table = through_model.table if through_model else None
            else:
                own = field.option("db_table")
                table = own or (f"{model.table}_{field.name}" if model.table else None)
        related = field.option("related_name") or field.option("backref")
        related = related.replace("%(class)s", model.name.lower())
        related = related.replace("%(app_label)s", model.app_label.lower())
        hidden = related.endswith("+")
        lower = model.name.lower()
        accessor = "" if hidden else related or (lower if kind == "o2o" else f"{lower}_set")
        query = "" if hidden else field.option("related_query_name") or related or lower
        return Relation(
            model.id, field.name, kind, target, path, line, table, through, accessor, query
        )

    def _sqlalchemy_relation(
        self, model: Model, module: str, field: FieldFact, path: str
    ) -> Relation | None:
        last = field.kind.rsplit(".", 1)[-1]
        if last in ("relationship", "Relationship"):
            target = None
            if field.target:
                target = self.model_named(field.target, field.target_string, module, model)
            if target is None and field.annotation:
                target = self.model_named(field.annotation, False, module, model)
            secondary = field.option("secondary")
            table = None
            if secondary:
                found = self.catalog.bindings.find(module, secondary.split(".", 1)[0])
                table = self.catalog.table_def(found.module, found.name) if found else None
                table = table or (secondary if "." not in secondary else None)
            return Relation(model.id, field.name, "rel", target, path, field.line, table)
        for key in field.foreign_keys:
            target_table = key.rsplit(".", 1)[0] if "." in key else key
            by_table = self.catalog.by_table
            owners = by_table.get(target_table.lower()) or by_table.get(
                target_table.rsplit(".", 1)[-1].lower(), []
            )
            target = owners[0] if owners else None
            return Relation(model.id, field.name, "fk", target, path, field.line)
        return None

    def model_named(self, name: str, string: bool, module: str, context: Model) -> str | None:
        """The model a relation target names: ``"self"``, ``"app.Model"``, ``"Model"``, a
        dotted name, or ``settings.AUTH_USER_MODEL``."""
        if not name:
            return None
        if name.endswith("AUTH_USER_MODEL"):
            return self.catalog.label_model("@user")
        if string:
            if name == "self":
                return context.id
            if context.framework == "django":
                app, _, model_name = name.rpartition(".")
                key = ((app or context.app_label).lower(), model_name.lower())
                if key in self.catalog.by_label:
                    return self.catalog.by_label[key]
            candidates = self.catalog.by_name.get(name.rsplit(".", 1)[-1], [])
            same = [c for c in candidates if self.catalog.models[c].framework == context.framework]
            if len(same) == 1:
                return same[0]
            return None
        node = self.catalog.table.resolve(module, name)
        return node if node in self.catalog.models else None


def link_relations(catalog: ModelCatalog) -> None:
    """Resolve the relations of every model of ``catalog`` and record them in it, with the
    names each target side uses for them."""
    relations = Relations(catalog)
    catalog.relations = relations.relations
    catalog.reverse_query = relations.reverse_query
    catalog.reverse_accessor = relations.reverse_accessor
