"""Where a model fails: slice finding over its feedback, and the collection requests it leads to.

Each report becomes a row of categorical attributes: the expected label, the language, source and
length band of the record (from the release it names, where the record is in it), and the
reporter's own tags. SliceLine (Sagadeeva and Boehm, SIGMOD 2021; the ``sliceline`` package)
finds the conjunctions of attribute values whose error rate is well above the average and that
are large enough to matter. Each slice found becomes a collection request: its conditions, how
many records to collect, and the evidence.

SliceLine needs right predictions as well as wrong ones: where a model's reports are all errors,
the records of the release they name that were labelled for the task stand in as the population
(no report: no known error), so a slice's error rate is errors over records of that slice.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass

import numpy as np
import polars as pl
from sliceline.slicefinder import Slicefinder

from data_platform.evaluation.feedback import is_error
from data_platform.evaluation.profile import label_rows
from data_platform.sources.schema import content_text

LENGTH_BANDS = (0, 20, 50, 100, 200, 500)
MIN_SLICE = 10  # records a slice must hold to be reported
TOP_SLICES = 5
MAX_CONDITIONS = 2
ALPHA = 0.95  # SliceLine's weight of error over size
# Records asked for per error seen in a slice, and the least a request asks for: enough labelled
# examples of the slice to retrain on, in proportion to how often the model fails there.
RECORDS_PER_ERROR = 5
MIN_REQUEST = 50
REQUEST_SCHEMA = {
    "request_id": pl.String,
    "model": pl.String,
    "task": pl.String,
    "slice": pl.String,
    "conditions": pl.String,  # JSON object: attribute -> value
    "target_count": pl.Int64,
    "errors": pl.Int64,
    "slice_size": pl.Int64,
    "slice_error_rate": pl.Float64,
    "average_error_rate": pl.Float64,
    "evidence": pl.String,
    "baseline": pl.Int64,  # records of the slice in the release the reports named (0: none)
    "status": pl.String,  # open, or met: a release held baseline + target_count of the slice
    "met_in": pl.String,
}


@dataclass(frozen=True)
class Population:
    attributes: pl.DataFrame  # one categorical column per attribute, one row per item
    errors: np.ndarray  # 1.0 where the model was wrong


def population(reports: pl.DataFrame, released: pl.DataFrame | None) -> Population:
    """The items slice finding runs over, for one model and task: its reports, joined to the
    released records they name; padded with the task's other released records when every
    report is an error."""
    errors = is_error(reports).cast(pl.Float64)
    items = _attributes(reports.with_columns(errors), released)
    if released is not None and errors.min() == 1.0:
        task = reports["task"][0]
        labelled = label_rows(released).filter(pl.col("task") == task).unique("record_id", keep="first")
        others = labelled.join(reports.select("record_id").drop_nulls(), on="record_id", how="anti")
        padding = others.select("record_id", expected="value", error=pl.lit(0.0))
        items = pl.concat([items, _attributes(padding, released)], how="diagonal_relaxed")
    attributes = items.drop("error").fill_null("(unknown)")
    return Population(attributes, items["error"].to_numpy())


def error_slices(items: Population, top: int = TOP_SLICES, min_size: int = MIN_SLICE) -> pl.DataFrame:
    """The slices SliceLine scores highest: conditions, size, errors and error rate."""
    schema = {
        "conditions": pl.String,
        "size": pl.Int64,
        "errors": pl.Int64,
        "error_rate": pl.Float64,
        "score": pl.Float64,
    }
    if len(items.errors) < min_size or items.errors.sum() == 0 or items.errors.min() == 1.0:
        return pl.DataFrame(schema=schema)
    finder = Slicefinder(alpha=ALPHA, k=top, max_l=MAX_CONDITIONS, min_sup=min_size, verbose=False)
    finder.fit(items.attributes.to_numpy().astype(object), items.errors)
    rows = []
    for values, stats in zip(finder.top_slices_, finder.top_slices_statistics_, strict=True):
        conditions = {c: v for c, v in zip(items.attributes.columns, values, strict=True) if v is not None}
        if conditions and stats["slice_score"] > 0:
            rows.append(
                (
                    json.dumps(conditions, sort_keys=True),
                    int(stats["slice_size"]),
                    int(stats["sum_slice_error"]),
                    float(stats["slice_average_error"]),
                    float(stats["slice_score"]),
                )
            )
    return pl.DataFrame(rows, schema=schema, orient="row")


def collection_requests(
    slices: pl.DataFrame,
    model: str,
    task: str,
    items: Population,
    evidence: str,
    released: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One open request per slice: collect RECORDS_PER_ERROR records per error seen there."""
    average = float(items.errors.mean()) if len(items.errors) else 0.0
    in_release = None if released is None else release_attributes(released, task)
    rows = []
    for row in slices.to_dicts():
        conditions = json.loads(row["conditions"])
        baseline = 0 if in_release is None else slice_count(in_release, conditions) or 0
        name = " AND ".join(f"{k}={v}" for k, v in sorted(conditions.items()))
        rows.append(
            (
                hashlib.sha256(f"{model}\x1f{task}\x1f{row['conditions']}".encode()).hexdigest()[:16],
                model,
                task,
                name,
                row["conditions"],
                max(MIN_REQUEST, math.ceil(row["errors"] * RECORDS_PER_ERROR)),
                row["errors"],
                row["size"],
                row["error_rate"],
                average,
                evidence,
                baseline,
                "open",
                None,
            )
        )
    return pl.DataFrame(rows, schema=REQUEST_SCHEMA, orient="row")


