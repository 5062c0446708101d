"""The release's evaluation (tiers/evaluated.py) as an asset: figures in the UI, and numbers
chosen so Dagster's metadata plots show their trend across release versions."""

import math

import dagster as dg
import polars as pl

from data_platform.defs.metadata import OWNERS, markdown_table
from data_platform.defs.partitions import release_partitions
from data_platform.defs.released.assets import released_dataset
from data_platform.defs.resources import LakeResource, RegistryResource
from data_platform.evaluation.html import png_data_uri
from data_platform.tiers.evaluated import ReleaseEvaluation, evaluate_release


@dg.asset(
    partitions_def=release_partitions,
    deps=[released_dataset],
    group_name="released",
    kinds={"polars", "html"},
    owners=OWNERS,
    tags={"tier": "released"},
    code_version="evaluation-1",
)
def release_evaluation(
    context: dg.AssetExecutionContext, lake: LakeResource, registry: RegistryResource
) -> dg.MaterializeResult:
    """What a release contains against what it should: coverage of the registry's targets
    (gaps named and sized in records), diversity (compression, distinct n-grams, vocabulary
    growth, near-duplicates, cluster spread) and drift from the parent release (PSI and
    Jensen-Shannon per variable, a classifier's AUC at telling the two apart). Figures and an
    HTML report (EVALUATION.html) beside the release's DATASHEET.md."""
    evaluated = evaluate_release(lake.lake(), context.partition_key, registry.load())
    summary = evaluated.summary
    context.log.info(f"evaluated {evaluated.version} in {sum(summary['seconds'].values()):.1f} s")
    return dg.MaterializeResult(
        metadata={**_figures(evaluated), **_trend_numbers(summary), **_tables(summary)}
    )


def _figures(evaluated: ReleaseEvaluation) -> dict[str, dg.MetadataValue]:
    figures = {
        name.lower(): dg.MetadataValue.md(f"![{name}]({png_data_uri(path.read_bytes())})")
        for name, path in evaluated.figures.items()
    }
    return {**figures, "report": dg.MetadataValue.path(str(evaluated.report))}


def _trend_numbers(summary: dict) -> dict[str, float | int]:
    """Plain numbers: the UI plots each across the asset's materializations (one per version)."""
    diversity, text = summary["diversity"], summary.get("text_drift") or {}
    numbers = {
        "dagster/row_count": summary["records"],
        "coverage_gaps": len(summary["coverage_gaps"]),
        "coverage_records_needed": sum(gap["needed"] for gap in summary["coverage_gaps"]),
        "max_psi": summary["max_psi"],
        "text_drift_auc": text.get("auc"),
        "stale_sources": summary.get("stale_sources"),
        "oldest_newest_drop_hours": max(
            (row["age_hours"] for row in summary.get("freshness", [])), default=None
        ),
        **{
            name: diversity[name]
            for name in (
                "compression_ratio",
                "distinct_1",
                "distinct_2",
                "heaps_beta",
                "near_duplicate_rate",
                "effective_clusters",
            )
        },
    }
    # A measure with nothing to measure (no parent, too few texts) is left out, not plotted as 0.
    return {
        name: v
        for name, v in numbers.items()
        if v is not None and not (isinstance(v, float) and math.isnan(v))
    }


def _tables(summary: dict) -> dict[str, dg.MetadataValue]:
    gaps = pl.DataFrame(summary["coverage_gaps"], schema={"slice": pl.String, "needed": pl.Int64})
    drift = pl.DataFrame(summary["drift"]) if summary["drift"] else pl.DataFrame()
    if not drift.is_empty():
        drift = drift.sort("psi", descending=True).head(15)
    return {
        "coverage_gaps_by_slice": dg.MetadataValue.md(markdown_table(gaps, "every coverage target met")),
        "largest_shifts": dg.MetadataValue.md(markdown_table(drift, "no parent release")),
        "freshness": dg.MetadataValue.md(
            markdown_table(pl.DataFrame(summary.get("freshness") or []), "not measured")
        ),
        "seconds": dg.MetadataValue.json(summary["seconds"]),
    }
