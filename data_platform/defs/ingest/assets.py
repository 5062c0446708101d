"""The source registry as an asset, with a freshness check against each refresh cadence."""

import time
from datetime import UTC, datetime

import dagster as dg

from data_platform.defs.metadata import OWNERS
from data_platform.defs.resources import RegistryResource
from data_platform.sources.drops import ready_drops
from data_platform.sources.registry import Registry

FRESHNESS_CHECK = "sources_fresh"


def freshness_report(registry: Registry, now: float) -> list[dict[str, object]]:
    """Per source: newest complete drop and whether it is older than the refresh cadence."""
    report = []
    for source in registry.sources.values():
        drops = ready_drops(source, now)
        newest = max((p.stat().st_mtime for p in drops), default=None)
        age = None if newest is None else now - newest
        report.append(
            {
                "source_id": source.id,
                "drops": len(drops),
                "newest_drop": None if newest is None else datetime.fromtimestamp(newest, UTC).isoformat(),
                "age_hours": None if age is None else round(age / 3600, 2),
                "cadence_hours": round(source.refresh_cadence_seconds / 3600, 2),
                "overdue": age is None or age > source.refresh_cadence_seconds,
            }
        )
    return report


@dg.asset(
    group_name="ingest",
    kinds={"yaml"},
    owners=OWNERS,
    check_specs=[dg.AssetCheckSpec(FRESHNESS_CHECK, asset="source_registry")],
)
def source_registry(context: dg.AssetExecutionContext, registry: RegistryResource) -> dg.MaterializeResult:
    """The sources the platform ingests: owner, SPDX licence, consent basis, domain, languages,
    record kind, format, drop folder and refresh cadence. Entries that fail validation are listed
    with the field at fault and are not ingested."""
    loaded = registry.load()
    report = freshness_report(loaded, time.time())
    overdue = [str(row["source_id"]) for row in report if row["overdue"]]
    for error in loaded.errors:
        context.log.warning(str(error))
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(loaded.sources),
            "registry": dg.MetadataValue.path(str(loaded.path)),
            "sources": dg.MetadataValue.md(_sources_table(loaded)),
            "rejected_sources": dg.MetadataValue.json([str(e) for e in loaded.errors]),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=FRESHNESS_CHECK,
                passed=not overdue,
                severity=dg.AssetCheckSeverity.WARN,
                description=("overdue: " + ", ".join(overdue)) if overdue else "every source is fresh",
                metadata={"freshness": dg.MetadataValue.json(report)},
            )
        ],
    )


def _sources_table(registry: Registry) -> str:
    lines = [
        "| id | owner | licence | consent | domain | languages | kind | format | cadence (h) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in registry.sources.values():
        lines.append(
            f"| {s.id} | {s.owner} | {s.licence} | {s.consent} | {s.domain} | {', '.join(s.languages)} "
            f"| {s.kind} | {s.format} | {s.refresh_cadence_seconds / 3600:g} |"
        )
    return "\n".join(lines)
