"""The Great Expectations suites of each tier and how a stored partition is judged by them.

Three suites per tier:

- ``<tier>_rows``: schema, non-null fields, value sets and ranges, run on each part file;
- ``<tier>_ids``: record ids unique and non-null across the whole partition (ids only);
- ``<tier>_conservation``: records in = records out + quarantined, and the quarantine rate
  under the source's ceiling (a batch that loses most of its records points at a broken
  upstream and must not be promoted silently).

The annotated tier adds its label suites: ``annotated_labels`` (task, value in the labeler's
label set, confidence in [0, 1]), ``annotated_label_coverage`` (per task, the source's floor)
and ``annotated_agreement`` (Krippendorff's alpha of the batch's human labels per task, at or
above the source's ``min_agreement`` where enough records were labelled twice).
"""

from __future__ import annotations

from collections.abc import Iterator

import great_expectations.expectations as gxe
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from great_expectations.expectations import Expectation

from data_platform.annotation.human_labels import agreement_report, read_votes
from data_platform.annotation.training import label_sets
from data_platform.lake.store import Lake
from data_platform.quality.gx_runner import GateResult, SuiteSpec, run_suites
from data_platform.sources.registry import Source
from data_platform.sources.schema import KINDS
from data_platform.tiers.schema import QUARANTINE_REASONS, TIER_SCHEMAS

SHA256_HEX = r"^[0-9a-f]{64}$"
UPSTREAM = {"cleaned": "raw", "annotated": "cleaned"}
CONSERVATION_COLUMNS = ("records_in", "records_accounted", "quarantine_rate")
# Fewer records labelled twice than this say too little about agreement to stop a batch.
MIN_AGREEMENT_ITEMS = 10
MAX_TOP_VALUE_SHARE = 0.9


def tier_columns(tier: str) -> list[str]:
    return list(TIER_SCHEMAS[tier])


def row_expectations(tier: str, source: Source, batch_id: str) -> list[Expectation]:
    expectations: list[Expectation] = [
        gxe.ExpectTableColumnsToMatchSet(column_set=tier_columns(tier), exact_match=True),
        gxe.ExpectColumnValuesToNotBeNull(column="record_id"),
        gxe.ExpectColumnValuesToBeInSet(column="source_id", value_set=[source.id]),
        gxe.ExpectColumnValuesToBeInSet(column="batch_id", value_set=[batch_id]),
        gxe.ExpectColumnValuesToBeInSet(column="kind", value_set=list(KINDS)),
        gxe.ExpectColumnValuesToMatchRegex(column="content_sha256", regex=SHA256_HEX),
        gxe.ExpectColumnValuesToBeInSet(column="licence", value_set=[source.licence]),
        gxe.ExpectColumnValuesToNotBeNull(column="consent"),
        gxe.ExpectColumnValuesToBeBetween(column="origin_line", min_value=1),
    ]
    declared_lang_column = "lang" if tier in ("raw", "cleaned") else "lang_declared"
    if source.languages:
        # The declared language is the source's data contract: a record outside it means the
        # upstream changed what it sends, and a person should look before it is promoted.
        expectations.append(
            gxe.ExpectColumnValuesToBeInSet(column=declared_lang_column, value_set=list(source.languages))
        )
    if tier in ("cleaned", "annotated"):
        expectations += [
            gxe.ExpectColumnValuesToMatchRegex(column="norm_sha256", regex=SHA256_HEX),
            gxe.ExpectColumnValuesToBeBetween(column="text_chars", min_value=max(source.min_chars, 1)),
            gxe.ExpectColumnValuesToNotBeNull(column="mojibake_fixed"),
            gxe.ExpectColumnValuesToBeBetween(column="templated_turns", min_value=0),
        ]
    if tier == "annotated":
        expectations += [
            gxe.ExpectColumnValuesToNotBeNull(column="lang"),
            gxe.ExpectColumnValuesToBeBetween(column="lang_confidence", min_value=0.0, max_value=1.0),
            gxe.ExpectColumnValuesToNotBeNull(column="labels"),
        ]
    return expectations


def id_expectations() -> list[Expectation]:
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="record_id"),
        gxe.ExpectColumnValuesToBeUnique(column="record_id"),
    ]


