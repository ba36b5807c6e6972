"""What ``seams check`` finds: rules, violations, stale baseline entries, and the whole result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warn", "off"]
SEVERITIES: tuple[Severity, ...] = ("error", "warn", "off")
Status = Literal["new", "known", "suppressed"]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A check rule: its id, default severity, one-line summary and longer help."""

    id: str
    default: Severity
    summary: str
    help: str


RULES: dict[str, RuleInfo] = {
    r.id: r
    for r in (
        RuleInfo(
            "new_dependency",
            "error",
            "A service depends on another service it is not allowed to.",
            "Code in one service imports, calls or subclasses code of another service, the "
            "dependency is not in the service's declared depends_on, and it is not in the "
            "baseline. Go through the other service's public API or an event, or declare the "
            "dependency.",
        ),
        RuleInfo(
            "foreign_table_write",
            "error",
            "A service writes a table another service owns.",
            "Each table belongs to the service that declares it in its tables; only the owner "
            "writes it. Move the write behind a function of the owning service.",
        ),
        RuleInfo(
            "shared_write",
            "error",
            "A table no service owns is written by more than one service.",
            "Tables written by several services cannot be split without a data migration or a "
            "distributed transaction. Declare an owner in its tables and route the other "
            "writes through it.",
        ),
        RuleInfo(
            "foreign_key",
            "warn",
            "A model has a foreign key to a model of another service.",
            "A foreign key across services ties their databases together. Keep the other "
            "service's id as a plain value and look the object up through its API.",
        ),
        RuleInfo(
            "cycle",
            "error",
            "Services depend on each other in a cycle.",
            "A dependency cycle between services means none of them can be deployed or "
            "changed alone. Invert the weakest dependency with an event or a callback.",
        ),
        RuleInfo(
            "distributed_transaction",
            "error",
            "A database transaction writes tables of more than one service.",
            "One transaction (transaction.atomic, a session's begin or commit, a request under "
            "ATOMIC_REQUESTS) writes, itself or through the code it calls, tables that belong to "
            "different services. Once each service has its own database this is a saga: keep the "
            "writes in one service, or make the other services' part a step with a compensation.",
        ),
        RuleInfo(
            "cross_service_join",
            "error",
            "A query joins tables of two services.",
            "An ORM query follows a relation into another service's table (select_related, "
            "prefetch_related, a related-field lookup, join(), joinedload) or raw SQL reads "
            "tables of two services. Compose the answer from the other service's API, or keep a "
            "replicated read model of its data.",
        ),
        RuleInfo(
            "metric_regression",
            "error",
            "A decomposition metric got worse than the baseline beyond the tolerance.",
            "ICP (the share of calls that cross services) rose, or data purity (how much each "
            "table is used by one service only) fell, by more than check.tolerance allows.",
        ),
        RuleInfo(
            "unmapped_module",
            "warn",
            "A module belongs to no declared service and is not shared.",
            "Add a pattern matching it to a service's modules, or to shared.modules.",
        ),
        RuleInfo(
            "ignore_without_reason",
            "error",
            "A '# seams: ignore' comment gives no reason.",
            "Write why the violation is acceptable after the rule list: "
            "'# seams: ignore[new_dependency] legacy report, removed in Q3'.",
        ),
        RuleInfo(
            "unused_ignore",
            "warn",
            "A '# seams: ignore' comment suppresses nothing.",
            "The violation it suppressed is gone (or the rule name is wrong): remove the comment.",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule at one place.

    ``source`` and ``target`` are service names (``target`` is empty when one service or none
    is concerned); ``key`` identifies the violation in the baseline without line numbers, so it
    survives edits elsewhere in the file; ``code`` is the offending source line.
    """

    rule: str
    severity: Severity
    source: str
    target: str
    path: str
    line: int
    message: str
    hint: str
    key: str
    code: str = ""
    status: Status = "new"

    @property
    def pair(self) -> str:
        """The group a violation is reported and baselined under: ``orders -> payments``."""
        if self.target:
            return f"{self.source} -> {self.target}"
        return self.source or "(no service)"

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.path else "(project)"

    def __str__(self) -> str:
        return f"{self.location}: {self.severity} {self.rule}: {self.message}"


@dataclass(frozen=True, slots=True)
class StaleEntry:
    """A baseline entry found fewer times than recorded: fixed, so the baseline can shrink."""

    pair: str
    key: str
    recorded: int
    found: int

    def __str__(self) -> str:
        return f"{self.pair}: {self.key} (recorded {self.recorded}, found {self.found})"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one check: new violations, known ones, suppressed ones, stale entries."""

    violations: tuple[Violation, ...]
    known: tuple[Violation, ...] = ()
    suppressed: tuple[Violation, ...] = ()
    stale: tuple[StaleEntry, ...] = ()
    rules: tuple[tuple[str, Severity], ...] = ()
    files: int = 0
    baseline: str = ""
    metrics: tuple[tuple[str, float | None], ...] = ()

    @property
    def errors(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "error")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "warn")

    def failed(self, strict: bool = False) -> bool:
        """True when the run should exit 1: an error, or (``strict``) a stale baseline."""
        return bool(self.errors) or (strict and bool(self.stale))

    def enabled_rules(self) -> list[RuleInfo]:
        return [RULES[r] for r, severity in self.rules if severity != "off" and r in RULES]