def release_attributes(records: pl.DataFrame, task: str) -> pl.DataFrame:
    """The attributes a slice can name, for released records: the task's label value as
    ``expected``, language, source and length band (reporter tags are not in a release)."""
    value = pl.col("labels").list.filter(pl.element().struct.field("task") == task).list.first()
    return records.select(
        expected=value.struct.field("value"),
        language="lang",
        source="source_id",
        length=_band(content_text().str.len_chars()),
    )


def slice_count(attributes: pl.DataFrame, conditions: dict[str, str]) -> int | None:
    """Records matching every condition; None when a condition names an attribute the records
    lack (a reporter's tag), so the slice cannot be counted there."""
    mask = _matching(attributes, conditions)
    return None if mask is None else int(mask.sum())


def slice_members(records: pl.DataFrame, task: str, conditions: dict[str, str]) -> pl.Series | None:
    """The record ids of ``records`` (release columns) in the slice, or None when it names a tag."""
    mask = _matching(release_attributes(records, task), conditions)
    return None if mask is None else records["record_id"].filter(mask)


def _matching(attributes: pl.DataFrame, conditions: dict[str, str]) -> pl.Series | None:
    if not set(conditions) <= set(attributes.columns):
        return None
    matches = pl.all_horizontal([pl.col(name) == value for name, value in conditions.items()])
    return attributes.select(matches.fill_null(False).alias("in_slice"))["in_slice"]


def request_coverage(requests: pl.DataFrame, records: pl.DataFrame) -> list[dict[str, object]]:
    """Per open request its slice's records in ``records`` and whether that meets it (baseline +
    target_count); requests whose slice names a tag are left out (they cannot be counted)."""
    coverage = []
    for (task,), open_requests in requests.filter(pl.col("status") == "open").group_by(
        "task", maintain_order=True
    ):
        attributes = release_attributes(records, str(task))
        for request in open_requests.to_dicts():
            count = slice_count(attributes, json.loads(request["conditions"]))
            if count is None:
                continue
            wanted = request["baseline"] + request["target_count"]
            coverage.append(
                {
                    "request_id": request["request_id"],
                    "model": request["model"],
                    "task": request["task"],
                    "slice": request["slice"],
                    "wanted": wanted,
                    "records": count,
                    "met": count >= wanted,
                }
            )
    return coverage


