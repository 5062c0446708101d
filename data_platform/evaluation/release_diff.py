"""What changed between two releases, record by record, and why.

A record is ``added`` (in the later release only), ``removed`` (in the earlier only) or
``changed`` (in both, with another record hash: relabelled, or redacted differently). Each gets
a reason: a removed record the later release left out carries that release's reason code
(licence, takedown, label_policy, under_review, release_scan, duplicate_alternate,
synthetic_cap, superseded); one whose batch the later release did not include says so; an added
record comes from a new batch, or was left out of the earlier release (``admitted``, with the
earlier reason as detail). Per source, per language and per label the counts of both sides stand side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from data_platform.evaluation.profile import label_rows

DIFF_COLUMNS = ["record_id", "batch_id", "source_id", "lang", "labels", "record_sha256"]
LEFT_OUT_SCHEMA = {
    "record_id": pl.String,
    "batch_id": pl.String,
    "source_id": pl.String,
    "reason": pl.String,
    "detail": pl.String,
}
CHANGE_SCHEMA = {
    "record_id": pl.String,
    "source_id": pl.String,
    "change": pl.String,
    "reason": pl.String,
    "detail": pl.String,
}


@dataclass(frozen=True)
class ReleaseSide:
    """One release as a diff reads it: records (DIFF_COLUMNS), the records it left out
    (LEFT_OUT_SCHEMA), the batches it included and those it excluded with why."""

    version: str
    records: pl.DataFrame
    left_out: pl.DataFrame
    batches: list[str]
    excluded_batches: dict[str, str]


@dataclass(frozen=True)
class ReleaseDiff:
    earlier: str
    later: str
    changes: pl.DataFrame  # CHANGE_SCHEMA: one row per added, removed or changed record
    by_source: pl.DataFrame  # source_id, earlier, later, added, removed, changed
    languages: pl.DataFrame  # lang, earlier, later, delta
    labels: pl.DataFrame  # task, value, earlier, later, delta

    def summary(self) -> dict[str, Any]:
        """The manifest's ``diff_from_parent`` section: counts per change and reason, per source,
        and the language and label values whose counts moved."""
        reasons = self.changes.group_by("change", "reason").len().sort("change", "reason")
        per_change: dict[str, dict[str, int]] = {}
        for change, reason, count in reasons.iter_rows():
            per_change.setdefault(change, {})[reason] = int(count)
        return {
            "parent": self.earlier,
            "added": per_change.get("added", {}),
            "removed": per_change.get("removed", {}),
            "changed": per_change.get("changed", {}),
            "by_source": {row.pop("source_id"): row for row in self.by_source.to_dicts()},
            "languages": {
                row["lang"]: [row["earlier"], row["later"]] for row in _moved(self.languages).to_dicts()
            },
            "labels": [
                {"task": r["task"], "value": r["value"], "earlier": r["earlier"], "later": r["later"]}
                for r in _moved(self.labels).to_dicts()
            ],
        }


def release_diff(earlier: ReleaseSide, later: ReleaseSide) -> ReleaseDiff:
    changes = pl.concat([_removed(earlier, later), _added(earlier, later), _changed(earlier, later)])
    return ReleaseDiff(
        earlier.version,
        later.version,
        changes.sort("change", "record_id"),
        _by_source(earlier, later, changes),
        _side_by_side(_language_counts(earlier.records), _language_counts(later.records), ["lang"]),
        _side_by_side(_label_counts(earlier.records), _label_counts(later.records), ["task", "value"]),
    )


def _removed(earlier: ReleaseSide, later: ReleaseSide) -> pl.DataFrame:
    gone = earlier.records.join(later.records, on="record_id", how="anti").select(
        "record_id", "source_id", "batch_id"
    )
    excluded = pl.DataFrame(
        {"batch_id": list(later.excluded_batches), "why": list(later.excluded_batches.values())},
        schema={"batch_id": pl.String, "why": pl.String},
    )
    explained = gone.join(_one_reason_each(later.left_out), on="record_id", how="left").join(
        excluded, on="batch_id", how="left"
    )
    reason = (
        pl.when(pl.col("reason").is_not_null())
        .then("reason")
        .when(pl.col("why").is_not_null())
        .then(pl.lit("batch_excluded"))
        .when(~pl.col("batch_id").is_in(later.batches))
        .then(pl.lit("batch_gone"))
        .otherwise(pl.lit("left_the_annotated_tier"))
    )
    return explained.select(
        "record_id", "source_id", change=pl.lit("removed"), reason=reason, detail=pl.coalesce("detail", "why")
    )


def _added(earlier: ReleaseSide, later: ReleaseSide) -> pl.DataFrame:
    new = later.records.join(earlier.records, on="record_id", how="anti").select(
        "record_id", "source_id", "batch_id"
    )
    explained = new.join(_one_reason_each(earlier.left_out).drop("detail"), on="record_id", how="left")
    reason = (
        pl.when(~pl.col("batch_id").is_in(earlier.batches))
        .then(pl.lit("new_batch"))
        .when(pl.col("reason").is_not_null())
        .then(pl.lit("admitted"))
        .otherwise(pl.lit("entered_the_annotated_tier"))
    )
    detail = pl.when(reason == "admitted").then(
        pl.format("left out of {}: {}", pl.lit(earlier.version), "reason")
    )
    return explained.select("record_id", "source_id", change=pl.lit("added"), reason=reason, detail=detail)


def _one_reason_each(left_out: pl.DataFrame) -> pl.DataFrame:
    """record_id, reason, detail: why the release lacks a record. A record delivered twice can
    be left out twice (its older copy superseded, its latest copy refused): the latest's counts."""
    ranked = left_out.sort(pl.col("reason") == "superseded", "reason", "detail", nulls_last=True)
    return ranked.unique("record_id", keep="first", maintain_order=True).select(
        "record_id", "reason", "detail"
    )


