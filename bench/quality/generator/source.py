"""One module being written: its imports (grouped and sorted as isort would), module-level
statements and top-level blocks; and how it reaches a symbol of another module, in the call
style drawn for that pair of modules."""

from __future__ import annotations

import random

from bench.quality.generator.plan import Symbol

STDLIB = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "decimal",
    "functools",
    "importlib",
    "logging",
    "typing",
}


class Module:
    def __init__(self, name: str, project: str, styles: tuple[tuple[str, float], ...]) -> None:
        self.name = name
        self.project = project
        self.styles = styles
        self.froms: dict[str, list[str]] = {}  # module -> ["name", "name as alias"]
        self.plain: list[str] = []  # "import a.b as c"
        self.bound: dict[str, str] = {}  # local name -> what it stands for
        self.top: list[str] = []
        self.blocks: list[list[str]] = []
        self.tail: list[str] = []
        self.docstring = ""

    # -- imports ------------------------------------------------------------------------
    def need(self, module: str, name: str | None = None) -> str:
        """Import ``name`` from ``module`` (or the module itself); the local name."""
        if name is None:
            local = module.split(".", maxsplit=1)[0]
            if self.bound.get(local, module) == module:
                self.bound[local] = module
                if f"import {module}" not in self.plain:
                    self.plain.append(f"import {module}")
            return module
        return self._from(module, name, name)

    def _from(self, module: str, name: str, local: str) -> str:
        key = f"{module}.{name}"
        if self.bound.get(local) == key:
            return local
        if local in self.bound:
            local = f"{module.rsplit('.', maxsplit=1)[-1]}_{name}"
            if self.bound.get(local) == key:
                return local
        self.bound[local] = key
        entry = name if local == name else f"{name} as {local}"
        self.froms.setdefault(module, []).append(entry)
        return local

    def _alias(self, module: str) -> str:
        parts = module.split(".")
        local = "_".join(parts[-2:]) if len(parts) > 2 else parts[-1]
        if self.bound.get(local) == module:
            return local
        while local in self.bound:
            local += "_mod"
        self.bound[local] = module
        self.plain.append(f"import {module} as {local}")
        return local

    def ref(self, target: Symbol, name: str | None = None) -> str:
        """An expression naming ``target`` (or its singleton ``name``) from this module."""
        name = name or target.name
        if target.module == self.name:
            return name
        rng = random.Random(f"{self.name}>{target.module}")
        style = rng.choices([s for s, _ in self.styles], [w for _, w in self.styles])[0]
        parent, _, leaf = target.module.rpartition(".")
        if style == "module-alias":
            return f"{self._alias(target.module)}.{name}"
        if style == "from-package" and parent:
            local = self._from(parent, leaf, leaf)
            return f"{local}.{name}"
        return self._from(target.module, name, name)

    # -- text ---------------------------------------------------------------------------
    def text(self) -> str:
        groups: list[list[str]] = [[], [], []]
        for line in self.plain:
            groups[self._group(line.split()[1])].append(line)
        for module, names in self.froms.items():
            group = groups[self._group(module)]
            joined = ", ".join(sorted(names, key=lambda n: (not n[0].isupper(), n.lower())))
            line = f"from {module} import {joined}"
            if len(line) > 99:
                inner = "".join(f"    {n},\n" for n in sorted(names))
                line = f"from {module} import (\n{inner})"
            group.append(line)
        parts: list[str] = []
        if self.docstring:
            parts.append(f'"""{self.docstring}"""\n')
        parts.append("from __future__ import annotations\n")
        for group in groups:
            if group:
                parts.append("\n".join(sorted(group, key=self._sort_key)) + "\n")
        if self.top:
            parts.append("\n".join(self.top) + "\n")
        body = "\n\n\n".join("\n".join(b) for b in self.blocks)
        text = "\n".join(parts)
        if body:
            text += "\n\n" + body + "\n"
        if self.tail:
            text += "\n\n" + "\n".join(self.tail) + "\n"
        return text.replace("\n\n\n\n\n", "\n\n\n")

    @staticmethod
    def _sort_key(line: str) -> tuple[bool, str]:
        return (line.startswith("from"), line.split()[1].lower())

    def _group(self, module: str) -> int:
        root = module.split(".", maxsplit=1)[0]
        if root in STDLIB:
            return 0
        return 2 if root == self.project else 1
