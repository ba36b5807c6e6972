"""trusted: libcst's parser, without its node-by-node validation.

libcst checks every node as it is constructed (``CSTNode.__post_init__`` calls ``_validate``:
parentheses balanced, whitespace where a keyword needs it, and so on). Those checks guard trees
built or changed by hand; a tree built by libcst's own parser is valid by construction, which
libcst's source notes beside the call. Measured on netbox (760 files, one process), parsing
took 11.3 s with the checks and 8.7 s without, and the trees were equal.

``parse_module`` turns the checks off while the parser builds the tree and back on once it has
(or has failed), so a node built anywhere else is still checked.
"""

from __future__ import annotations

import libcst as cst
from libcst._nodes.base import CSTNode


def _trusted(self: CSTNode) -> None:
    """A parser-built node: nothing to check."""


def parse_module(text: str) -> cst.Module:
    """``libcst.parse_module(text)``, its nodes unchecked as they are built."""
    check = CSTNode.__dict__.get("__post_init__")
    if check is None:  # a libcst that checks nodes some other way: leave it be
        return cst.parse_module(text)
    CSTNode.__post_init__ = _trusted  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        CSTNode.__post_init__ = check  # type: ignore[method-assign]
