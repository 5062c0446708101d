"""The released tier: one immutable dataset version per partition of ``releases``."""

from datetime import UTC, datetime

import dagster as dg

from data_platform import settings
from data_platform.defs.annotated.assets import annotated_records
from data_platform.defs.gates import gate_check_result
from data_platform.defs.metadata import OWNERS, column_lineage, table_schema
from data_platform.defs.partitions import release_partitions
from data_platform.defs.resources import LakeResource, RegistryResource
from data_platform.governance.datasheet import ReleaseCard
from data_platform.lake.catalog import refresh_catalog
from data_platform.lake.releases import release_summary
from data_platform.quality.release import judge_release
from data_platform.synthetic.policy import MAX_SYNTHETIC_SHARE
from data_platform.tiers.released import LabelPolicy, cut_release
from data_platform.tiers.schema import RELEASE_COLUMN_DESCRIPTIONS, RELEASE_COLUMNS, RELEASE_SCHEMA


class ReleaseConfig(dg.Config):
    """Which licence profile (governance/licences.py: commercial, research) the release obeys,
    and how its PII is redacted (governance/redaction.py: placeholder, pseudonym)."""

    licence_profile: str = "research"
    redaction: str = "placeholder"
    # The datasheet's human-written parts (governance/datasheet.py ReleaseCard: purpose,
    # intended_uses, out_of_scope_uses, maintainer, contact, update_policy); empty ones read
    # "not stated".
    datasheet: dict[str, str] = {}
    # Label policy (tiers/released.py LabelPolicy): per task a minimum confidence, and the tasks
    # whose labels a human must have confirmed; records falling short are held back.
    min_label_confidence: dict[str, float] = {}
    require_human_confirmation: list[str] = []
    # What the independent release scan (governance/release_scan.py) does with records holding
    # identifier-shaped tokens the PII detectors left: hold them back for review, or stop.
    release_scan: str = "hold"
    # The largest share of the release that synthetic records may make (synthetic/policy.py).
    max_synthetic_share: float = MAX_SYNTHETIC_SHARE

    def card(self) -> ReleaseCard:
        unknown = set(self.datasheet) - set(ReleaseCard.__dataclass_fields__)
        if unknown:
            fields = ", ".join(ReleaseCard.__dataclass_fields__)
            raise ValueError(f"datasheet config: unknown fields {sorted(unknown)}; there are {fields}")
        return ReleaseCard(**self.datasheet)


@dg.asset(
    partitions_def=release_partitions,
    deps=[dg.AssetDep(annotated_records, partition_mapping=dg.AllPartitionMapping())],
    group_name="released",
    kinds={"parquet", "duckdb"},
    owners=OWNERS,
    tags={"tier": "released"},
    code_version="released-1",
    pool="lake_catalog",
    metadata={
        "dagster/column_schema": table_schema(RELEASE_SCHEMA, RELEASE_COLUMN_DESCRIPTIONS),
        "dagster/column_lineage": column_lineage(
            annotated_records.key, {c: [c] for c in RELEASE_COLUMNS if c != "record_sha256"}
        ),
    },
)
def released_dataset(
    context: dg.AssetExecutionContext, lake: LakeResource, registry: RegistryResource, config: ReleaseConfig
) -> dg.MaterializeResult:
    """A frozen dataset version: every annotated record from batches whose annotated gate passed,
    sorted by record id, whose licence the chosen profile admits, with a manifest (parent version,
    code version, licence profile, counts per source, language and kind, licences, records
    refused by licence, included and excluded batches, content hash), ATTRIBUTION.md and a DuckDB view
    ``release_<version>`` in the lake catalog. Versions are immutable: re-running one is a no-op.
    """
    store = lake.lake()
    release = cut_release(
        store,
        context.partition_key,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        code_version=settings.code_version(),
        licence_profile=config.licence_profile,
        redaction_policy=config.redaction,
        card=config.card(),
        label_policy=LabelPolicy(config.min_label_confidence, tuple(config.require_human_confirmation)),
        scan_policy=config.release_scan,
        max_synthetic_share=config.max_synthetic_share,
        sources=registry.load().sources,
    )
    catalog = refresh_catalog(store)
    manifest = release.manifest
    if not release.created_now:
        context.log.info(f"release {release.version} already exists; it is immutable and was not rebuilt")
    return dg.MaterializeResult(
        metadata={
            # First, so the asset's overview leads with what the release holds and left out.
            "summary": dg.MetadataValue.md(_as_markdown(release_summary(manifest, release.path))),
            "dagster/row_count": manifest["record_count"],
            "dagster/uri": dg.MetadataValue.path(str(release.path)),
            "version": release.version,
            "parent_version": manifest["parent_version"] or "",
            "content_sha256": manifest["content_sha256"] or "",
            "manifest": dg.MetadataValue.json(manifest),
            "excluded_batches": dg.MetadataValue.json(manifest["excluded_batches"]),
            "licence_profile": manifest["licence_profile"]["name"],
            "refused_by_licence": dg.MetadataValue.json(manifest["refused_by_licence"]),
            "taken_down": dg.MetadataValue.json(manifest["taken_down"]),
            "duplicate_alternates": dg.MetadataValue.json(manifest["duplicate_alternates"]),
            "label_policy": dg.MetadataValue.json(manifest["label_policy"]),
            "redaction": manifest["redaction"]["policy"],
            "pii_findings": dg.MetadataValue.json(manifest["pii_findings"]),
            "release_scan": dg.MetadataValue.json(manifest["release_scan"]),
            "datasheet": dg.MetadataValue.md((release.path / "DATASHEET.md").read_text(encoding="utf-8")),
            "duckdb_catalog": dg.MetadataValue.path(str(catalog)),
            "duckdb_view": f"release_{release.version}",
        }
    )


def _as_markdown(summary: str) -> str:
    """The summary's first line as a heading line, its indented lines as a list."""
    head, *rest = summary.splitlines()
    return "\n".join([f"**{head}**", "", *(f"- {line.strip()}" for line in rest)])


@dg.asset_check(
    asset=released_dataset,
    blocking=True,
    partitions_def=release_partitions,
    description="GX suites on the release files: unique ids, hashes, value sets; per record no "
    "structured PII left in the text, nothing the independent release scan flags, a licence "
    "the profile admits, no takedown match and a complete provenance chain; records in (included "
    "annotated partitions) = released + superseded + refused by licence + taken down + duplicate "
    "alternates left out + held back by the label policy or the release scan.",
)
def release_gate(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    version = context.partition_key
    result, counts = judge_release(lake.lake(), version)
    return gate_check_result(result, f"release {version}", **counts)
