"""Human labels: Label Studio exports imported into the lake, and what annotators agreed on.

Imports live under ``<lake>/_annotation/human/<import_id>.parquet`` (``import_id``: the first
16 hex digits of the export file's sha256, so importing a file twice changes nothing). One row
per record, label task and annotation (``VOTE_SCHEMA``): the values chosen, the annotator, when,
the round the task came from and why it was picked, and the record's text and batch as the
annotated tier holds them (so labelers can learn from it without reading the tier again).

``consensus`` turns votes into labels: each annotator's latest answer counts once; a value is
confirmed when more than half of the record's annotators chose it (single-label tasks: the
winner; multi-label tasks: every such value), with the share who chose it as its confidence.
A record and task without a strict majority is ``disputed``: it gets no human label and goes to
review. ``human_entries`` gives the confirmed labels as ``labels`` entries (labeler
``human:label-studio``, version the import that completed the majority, ``human_confirmed``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from data_platform.annotation.agreement import agreement_by, annotator_scores, distribution_drift
from data_platform.annotation.labelers import LABEL
from data_platform.errors import InputFileError, describe_error
from data_platform.interchange.label_studio import read_export
from data_platform.lake.atomic import write_parquet_atomic
from data_platform.lake.store import Lake
from data_platform.sources.schema import content_text

FOLDER = "_annotation/human"
INBOX = "_annotation/inbox"
REJECTED = "_annotation/rejected"
HUMAN_LABELER = "human:label-studio"
VOTE_SCHEMA: dict[str, pl.DataType] = {
    "record_id": pl.String(),
    "task": pl.String(),
    "values": pl.List(pl.String()),
    "annotator": pl.String(),
    "annotation_id": pl.String(),
    "annotated_at": pl.String(),
    "round": pl.String(),
    "reason": pl.String(),
    "import_id": pl.String(),
    "batch_id": pl.String(),
    "text": pl.String(),
}
VOTE_DESCRIPTIONS = {
    "record_id": "The annotated record the answer is about",
    "task": "Label task (a Choices block of the labeling config)",
    "values": "Values the annotator chose (one for single-label tasks)",
    "annotator": "Label Studio user: e-mail where the export gives one, else label-studio:<user id>",
    "annotation_id": "Label Studio's annotation id",
    "annotated_at": "When the annotation was last updated (Label Studio's time stamp)",
    "round": "Active-learning round the task was exported in",
    "reason": "Why the round picked the record: the strategy, or review:<flag reason>",
    "import_id": "sha256 prefix of the export file the answer came from",
    "batch_id": "Batch partition of the record",
    "text": "The record's text as annotators saw it (redacted; turns joined)",
}
# label task -> (label set, multi-label)
LabelSets = Mapping[str, tuple[tuple[str, ...], bool]]


@dataclass(frozen=True)
class ImportResult:
    import_id: str
    path: Path
    votes: int
    records: int
    annotators: int
    new: bool


def human_dir(lake: Lake) -> Path:
    return lake.root / FOLDER


def inbox_dir(lake: Lake) -> Path:
    """Where completed Label Studio exports are dropped (JSON files) for the sensor to import."""
    return lake.root / INBOX


def pending_exports(lake: Lake) -> list[Path]:
    """Inbox files not imported yet (by content), oldest first; a file that vanishes while it
    is listed is skipped."""
    done = {p.stem for p in human_dir(lake).glob("*.parquet")}
    listed = []
    for path in inbox_dir(lake).glob("*.json"):
        try:
            listed.append(((path.lstat().st_mtime_ns, path.name), path, _import_id(path)))
        except OSError:
            continue
    return [path for _, path, import_id in sorted(listed) if import_id not in done]


def import_inbox(lake: Lake, label_sets: LabelSets) -> tuple[list[ImportResult], dict[str, str]]:
    """Import every pending export; one that cannot be imported, whatever is wrong inside it,
    moves to ``_annotation/rejected/`` beside a ``.error.txt`` saying why (file, record and
    field where it can), and the others are still imported: one bad file never blocks the inbox."""
    imported, rejected = [], {}
    for path in pending_exports(lake):
        try:
            if path.is_symlink():
                raise InputFileError(str(path), None, "-", "a symlink: drop the export file itself")
            imported.append(import_export(lake, path, label_sets))
        except Exception as exc:  # noqa: BLE001 - any fault of the file is the file's, not the inbox's
            why = (
                str(exc)
                if isinstance(exc, InputFileError)
                else f"{path}: cannot be imported ({describe_error(exc)})"
            )
            folder = lake.root / REJECTED
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{path.name}.error.txt").write_text(why + "\n", encoding="utf-8")
            path.replace(folder / path.name)
            rejected[path.name] = why
    return imported, rejected


def _import_id(export: Path) -> str:
    """The first 16 hex digits of the file's sha256 (a symlink is hashed as its target name, so
    it is listed, then refused, without reading what it points to)."""
    content = os.readlink(export).encode() if export.is_symlink() else export.read_bytes()
    return hashlib.sha256(content).hexdigest()[:16]


def import_export(lake: Lake, export: Path, label_sets: LabelSets) -> ImportResult:
    """Check a Label Studio JSON export against the label sets and the annotated tier, then store
    its votes. Nothing is stored when any answer is invalid (the error names file, record, field)."""
    import_id = _import_id(export)
    target = human_dir(lake) / f"{import_id}.parquet"
    if target.exists():
        votes = pl.read_parquet(target)
        return _result(import_id, target, votes, new=False)
    answers = read_export(export, "record_id", carry=("round", "reason"))
    _check_answers(export, answers, label_sets)
    records = annotated_texts(lake, answers["key"].unique())
    missing = answers.join(records, left_on="key", right_on="record_id", how="anti")
    if missing.height:
        raise InputFileError(
            str(export),
            None,
            f"record {missing['key'][0]}: data.record_id",
            "not a record of the annotated tier",
        )
    votes = (
        answers.join(records, left_on="key", right_on="record_id")
        .select(
            record_id="key",
            task="from_name",
            values=pl.col("choices").list.sort(),
            annotator="annotator",
            annotation_id="annotation_id",
            annotated_at="at",
            round="round",
            reason="reason",
            import_id=pl.lit(import_id),
            batch_id="batch_id",
            text="text",
        )
        .cast(pl.Schema(VOTE_SCHEMA))
    )
    write_parquet_atomic(target, votes)
    return _result(import_id, target, votes, new=True)


def _result(import_id: str, path: Path, votes: pl.DataFrame, *, new: bool) -> ImportResult:
    return ImportResult(
        import_id, path, votes.height, votes["record_id"].n_unique(), votes["annotator"].n_unique(), new
    )


def _check_answers(export: Path, answers: pl.DataFrame, label_sets: LabelSets) -> None:
    for row in answers.iter_rows(named=True):
        where = f"record {row['key']}: annotations[{row['annotation_id']}]"
        task = row["from_name"]
        if task not in label_sets:
            known = ", ".join(sorted(label_sets))
            raise InputFileError(
                str(export), None, f"{where}.from_name", f"{task!r} is not a label task ({known})"
            )
        label_set, multi_label = label_sets[task]
        unknown = sorted(set(row["choices"]) - set(label_set))
        if unknown:
            raise InputFileError(str(export), None, f"{where}.{task}", f"{unknown} not in the label set")
        if not multi_label and len(row["choices"]) > 1:
            raise InputFileError(str(export), None, f"{where}.{task}", "one label expected, several chosen")


def annotated_texts(lake: Lake, record_ids: pl.Series) -> pl.DataFrame:
    """record_id, batch_id and text (turns joined) of the given records, from every annotated
    partition."""
    wanted = record_ids.implode()
    frames = [
        lake.scan_records("annotated", batch)
        .filter(pl.col("record_id").is_in(wanted))
        .select("record_id", "batch_id", text=content_text())
        for batch in lake.partitions("annotated")
    ]
    empty = pl.DataFrame(schema={"record_id": pl.String, "batch_id": pl.String, "text": pl.String})
    return pl.concat([empty.lazy(), *frames]).collect() if frames else empty


def read_votes(lake: Lake) -> pl.DataFrame:
    """Every stored vote, in import order (file modification time, then name)."""
    files = sorted(human_dir(lake).glob("*.parquet"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    frames = [pl.DataFrame(schema=VOTE_SCHEMA), *(pl.read_parquet(path) for path in files)]
    return pl.concat(frames, how="diagonal_relaxed").select(list(VOTE_SCHEMA)).cast(pl.Schema(VOTE_SCHEMA))


def latest_votes(votes: pl.DataFrame) -> pl.DataFrame:
    """Each annotator's latest answer per record and task."""
    return votes.sort("annotated_at", nulls_last=False, maintain_order=True).unique(
        ["record_id", "task", "annotator"], keep="last", maintain_order=True
    )


