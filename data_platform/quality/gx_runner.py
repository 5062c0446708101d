"""Run Great Expectations suites over frames read from the stored Parquet, part by part.

GX 1.24's SQL data source cannot read DuckDB in this stack (rows come back empty, see
docs/architecture.md), so GX validates pandas frames. Row-level suites run on one part file at
a time so memory stays bounded; the results of all parts are merged per expectation.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.expectations import Expectation

MAX_EXAMPLES = 5
for _name in ("great_expectations", "great_expectations.data_context.types.base"):
    logging.getLogger(_name).setLevel(logging.WARNING)


@dataclass(frozen=True)
class SuiteSpec:
    """A named suite and the frames it judges (one or many parts of a partition)."""

    name: str
    expectations: list[Expectation]
    frames: Iterable[pd.DataFrame]
    index_columns: tuple[str, ...] = ()


@dataclass
class ExpectationOutcome:
    suite: str
    expectation: str
    column: str | None
    success: bool = True
    element_count: int = 0
    unexpected_count: int = 0
    observed: Any = None
    examples: list[Any] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "expectation": self.expectation,
            "column": self.column,
            "success": self.success,
            "element_count": self.element_count,
            "unexpected_count": self.unexpected_count,
            "observed": self.observed,
            "examples": self.examples,
            "error": self.error,
        }

    @property
    def label(self) -> str:
        where = f"({self.column})" if self.column else ""
        return f"{self.suite}.{self.expectation}{where}"


@dataclass(frozen=True)
class GateResult:
    passed: bool
    outcomes: list[ExpectationOutcome]

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    def summary(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "evaluated_expectations": len(self.outcomes),
            "failed_expectations": [o.label for o in self.failed],
        }


def run_suites(specs: list[SuiteSpec]) -> GateResult:
    """Validate every spec in one ephemeral GX context; a suite fails if any part fails."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("lake_frames")
    outcomes: list[ExpectationOutcome] = []
    for spec in specs:
        batch = source.add_dataframe_asset(spec.name).add_batch_definition_whole_dataframe("part")
        suite = context.suites.add(gx.ExpectationSuite(name=spec.name, expectations=spec.expectations))
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{spec.name}_validation", data=batch, suite=suite)
        )
        result_format: dict[str, Any] = {"result_format": "SUMMARY"}
        if spec.index_columns:
            result_format["unexpected_index_column_names"] = list(spec.index_columns)
        merged: dict[int, ExpectationOutcome] = {}
        for frame in spec.frames:
            result = validation.run(batch_parameters={"dataframe": frame}, result_format=result_format)
            for position, item in enumerate(result.results):
                _merge(merged, position, spec.name, item, index_columns=spec.index_columns)
        outcomes.extend(merged[k] for k in sorted(merged))
    return GateResult(passed=all(o.success for o in outcomes), outcomes=outcomes)


def _merge(
    merged: dict[int, ExpectationOutcome],
    position: int,
    suite: str,
    item: Any,
    *,
    index_columns: tuple[str, ...],
) -> None:
    config = item.expectation_config
    outcome = merged.setdefault(
        position,
        ExpectationOutcome(suite=suite, expectation=config.type, column=config.kwargs.get("column")),
    )
    details = item.result or {}
    outcome.success = outcome.success and bool(item.success)
    outcome.element_count += int(details.get("element_count") or 0)
    outcome.unexpected_count += int(details.get("unexpected_count") or 0)
    if "observed_value" in details:
        outcome.observed = _plain(details["observed_value"])
    # Example rows name the failing rows by the suite's index columns (record ids, tasks) and
    # never carry the values that failed: those may be personal data (an e-mail in a language
    # column), and examples reach check descriptions and the run's event log. A suite without
    # index columns shows failing values only when they are numbers.
    if index_columns:
        found = details.get("partial_unexpected_index_list") or []
        examples: list[Any] = [
            {name: row.get(name) for name in index_columns} for row in found if isinstance(row, dict)
        ]
    else:
        found = details.get("partial_unexpected_list") or []
        examples = [
            value for value in found if isinstance(value, int | float) and not isinstance(value, bool)
        ]
    room = MAX_EXAMPLES - len(outcome.examples)
    outcome.examples.extend(_plain(e) for e in examples[: max(room, 0)])
    info = item.exception_info or {}
    if info.get("raised_exception"):
        outcome.error = str(info.get("exception_message"))


def _plain(value: Any) -> Any:
    """Make numpy scalars and tuples JSON-friendly for Dagster metadata."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value