def _changed(earlier: ReleaseSide, later: ReleaseSide) -> pl.DataFrame:
    both = earlier.records.select("record_id", "record_sha256", "labels").join(
        later.records.select("record_id", "source_id", "record_sha256", "labels"),
        on="record_id",
        suffix="_later",
    )
    moved = both.filter(pl.col("record_sha256") != pl.col("record_sha256_later"))
    reason = (
        pl.when(pl.col("labels") != pl.col("labels_later"))
        .then(pl.lit("relabelled"))
        .otherwise(pl.lit("content"))
    )
    return moved.select(
        "record_id", "source_id", change=pl.lit("changed"), reason=reason, detail=pl.lit(None, pl.String)
    )


def _by_source(earlier: ReleaseSide, later: ReleaseSide, changes: pl.DataFrame) -> pl.DataFrame:
    sizes = _side_by_side(
        earlier.records.group_by("source_id").len("n"),
        later.records.group_by("source_id").len("n"),
        ["source_id"],
    ).drop("delta")
    moves = changes.group_by("source_id").agg(
        *(pl.col("change").eq(kind).sum().alias(kind) for kind in ("added", "removed", "changed"))
    )
    return sizes.join(moves, on="source_id", how="left").fill_null(0).sort("source_id")


def _language_counts(records: pl.DataFrame) -> pl.DataFrame:
    return records.group_by("lang").len("n")


def _label_counts(records: pl.DataFrame) -> pl.DataFrame:
    return label_rows(records).group_by("task", "value").len("n")


def _side_by_side(earlier: pl.DataFrame, later: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    joined = earlier.rename({"n": "earlier"}).join(
        later.rename({"n": "later"}), on=keys, how="full", coalesce=True, nulls_equal=True
    )
    counts = joined.with_columns(pl.col("earlier", "later").fill_null(0).cast(pl.Int64))
    return counts.with_columns(delta=pl.col("later") - pl.col("earlier")).sort(keys, nulls_last=True)


def _moved(table: pl.DataFrame) -> pl.DataFrame:
    return table.filter(pl.col("delta") != 0)


def describe_diff(diff: ReleaseDiff, top: int = 10) -> str:
    """The diff for a terminal: counts per change and reason, per source, and the language and
    label values that moved most."""
    summary = diff.summary()
    lines = [f"{diff.earlier} -> {diff.later}"]
    for change in ("added", "removed", "changed"):
        reasons = summary[change]
        detail = ", ".join(f"{n:,} {reason}" for reason, n in sorted(reasons.items(), key=lambda r: -r[1]))
        lines.append(f"  {change}: {sum(reasons.values()):,}" + (f" ({detail})" if detail else ""))
    lines.append("  per source (earlier -> later, +added -removed ~changed):")
    for row in diff.by_source.to_dicts():
        lines.append(
            f"    {row['source_id']}: {row['earlier']:,} -> {row['later']:,} "
            f"(+{row['added']:,} -{row['removed']:,} ~{row['changed']:,})"
        )
    for title, table, keys in (
        ("languages", diff.languages, ["lang"]),
        ("labels", diff.labels, ["task", "value"]),
    ):
        moved = _moved(table).sort(pl.col("delta").abs(), descending=True).head(top)
        if moved.height:
            lines.append(f"  {title} that moved most:")
            for row in moved.to_dicts():
                name = "=".join(str(row[k]) for k in keys)
                lines.append(f"    {name}: {row['earlier']:,} -> {row['later']:,} ({row['delta']:+,})")
    return "\n".join(lines)
