"""Small helpers shared by unit tests: parse a snippet as if it were a module of a package."""

from __future__ import annotations

import textwrap

from analyzer.extract.parse import parse_source
from analyzer.model.facts import FileFacts
from analyzer.model.source import SourceFile


def facts_of(code: str, module: str = "pkg.sub.mod", is_package: bool = False) -> FileFacts:
    path = module.replace(".", "/") + ("/__init__.py" if is_package else ".py")
    result = parse_source(textwrap.dedent(code), SourceFile(path, module, is_package, len(code)))
    assert isinstance(result, FileFacts), result
    return result
