"""The gate of a feedback partition: every kept report usable for slice finding, and most of the
file's lines kept (a file that is mostly rejected points at a broken exporter)."""

from __future__ import annotations

import great_expectations.expectations as gxe
import polars as pl

from data_platform.evaluation.feedback import KINDS, REQUIRED
from data_platform.lake.store import Lake
from data_platform.quality.gx_runner import GateResult, SuiteSpec, run_suites
from data_platform.quality.suites import for_gx
from data_platform.tiers.feedback import read_reports

MAX_REJECTED_SHARE = 0.5


def judge_feedback(lake: Lake, key: str) -> GateResult:
    reports, rejected = read_reports(lake, key)
    rows = reports.with_columns(
        names_a_record=pl.col("record_id").is_not_null() | pl.col("text").is_not_null()
    )
    lines = reports.height + rejected.height
    counts = pl.DataFrame({"lines": [lines], "rejected_share": [rejected.height / lines if lines else 1.0]})
    return run_suites(
        [
            SuiteSpec(
                "feedback_rows",
                [
                    *(gxe.ExpectColumnValuesToNotBeNull(column=c) for c in REQUIRED),
                    gxe.ExpectColumnValuesToBeInSet(column="kind", value_set=list(KINDS)),
                    gxe.ExpectColumnValuesToBeInSet(column="names_a_record", value_set=[True]),
                    gxe.ExpectColumnValuesToBeUnique(column="report_id"),
                ],
                [for_gx(rows)],
                index_columns=("origin_file", "origin_line"),
            ),
            SuiteSpec(
                "feedback_kept",
                [
                    gxe.ExpectColumnValuesToBeBetween(column="lines", min_value=1),
                    gxe.ExpectColumnValuesToBeBetween(
                        column="rejected_share", min_value=0.0, max_value=MAX_REJECTED_SHARE
                    ),
                ],
                [for_gx(counts)],
            ),
        ]
    )
