"""Code roles: which analyzed modules are not product code, and which are peripheral code.

Test support, development, demo and fake-data code ships inside many monoliths (a ``testutils``
package, a ``devproject``, commands that fill a database with fake data or empty it). It is not
part of any service: the analysis sets it aside, lists it in ``skipped`` with its ``role``, and
``--include-tests`` brings it back. Peripheral code stays in the analysis, but its writes do not
decide who owns a table: maintenance code (management commands, scripts), and code that looks like
test or fake-data code but that product code uses (a data generator product code borrows from).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["test", "dev", "demo", "fake-data"]
ROLES: tuple[Role, ...] = ("test", "fake-data", "dev", "demo")
"""Every role, in the order a module claimed by several takes one."""


@dataclass(frozen=True, slots=True)
class SetAside:
    """Module ``module`` (file ``path``) is ``role`` code, not product code, and why (one line)."""

    path: str
    module: str
    role: Role
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.role} code: {self.reason}"


@dataclass(frozen=True, slots=True)
class Roles:
    """What the role pass found: modules set aside (by module name), and the modules of
    peripheral code (those set aside among them: analyzed with ``--include-tests``, they
    still decide no owner)."""

    set_aside: tuple[SetAside, ...] = ()
    peripheral: frozenset[str] = frozenset()

    @property
    def modules(self) -> frozenset[str]:
        return frozenset(s.module for s in self.set_aside)
