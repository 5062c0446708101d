"""The annotated tier: label columns with confidence and provenance.

Labels live in one list column of structs (``LABEL``): the identified language, then one entry
per label the source's labelers give (intent, emotion, tone: annotation/labelers.py), each with
its value, confidence, labeler name and version, and whether a human confirmed it (a label
annotators confirmed replaces the machine's for its task).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from data_platform.annotation.human_labels import apply_human_labels
from data_platform.annotation.labelers import LABEL, Labeler, task_entries
from data_platform.annotation.language import LanguageIdentifier
from data_platform.lake.store import Lake
from data_platform.sources.schema import content_text, quarantine_rows
from data_platform.text.slices import on_slices

ANNOTATED_COLUMNS = {
    "lang_declared": pl.String(),
    "lang_confidence": pl.Float64(),
    "labels": pl.List(LABEL),
}
ANNOTATED_DESCRIPTIONS = {
    "lang": "Language identified from the cleaned text (ISO 639-1; und when too short)",
    "lang_declared": "Language the source or record declared, if any",
    "lang_confidence": "Probability of the identified language",
    "labels": "Labels: task, value, confidence, labeler, labeler_version, human_confirmed",
}


# Bytes below which a second thread costs more than it saves (about 2,000 short texts).
MIN_SLICE_BYTES = 100_000

# Why the annotated tier quarantines a record.
UNEXPECTED_LANGUAGE = "unexpected_language"


@dataclass(frozen=True)
class LanguagePolicy:
    """When an identified language contradicts the source's declared languages strongly enough
    (long text, confident model), the record is quarantined as ``unexpected_language``."""

    min_confidence: float = 0.95
    min_chars: int = 40


def annotate(
    cleaned: pl.DataFrame,
    identifier: LanguageIdentifier,
    declared_languages: tuple[str, ...],
    policy: LanguagePolicy,
    labelers: Mapping[str, Labeler] | None = None,
    human: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (annotated records, quarantined records) for one chunk of a cleaned batch;
    ``labelers`` (task -> labeler) add their entries after the language's, and the labels people
    confirmed (``human``: human_labels.human_entries) replace the machine's for their task."""
    content = cleaned.select(content_text())["text"]
    detected, machine_entries = machine_labels(content, identifier, labelers or {})
    frame = cleaned.rename({"lang": "lang_declared"}).with_columns(
        lang=detected["lang"], lang_confidence=detected["lang_confidence"]
    )
    language = pl.struct(
        task=pl.lit("language"),
        value=pl.col("lang"),
        confidence=pl.col("lang_confidence"),
        labeler=pl.lit(identifier.name),
        labeler_version=pl.lit(identifier.version),
        human_confirmed=pl.lit(False),
    ).cast(LABEL)
    # One concatenation of every task's entries (one list.concat per task was 40% of the step).
    frame = frame.with_columns(
        labels=pl.concat_list(language, *(pl.lit(entries) for entries in machine_entries))
    )
    frame = apply_human_labels(frame, human)
    unexpected = (
        pl.lit(bool(declared_languages))
        & ~pl.col("lang").is_in(list(declared_languages) or [""])
        & (pl.col("lang_confidence") >= policy.min_confidence)
        & (pl.col("text_chars") >= policy.min_chars)
    )
    quarantined = quarantine_rows(
        frame.filter(unexpected),
        tier="annotated",
        reason=UNEXPECTED_LANGUAGE,
        detail=pl.format(
            "identified {} (p={}) but the source declares {}",
            "lang",
            pl.col("lang_confidence").round(3),
            pl.lit(",".join(declared_languages)),
        ),
        field=pl.lit("lang"),
    )
    return frame.filter(~unexpected), quarantined


def machine_labels(
    content: pl.Series, identifier: LanguageIdentifier, labelers: Mapping[str, Labeler]
) -> tuple[pl.DataFrame, list[pl.Series]]:
    """The identified language and every labeler's entries per text. The texts are cut into one
    slice per worker thread: the kernels underneath (n-gram counting, sparse products) release
    the GIL, and each text's labels depend on that text alone, so the slices give the same
    labels as one pass."""

    def label(part: pl.Series, _first: int) -> tuple[pl.DataFrame, list[pl.Series]]:
        return identifier.identify(part.to_list()), task_entries(part, labelers)

    done = on_slices(content, label, MIN_SLICE_BYTES)
    if len(done) == 1:
        return done[0]
    detected = pl.concat([languages for languages, _ in done], rechunk=True)
    # One chunk each: Polars 1.x panics on list.concat over list-of-struct columns split into
    # chunks at different places ("assertion failed: i < self.len()").
    return detected, [
        pl.concat([entries[k] for _, entries in done], rechunk=True) for k in range(len(labelers))
    ]


def gated_records(lake: Lake) -> pl.DataFrame:
    """record_id, batch_id, text (turns joined), labels and duplicate_of of every gated annotated
    partition."""
    frames = [
        lake.scan_records("annotated", batch).select(
            "record_id", "batch_id", "labels", "duplicate_of", text=content_text()
        )
        for batch in lake.partitions("annotated")
        if lake.gate_passed("annotated", batch)
    ]
    if not frames:
        raise FileNotFoundError(f"no annotated partition of {lake.root} has passed its gate yet")
    return pl.concat(frames).collect()