def _answers(votes: pl.DataFrame) -> pl.DataFrame:
    """Each annotator's latest answer with its values as one ``value`` (``a|b`` for several)."""
    return latest_votes(votes).with_columns(value=pl.col("values").list.join("|"))


def consensus(votes: pl.DataFrame) -> pl.DataFrame:
    """Per record and task: ``annotators``, ``values`` confirmed by a strict majority with their
    ``confidence`` (share of annotators), the ``import_id`` that completed it, and ``disputed``
    when no value has a majority."""
    latest = latest_votes(votes)
    annotators = latest.group_by("record_id", "task").agg(
        annotators=pl.len(), import_id=pl.col("import_id").max(), text=pl.col("text").first()
    )
    shares = (
        latest.explode("values")
        .filter(pl.col("values").is_not_null())
        .group_by("record_id", "task", pl.col("values").alias("value"))
        .agg(chosen=pl.len())
        .join(annotators, on=["record_id", "task"])
        .with_columns(confidence=pl.col("chosen") / pl.col("annotators"))
        .filter(pl.col("confidence") > 0.5)
        .sort("record_id", "task", "value")
        .group_by("record_id", "task", maintain_order=True)
        .agg(pl.col("value").alias("values"), pl.col("confidence").alias("confidences"))
    )
    return (
        annotators.join(shares, on=["record_id", "task"], how="left")
        .with_columns(disputed=pl.col("values").is_null())
        .sort("record_id", "task")
    )


