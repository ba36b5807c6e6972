"""What each metric means, in one line, and which direction is better (docs/metrics.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MetricInfo:
    key: str
    label: str
    better: str  # "higher" | "lower" | ""
    meaning: str
    anchor: str


METRICS: tuple[MetricInfo, ...] = (
    MetricInfo(
        "modularity",
        "Modularity Q",
        "higher",
        "Share of coupling inside services beyond what chance would give.",
        "modularity-q",
    ),
    MetricInfo(
        "sm",
        "Structural modularity",
        "higher",
        "Cohesion inside services minus coupling between them (edge counts).",
        "sm-structural-modularity",
    ),
    MetricInfo(
        "icp",
        "Inter-call percentage",
        "lower",
        "Share of calls and references that cross a service boundary.",
        "icp-inter-call-percentage",
    ),
    MetricInfo(
        "ifn",
        "Interface number",
        "lower",
        "Average number of symbols per service used from other services: its would-be API.",
        "ifn-interface-number",
    ),
    MetricInfo(
        "ned",
        "Non-extreme distribution",
        "lower",
        "Share of code in services far smaller or larger than the average.",
        "ned-non-extreme-distribution",
    ),
    MetricInfo(
        "data_purity",
        "Data purity",
        "higher",
        "1.0 when every table is touched by code of one service only.",
        "data-purity",
    ),
    MetricInfo(
        "shared_write_tables",
        "Shared-write tables",
        "lower",
        "Tables written by more than one service.",
        "shared-write-tables",
    ),
    MetricInfo(
        "cross_service_edges",
        "Cross-service edges",
        "lower",
        "Dependencies in the code graph between different services.",
        "cross-service-dependencies",
    ),
    MetricInfo(
        "cross_service_weight",
        "Cross-service weight",
        "lower",
        "Fused weight of those dependencies.",
        "cross-service-dependencies",
    ),
    MetricInfo(
        "services", "Services", "", "Number of services (shared library not counted).", "services"
    ),
    MetricInfo(
        "distributed_transactions",
        "Distributed transactions",
        "lower",
        "Database transactions writing tables of two or more services: each becomes a saga.",
        "distributed-transactions",
    ),
    MetricInfo(
        "functionality_complexity",
        "Functionality complexity",
        "lower",
        "Per entry point, the other services its call tree needs (one that it writes counts "
        "twice), averaged.",
        "functionality-complexity",
    ),
    MetricInfo(
        "cross_service_joins",
        "Cross-service joins",
        "lower",
        "Queries joining tables of two services: API composition or a replicated read model.",
        "cross-service-joins",
    ),
    MetricInfo(
        "chatty_sites",
        "Chatty calls",
        "lower",
        "Calls into another service made inside a loop: one network round trip per item.",
        "chatty-calls",
    ),
)


def format_metric(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:,.1f}"
    return str(value)
