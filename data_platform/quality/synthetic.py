"""The gate of a synthetic batch: well-formed candidate lines, and measures against the real data
of its slice within the policy (tiers/synthetic_gate.py SyntheticPolicy)."""

from __future__ import annotations

from typing import Any

import great_expectations.expectations as gxe
import polars as pl

from data_platform.lake.store import Lake
from data_platform.quality.gx_runner import GateResult, SuiteSpec, run_suites
from data_platform.quality.suites import for_gx
from data_platform.tiers.synthetic import read_batch, read_validation
from data_platform.tiers.synthetic_gate import SyntheticPolicy


def judge_synthetic(lake: Lake, key: str, policy: SyntheticPolicy | None = None) -> GateResult:
    policy = policy or SyntheticPolicy()
    _, rows, rejected = read_batch(lake, key)
    measures = _measures_frame(read_validation(lake, key), rows.height + rejected.height)
    return run_suites(
        [
            SuiteSpec(
                "synthetic_rows",
                [
                    *(gxe.ExpectColumnValuesToNotBeNull(column=c) for c in ("id", "text", "generator")),
                    gxe.ExpectColumnValuesToBeUnique(column="id"),
                    gxe.ExpectColumnValuesToBeBetween(column="parent_count", min_value=1),
                ],
                [for_gx(rows.with_columns(parent_count=pl.col("parents").list.len()).drop("parents"))],
                index_columns=("line",),
            ),
            SuiteSpec(
                "synthetic_against_real",
                [
                    gxe.ExpectColumnValuesToBeBetween(column="lines_rejected", max_value=0),
                    gxe.ExpectColumnValuesToBeBetween(
                        column="real_records", min_value=policy.min_real_records
                    ),
                    gxe.ExpectColumnValuesToBeBetween(column="candidates", min_value=1),
                    gxe.ExpectColumnValuesToBeBetween(column="length_js", max_value=policy.max_length_js),
                    gxe.ExpectColumnValuesToBeBetween(
                        column="vocabulary_js", max_value=policy.max_vocabulary_js
                    ),
                    gxe.ExpectColumnValuesToBeBetween(column="auc", max_value=policy.max_auc),
                    gxe.ExpectColumnValuesToBeBetween(
                        column="copied_share", max_value=policy.max_copied_share
                    ),
                    gxe.ExpectColumnValuesToBeBetween(
                        column="repeated_share", max_value=policy.max_repeated_share
                    ),
                    gxe.ExpectColumnValuesToBeBetween(column="f1_change", min_value=-policy.max_f1_loss),
                ],
                [for_gx(measures)],
            ),
        ]
    )


def _measures_frame(validation: dict[str, Any], lines: int) -> pl.DataFrame:
    """One row of measures; a measure that could not be taken is null, which GX leaves unjudged,
    except where too few real records or no candidates make the batch unjudgeable (checked)."""
    utility = validation.get("utility")
    candidates = validation["candidates"]
    return pl.DataFrame(
        {
            "lines_rejected": [lines - candidates],
            "real_records": [validation["real_records"]],
            "candidates": [candidates],
            "length_js": [validation["length_js"]],
            "vocabulary_js": [validation["vocabulary_js"]],
            "auc": [validation["auc"]],
            "copied_share": [validation["copied_share"]],
            "repeated_share": [validation["repeated"] / candidates if candidates else 0.0],
            "f1_change": [
                None if utility is None else utility["macro_f1_with"] - utility["macro_f1_without"]
            ],
        },
        schema={
            "lines_rejected": pl.Int64,
            "real_records": pl.Int64,
            "candidates": pl.Int64,
            "length_js": pl.Float64,
            "vocabulary_js": pl.Float64,
            "auc": pl.Float64,
            "copied_share": pl.Float64,
            "repeated_share": pl.Float64,
            "f1_change": pl.Float64,
        },
    )