def requests_served(requests: pl.DataFrame, serves: tuple[str, ...]) -> int:
    """How many open requests name a condition (``attribute=value``) among ``serves``."""
    if not serves:
        return 0
    open_conditions = requests.filter(pl.col("status") == "open")["conditions"]
    return sum(
        any(f"{name}={value}" in serves for name, value in json.loads(conditions).items())
        for conditions in open_conditions
    )


def mark_met(requests: pl.DataFrame, met_in: dict[str, str]) -> pl.DataFrame:
    """Requests with ``met_in`` (request id -> first release that met it) applied."""
    found = pl.DataFrame(
        {"request_id": list(met_in), "_met_in": list(met_in.values())},
        schema={"request_id": pl.String, "_met_in": pl.String},
    )
    marked = requests.join(found, on="request_id", how="left").with_columns(
        met_in=pl.coalesce("met_in", "_met_in")
    )
    status = pl.when(pl.col("met_in").is_not_null()).then(pl.lit("met")).otherwise("status")
    return marked.with_columns(status=status).select(list(REQUEST_SCHEMA))


def merge_requests(existing: pl.DataFrame, found: pl.DataFrame) -> pl.DataFrame:
    """The requests after new findings: a slice found again keeps its status, baseline and the
    release that met it, and takes the new evidence and target; a new slice opens a request;
    nothing is dropped."""
    lasting = ("status", "baseline", "met_in")
    kept = existing.join(found.select("request_id"), on="request_id", how="anti")
    earlier = existing.select("request_id", *lasting)
    renewed = found.join(earlier, on="request_id", how="left", suffix="_was")
    renewed = renewed.with_columns(pl.coalesce(f"{name}_was", name).alias(name) for name in lasting)
    return pl.concat([kept, renewed.select(list(REQUEST_SCHEMA))]).sort("request_id")


def _attributes(items: pl.DataFrame, released: pl.DataFrame | None) -> pl.DataFrame:
    """expected label, language, source, length band and tags per item (null where unknown)."""
    frame = items.select(
        "record_id", "expected", "error", *(["text", "tags"] if "tags" in items.columns else [])
    )
    if released is not None:
        known = released.select(
            "record_id",
            pl.col("lang").alias("language"),
            pl.col("source_id").alias("source"),
            content_text().str.len_chars().alias("_length"),
        )
        frame = frame.join(known, on="record_id", how="left")
    else:
        frame = frame.with_columns(
            language=pl.lit(None, pl.String), source=pl.lit(None, pl.String), _length=pl.lit(None, pl.Int64)
        )
    if "text" in frame.columns:
        frame = frame.with_columns(_length=pl.coalesce("_length", pl.col("text").str.len_chars()))
    frame = frame.with_columns(length=_band(pl.col("_length")))
    tags = _tag_columns(frame["tags"]) if "tags" in frame.columns else pl.DataFrame()
    base = frame.select("expected", "language", "source", "length", "error")
    return pl.concat([base, tags], how="horizontal") if tags.width else base


def _tag_columns(tags: pl.Series) -> pl.DataFrame:
    decoded = tags.fill_null("{}").str.json_decode(infer_schema_length=None)
    if not isinstance(decoded.dtype, pl.Struct) or not decoded.dtype.fields:
        return pl.DataFrame()
    return decoded.struct.unnest().select(pl.all().cast(pl.String).name.prefix("tag:"))


def _band(length: pl.Expr) -> pl.Expr:
    band = pl.lit(f"{LENGTH_BANDS[-1]}+")
    for low, high in reversed(list(zip(LENGTH_BANDS, LENGTH_BANDS[1:], strict=False))):
        band = pl.when(length < high).then(pl.lit(f"{low}-{high - 1}")).otherwise(band)
    return pl.when(length.is_null()).then(pl.lit(None, pl.String)).otherwise(band)