def human_entries(agreed: pl.DataFrame) -> pl.DataFrame:
    """record_id, task and the confirmed ``labels`` entries (LABEL structs) per record and task."""
    confirmed = agreed.filter(~pl.col("disputed")).explode("values", "confidences")
    return (
        confirmed.select(
            "record_id",
            label=pl.struct(
                task="task",
                value="values",
                confidence="confidences",
                labeler=pl.lit(HUMAN_LABELER),
                labeler_version="import_id",
                human_confirmed=pl.lit(True),
            ).cast(LABEL),
            task="task",
        )
        .group_by("record_id", "task", maintain_order=True)
        .agg(entries="label")
    )


def apply_human_labels(frame: pl.DataFrame, entries: pl.DataFrame | None) -> pl.DataFrame:
    """Replace the machine entries of every task humans confirmed for a record by theirs."""
    if entries is None or entries.is_empty():
        return frame
    mine = entries.join(frame.select("record_id"), on="record_id", how="semi")
    if mine.is_empty():
        return frame
    rows = frame.select("record_id").with_row_index("row")
    machine = (
        frame.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"), "record_id", "labels")
        .explode("labels")
        .with_columns(task=pl.col("labels").struct.field("task"))
        .join(mine.select("record_id", "task"), on=["record_id", "task"], how="anti")
        .select("row", label="labels")
    )
    human = mine.join(rows, on="record_id").explode("entries").select("row", label="entries")
    merged = pl.concat([machine, human]).group_by("row", maintain_order=True).agg(labels="label")
    relabelled = rows.join(merged, on="row", how="left", maintain_order="left")["labels"]
    return frame.with_columns(labels=relabelled.cast(pl.List(LABEL)))


def agreement_report(votes: pl.DataFrame, by: str | None = None) -> pl.DataFrame:
    """Krippendorff's alpha (nominal, over the set of values chosen), Fleiss' and mean pairwise
    Cohen's kappa per task (and per ``by``: batch_id, round), on the records two or more
    annotators labelled; ``top_value_share``: the share of answers that chose the most common
    value (near 1, alpha says little)."""
    latest = _answers(votes)
    shared = latest.filter(pl.len().over("record_id", "task") >= 2)
    keys = ["task"] if by is None else ["task", by]
    if shared.is_empty():
        return pl.DataFrame(schema={**{k: pl.String for k in keys}, "items": pl.Int64})
    frames = []
    for key, frame in sorted(shared.partition_by(keys, as_dict=True).items()):
        top_count = frame["value"].value_counts().select(pl.col("count").max()).item()
        report = agreement_by(frame, None, item="record_id", rater="annotator", value="value").with_columns(
            top_value_share=pl.lit(top_count / frame.height)
        )
        frames.append(
            report.drop("group").with_columns(*(pl.lit(v).alias(k) for k, v in zip(keys, key, strict=True)))
        )
    return pl.concat(frames, how="diagonal_relaxed").select(*keys, pl.exclude(keys))


def annotator_report(votes: pl.DataFrame) -> pl.DataFrame:
    """Per task and annotator: items scored, accuracy and Cohen's kappa against the majority of
    the other annotators, on the items where the others reach one (consensus as gold)."""
    latest = _answers(votes)
    frames = []
    for annotator in sorted(latest["annotator"].unique().to_list()):
        others = consensus(votes.filter(pl.col("annotator") != annotator)).filter(~pl.col("disputed"))
        gold = others.select("record_id", "task", value=pl.col("values").list.join("|"))
        for (task,), mine in (
            latest.filter(pl.col("annotator") == annotator).partition_by("task", as_dict=True).items()
        ):
            scores = annotator_scores(
                mine, gold.filter(pl.col("task") == task), item="record_id", rater="annotator", value="value"
            )
            frames.append(scores.with_columns(task=pl.lit(task)))
    schema = {
        "task": pl.String,
        "rater": pl.String,
        "gold_items": pl.Int64,
        "accuracy": pl.Float64,
        "kappa": pl.Float64,
    }
    return pl.concat([pl.DataFrame(schema=schema), *(f.select(list(schema)) for f in frames)]).sort(
        "task", "rater"
    )


def drift_report(votes: pl.DataFrame) -> dict[str, dict[str, dict]]:
    """Per task: chi-square tests of the chosen values across batches and across annotators."""
    latest = _answers(votes)
    return {
        task: {by: distribution_drift(frame, by, "value") for by in ("batch_id", "annotator")}
        for (task,), frame in sorted(latest.partition_by("task", as_dict=True).items())
    }