def conservation_expectations(max_quarantine_rate: float) -> list[Expectation]:
    return [
        gxe.ExpectColumnPairValuesToBeEqual(column_A="records_in", column_B="records_accounted"),
        gxe.ExpectColumnValuesToBeBetween(
            column="quarantine_rate", min_value=0.0, max_value=max_quarantine_rate
        ),
    ]


def conservation_frame(lake: Lake, tier: str, batch_id: str) -> pd.DataFrame:
    """Counts measured from the stored files, not taken from the writer's word."""
    out = _parquet_rows(lake, tier, batch_id, "records-*.parquet")
    quarantined = _parquet_rows(lake, tier, batch_id, "quarantine-*.parquet")
    if tier in UPSTREAM:
        records_in = _parquet_rows(lake, UPSTREAM[tier], batch_id, "records-*.parquet")
    else:
        records_in = int(lake.stats(tier, batch_id)["records_in"])
    rate = quarantined / records_in if records_in else 0.0
    return pd.DataFrame(
        {
            "records_in": [records_in],
            "records_accounted": [out + quarantined],
            "quarantine_rate": [rate],
        }
    )


def quarantine_suite(lake: Lake, tier: str, batch_id: str) -> SuiteSpec:
    """Every quarantined record of the partition carries its tier and a reason code the tier
    defines (tiers/schema.py): a new or misspelt code stops the promotion."""
    quarantine = lake.scan_quarantine(tier, batch_id).select("record_id", "tier", "reason").collect()
    return SuiteSpec(
        name=f"{tier}_quarantine",
        expectations=[
            gxe.ExpectColumnValuesToBeInSet(column="tier", value_set=[tier]),
            gxe.ExpectColumnValuesToBeInSet(column="reason", value_set=sorted(QUARANTINE_REASONS[tier])),
        ],
        frames=[for_gx(quarantine)] if quarantine.height else [],
        index_columns=("record_id",),
    )


def _parquet_rows(lake: Lake, tier: str, batch_id: str, pattern: str) -> int:
    folder = lake.partition_dir(tier, batch_id)
    return sum(pq.ParquetFile(p).metadata.num_rows for p in sorted(folder.glob(pattern)))


def _part_frames(
    lake: Lake, tier: str, batch_id: str, expectations: list[Expectation]
) -> Iterator[pd.DataFrame]:
    """The partition's part files as the expectations need them: the columns they judge, every
    other column present by name only (the column-set check) and null, a nested column
    (labels, turns) as whether it is there (only its non-null check reads it)."""
    judged = {getattr(expectation, "column", None) for expectation in expectations}
    for path in lake.record_files(tier, batch_id):
        schema = pl.read_parquet_schema(path)
        columns = [
            _as_judged(name, dtype) if name in judged else pl.lit(None, pl.Boolean).alias(name)
            for name, dtype in schema.items()
        ]
        yield for_gx(pl.scan_parquet(path).select(columns).collect())


def _as_judged(name: str, dtype: pl.DataType) -> pl.Expr:
    if dtype.is_nested():
        return pl.when(pl.col(name).is_not_null()).then(True).alias(name)
    return pl.col(name)


def for_gx(frame: pl.DataFrame) -> pd.DataFrame:
    """A Polars frame as the pandas frame GX validates: strings backed by the same Arrow buffers
    (no Python object per string), numbers and booleans as NumPy (pandas' fast paths)."""
    return frame.to_arrow().to_pandas(types_mapper=_arrow_strings)


def _arrow_strings(kind: pa.DataType) -> pd.ArrowDtype | None:
    return pd.ArrowDtype(kind) if pa.types.is_string(kind) or pa.types.is_large_string(kind) else None


