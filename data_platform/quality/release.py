"""The release gate's GX suites, run on the files of a cut release: unique ids and record
hashes, value sets; per record no structured PII left in the text, nothing the independent
release scan flags, a licence the profile admits, no takedown match and a complete provenance
chain; and conservation: records in (the included annotated partitions) = released +
superseded + refused by licence + taken down + duplicate alternates left out + held back by
the label policy or the release scan."""

from __future__ import annotations

from typing import Any

import great_expectations.expectations as gxe
import pandas as pd
import polars as pl
import pyarrow.parquet as pq

from data_platform.governance.release_checks import governance_frame
from data_platform.lake.releases import read_manifest, release_dir
from data_platform.lake.store import Lake
from data_platform.quality.gx_runner import GateResult, SuiteSpec, run_suites
from data_platform.quality.suites import SHA256_HEX
from data_platform.sources.schema import KINDS


def judge_release(store: Lake, version: str) -> tuple[GateResult, dict[str, int]]:
    """The suites' result on release ``version``, and its records in and released."""
    manifest = read_manifest(store, version)
    records = pl.read_parquet(sorted(release_dir(store, version).glob("records-*.parquet")))
    records_in = sum(
        pq.ParquetFile(path).metadata.num_rows
        for batch in manifest["batches"]
        for path in store.record_files("annotated", batch["batch_id"])
    )
    result = run_suites(
        [
            _row_suite(records),
            _governance_suite(store, records, manifest),
            _conservation_suite(records_in, _records_accounted(manifest, records.height)),
        ]
    )
    return result, {"records_in": records_in, "released": records.height}


def _row_suite(records: pl.DataFrame) -> SuiteSpec:
    return SuiteSpec(
        name="released_rows",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(column="record_id"),
            gxe.ExpectColumnValuesToBeUnique(column="record_id"),
            gxe.ExpectColumnValuesToMatchRegex(column="record_sha256", regex=SHA256_HEX),
            gxe.ExpectColumnValuesToNotBeNull(column="licence"),
            gxe.ExpectColumnValuesToNotBeNull(column="consent"),
            gxe.ExpectColumnValuesToBeInSet(column="kind", value_set=list(KINDS)),
        ],
        frames=[records.select("record_id", "record_sha256", "licence", "consent", "kind").to_pandas()],
        index_columns=("record_id",),
    )


def _governance_suite(store: Lake, records: pl.DataFrame, manifest: dict[str, Any]) -> SuiteSpec:
    return SuiteSpec(
        name="released_governance",
        expectations=[
            gxe.ExpectColumnValuesToBeBetween(column="structured_pii", min_value=0, max_value=0),
            gxe.ExpectColumnValuesToBeNull(column="release_scan"),
            gxe.ExpectColumnValuesToBeNull(column="licence_refused"),
            gxe.ExpectColumnValuesToBeNull(column="takedown_request"),
            gxe.ExpectColumnValuesToBeNull(column="provenance_gap"),
        ],
        frames=[governance_frame(store, records, manifest).to_pandas()],
        index_columns=("record_id",),
    )


def _records_accounted(manifest: dict[str, Any], released: int) -> int:
    """Released records plus every record the manifest says was left out, and why."""
    return (
        released
        + manifest["superseded_records"]
        + sum(manifest["refused_by_licence"].values())
        + sum(manifest["taken_down"].values())
        + manifest["duplicate_alternates"]["left_out"]
        + sum(manifest["label_policy"]["held_back"].values())
        + sum(manifest["label_policy"]["under_review"].values())
        + sum(manifest["release_scan"]["held_back"].values())
    )


def _conservation_suite(records_in: int, accounted: int) -> SuiteSpec:
    return SuiteSpec(
        name="released_conservation",
        expectations=[
            gxe.ExpectColumnPairValuesToBeEqual(column_A="records_in", column_B="records_accounted")
        ],
        frames=[pd.DataFrame({"records_in": [records_in], "records_accounted": [accounted]})],
    )