def label_suites(lake: Lake, batch_id: str, source: Source) -> list[SuiteSpec]:
    """The annotated tier's label checks: every entry's task is one the source runs, its value in
    that labeler's label set, its confidence in [0, 1]; each task labels at least
    ``min_label_coverage`` of the batch's records."""
    tasks = ["language", *source.label_tasks]
    known = {task: values for task, (values, _) in label_sets(lake, source.label_tasks).items()}
    allowed = pl.DataFrame(
        [(task, value) for task, values in known.items() for value in values],
        schema={"task": pl.String, "value": pl.String},
        orient="row",
    ).with_columns(in_label_set=pl.lit(True))
    records = lake.scan_records("annotated", batch_id).select("record_id", "labels").collect()
    entries = (
        records.explode("labels")
        .unnest("labels")
        .filter(pl.col("task").is_not_null())
        .join(allowed, on=["task", "value"], how="left")
        .with_columns(in_label_set=pl.col("in_label_set") | (pl.col("task") == "language"))
        .select(
            "record_id", "task", "value", "confidence", in_label_set=pl.col("in_label_set").fill_null(False)
        )
    )
    labelled = entries.group_by("task").agg(records=pl.col("record_id").n_unique())
    coverage = (
        pl.DataFrame({"task": tasks})
        .join(labelled, on="task", how="left")
        .select("task", coverage=pl.col("records").fill_null(0) / max(records.height, 1))
    )
    return [
        SuiteSpec(
            name="annotated_labels",
            expectations=[
                gxe.ExpectColumnValuesToBeInSet(column="task", value_set=tasks),
                gxe.ExpectColumnValuesToBeInSet(column="in_label_set", value_set=[True]),
                gxe.ExpectColumnValuesToBeBetween(column="confidence", min_value=0.0, max_value=1.0),
                gxe.ExpectColumnValuesToNotBeNull(column="value"),
            ],
            frames=[for_gx(entries)],
            index_columns=("record_id", "task", "value"),
        ),
        SuiteSpec(
            name="annotated_label_coverage",
            expectations=[
                gxe.ExpectColumnValuesToBeBetween(column="coverage", min_value=source.min_label_coverage)
            ],
            frames=[coverage.to_pandas()] if records.height else [],
            index_columns=("task",),
        ),
    ]


def agreement_suite(lake: Lake, batch_id: str, source: Source) -> SuiteSpec:
    """Per task where annotators labelled at least ``MIN_AGREEMENT_ITEMS`` of the batch's records
    twice or more, with some variety in their answers: Krippendorff's alpha at or above the
    source's floor for the task. When nearly every answer is the same value, alpha collapses
    towards 0 whatever people do (its expected disagreement vanishes), so such a task is not
    judged."""
    votes = read_votes(lake).filter(pl.col("batch_id") == batch_id)
    report = agreement_report(votes)
    judged = (
        report.filter(
            (pl.col("items") >= MIN_AGREEMENT_ITEMS) & (pl.col("top_value_share") < MAX_TOP_VALUE_SHARE)
        )
        .select("task", "items", "krippendorff_alpha")
        .with_columns(floor=pl.col("task").map_elements(source.agreement_floor, return_dtype=pl.Float64))
        .with_columns(margin=pl.col("krippendorff_alpha") - pl.col("floor"))
        if report.height
        else pl.DataFrame()
    )
    return SuiteSpec(
        name="annotated_agreement",
        expectations=[gxe.ExpectColumnValuesToBeBetween(column="margin", min_value=0.0)],
        frames=[judged.to_pandas()] if judged.height else [],
        index_columns=("task", "items", "krippendorff_alpha", "floor"),
    )


def judge_partition(lake: Lake, tier: str, batch_id: str, source: Source) -> GateResult:
    ids = for_gx(lake.scan_records(tier, batch_id).select("record_id").collect())
    rows = row_expectations(tier, source, batch_id)
    labels = (
        [*label_suites(lake, batch_id, source), agreement_suite(lake, batch_id, source)]
        if tier == "annotated"
        else []
    )
    return run_suites(
        [
            *labels,
            SuiteSpec(
                name=f"{tier}_rows",
                expectations=rows,
                frames=_part_frames(lake, tier, batch_id, rows),
                index_columns=("record_id",),
            ),
            SuiteSpec(
                name=f"{tier}_ids",
                expectations=id_expectations(),
                frames=[ids],
                index_columns=("record_id",),
            ),
            quarantine_suite(lake, tier, batch_id),
            SuiteSpec(
                name=f"{tier}_conservation",
                expectations=conservation_expectations(source.max_quarantine_rate),
                frames=[conservation_frame(lake, tier, batch_id)],
                index_columns=CONSERVATION_COLUMNS,
            ),
        ]
    )
