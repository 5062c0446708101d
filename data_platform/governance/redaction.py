"""PII in the tiers: the cleaned tier redacts, every release applies its own policy.

The cleaned tier runs ``pii.detect`` over every string a record carries that came from the
data: its text, each turn's speaker and text, ``meta`` (the record as delivered: unmapped fields
and keys included), the declared language and the origin file's path; it stores them redacted:
keyed pseudonyms ``[TYPE:hmac12]`` when ``$DATA_PLATFORM_PII_KEY`` is set, typed placeholders
``[TYPE]`` otherwise. So text with PII stays only in the restricted tiers (raw, quarantine). The findings
stay with the record in ``pii`` (field, entity type, span, detector); a span covers the
replacement in the stored text, so ``text[start:end]`` shows what stands in for the value.

A release chooses its policy: ``pseudonym`` keeps the pseudonyms (it needs every batch
pseudonymised under one key), ``placeholder`` strips their hashes, for consumers who must not
be able to link two mentions of one person.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from data_platform.governance import pii
from data_platform.text.slices import on_slices

FINDING = pl.Struct(
    {
        "field": pl.String,
        "entity_type": pl.String,
        "start": pl.Int64,
        "end": pl.Int64,
        "detector": pl.String,
    }
)
PII_COLUMNS = {"pii": pl.List(FINDING)}
PII_DESCRIPTIONS = {
    "pii": "PII found in the record (field: text, turns[i], turns[i].speaker, meta, lang or "
    "origin_file; entity type; span of its replacement in the stored value; detector); the values "
    "are redacted"
}
# Strings of a record that came from the data (besides the turns), each scanned and redacted.
PLAIN_FIELDS = ("text", "meta", "lang", "origin_file")
# Found from a cue in the text (a greeting, "born on"), not from a format: the release gate's
# zero-findings rule covers the structured types only.
CONTEXTUAL_TYPES = frozenset({"PERSON", "DATE_OF_BIRTH"})
POLICIES = ("placeholder", "pseudonym")
# Bytes below which a second detection thread costs more than it saves.
MIN_SLICE_BYTES = 4 << 20
# Times the redacted text is read again for what redaction brought into reach (one is usual).
MAX_REREADS = 3
ENTITY_TYPES = sorted({d.entity for d in pii.DETECTORS})
PSEUDONYM = r"\[(" + "|".join(ENTITY_TYPES) + r"):[0-9a-f]{12}\]"
PLACEHOLDER = r"\[(?:" + "|".join(ENTITY_TYPES) + r")\]"


def tier_mode(key: bytes | None) -> str:
    """How the cleaned tier redacts: pseudonyms when a key is configured."""
    return "pseudonym" if key else "placeholder"


def redact_records(frame: pl.DataFrame, key: bytes | None) -> pl.DataFrame:
    """``frame`` (canonical records) with text, turns and meta redacted and a ``pii`` column."""
    fields = text_fields(frame)
    found = findings_after_redaction(fields["value"])
    replaced = pii.replacements(found, tier_mode(key), key)
    fields = fields.with_columns(value=pii.splice(fields["value"], found, replaced))
    lengths = replaced.str.len_chars().cast(pl.Int64)
    shift = (lengths - (found["end"] - found["start"])).alias("delta")
    spans = (
        found.select("row", "entity_type", "start", "detector")
        .with_columns(delta=shift, length=lengths)
        .with_columns(start=pl.col("start") + pl.col("delta").cum_sum().over("row") - pl.col("delta"))
        .with_columns(end=pl.col("start") + pl.col("length"))
    )
    labelled = fields.with_row_index("row").select("row", "_rec", "field")
    per_record = (
        spans.with_columns(pl.col("row").cast(pl.UInt32))
        .join(labelled, on="row", maintain_order="left")
        .group_by("_rec")
        .agg(pii=pl.struct(*FINDING.to_schema()))
    )
    return _reassemble(frame, fields, per_record)


def findings_after_redaction(values: pl.Series) -> pl.DataFrame:
    """``pii.detect``'s findings, plus what redaction brings into reach. Context windows count
    characters and ``[PERSON]`` is shorter than "Marcia Whited": a phone whose cue ("contact")
    was too far before redaction can be near enough after it, and the release gate reads the
    redacted text. So the redacted text of the records with findings is read again (as the gate
    reads it: placeholders) until nothing new appears; what it adds is mapped back to the
    original text."""
    found = detect_on_threads(values)
    for _ in range(MAX_REREADS):
        if found.height == 0:
            break
        rows = found["row"].unique().sort().to_numpy()
        # Only the texts with findings change: splice those, numbered by their place in ``rows``.
        local = found.with_columns(row=pl.Series(np.searchsorted(rows, found["row"].to_numpy())))
        redacted = pii.splice(values.gather(rows), local, pii.replacements(found, "placeholder"))
        again = detect_on_threads(redacted)
        again = again.with_columns(row=pl.Series(rows[again["row"].to_numpy()], dtype=again["row"].dtype))
        new = _outside_placeholders(again, found)
        if new.height == 0:
            break
        found = pl.concat([found, new]).sort("row", "start")
    return found


def detect_on_threads(values: pl.Series, detectors: tuple[pii.Detector, ...] = pii.DETECTORS) -> pl.DataFrame:
    """``pii.detect`` over one slice of ``values`` per worker thread (text/slices.py): a text's
    findings depend on that text alone."""

    def detect_slice(part: pl.Series, first: int) -> pl.DataFrame:
        return pii.detect(part, detectors).with_columns(row=pl.col("row") + first)

    parts = on_slices(values, detect_slice, MIN_SLICE_BYTES)
    return parts[0] if len(parts) == 1 else pl.concat(parts, rechunk=True)


def _outside_placeholders(again: pl.DataFrame, found: pl.DataFrame) -> pl.DataFrame:
    """Findings in placeholder text that overlap no placeholder, at their place in the original
    text: shifted by what every placeholder before them saved."""
    length = pl.col("entity_type").str.len_chars() + 2  # "[TYPE]", ASCII: as many bytes
    placeholders = (
        found.select(
            "row",
            saved_chars=(pl.col("end") - pl.col("start")) - length,
            saved_bytes=(pl.col("byte_end") - pl.col("byte_start")) - length,
            length=length,
            original_start=pl.col("start"),
        )
        .with_columns(
            saved_chars=pl.col("saved_chars").cum_sum().over("row"),
            saved_bytes=pl.col("saved_bytes").cum_sum().over("row"),
        )
        .with_columns(
            placed_start=pl.col("original_start") - (pl.col("saved_chars").shift(1).over("row").fill_null(0)),
        )
        .with_columns(placed_end=pl.col("placed_start") + pl.col("length"))
        .select("row", "placed_start", "placed_end", "saved_chars", "saved_bytes")
        .sort("row", "placed_start")
    )
    # Sorted by start: within each row too, which is what an as-of join by row needs.
    again = again.sort("start")
    before = again.join_asof(
        placeholders.rename({"placed_start": "start"}),
        on="start",
        by="row",
        strategy="backward",
        check_sortedness=False,
    )
    after = again.join_asof(
        placeholders.select("row", next_start="placed_start").with_columns(start=pl.col("next_start")),
        on="start",
        by="row",
        strategy="forward",
        check_sortedness=False,
    )
    clear = (pl.col("placed_end").is_null() | (pl.col("placed_end") <= pl.col("start"))) & (
        pl.col("next_start").is_null() | (pl.col("next_start") >= pl.col("end"))
    )
    return (
        before.with_columns(next_start=after["next_start"])
        .filter(clear)
        .with_columns(
            start=pl.col("start") + pl.col("saved_chars").fill_null(0),
            end=pl.col("end") + pl.col("saved_chars").fill_null(0),
            byte_start=pl.col("byte_start") + pl.col("saved_bytes").fill_null(0),
            byte_end=pl.col("byte_end") + pl.col("saved_bytes").fill_null(0),
        )
        .select(again.columns)
    )


def text_fields(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per string a record carries: ``_rec`` (row in ``frame``), ``field`` (``text``,
    ``meta``, ``lang``, ``origin_file``, ``turns[i]`` for a turn's text, ``turns[i].speaker``),
    the turn's position and the ``value``."""
    numbered = frame.with_row_index("_rec")
    turns = (
        numbered.select("_rec", "turns")
        .filter(pl.col("turns").is_not_null())
        .with_columns(_turn=pl.int_ranges(pl.col("turns").list.len()))
        .explode("turns", "_turn")
        .filter(pl.col("turns").is_not_null())
        .unnest("turns")
    )
    turn_parts = [
        turns.select("_rec", field=pl.format(label, "_turn"), _turn="_turn", value=part)
        for label, part in (("turns[{}]", "text"), ("turns[{}].speaker", "speaker"))
    ]
    plain = [
        numbered.filter(pl.col(name).is_not_null()).select(
            "_rec", field=pl.lit(name), _turn=pl.lit(None, pl.Int64), value=name
        )
        for name in PLAIN_FIELDS
        if name in frame.columns
    ]
    return pl.concat([*plain, *turn_parts], how="vertical_relaxed").sort("_rec", "_turn", maintain_order=True)


def _reassemble(frame: pl.DataFrame, fields: pl.DataFrame, per_record: pl.DataFrame) -> pl.DataFrame:
    present = [name for name in PLAIN_FIELDS if name in frame.columns]
    numbered = frame.with_row_index("_rec").drop(*present, "turns")
    by_field = [
        fields.filter(pl.col("field") == name).select("_rec", pl.col("value").alias(name)) for name in present
    ]
    turn_rows = fields.filter(pl.col("_turn").is_not_null())
    texts = turn_rows.filter(~pl.col("field").str.ends_with(".speaker")).select("_rec", "_turn", text="value")
    speakers = turn_rows.filter(pl.col("field").str.ends_with(".speaker")).select(
        "_rec", "_turn", speaker="value"
    )
    turns = (
        texts.join(speakers, on=["_rec", "_turn"], how="left", maintain_order="left")
        .sort("_rec", "_turn")
        .group_by("_rec", maintain_order=True)
        .agg(turns=pl.struct("speaker", "text"))
    )
    for part in [*by_field, turns, per_record]:
        numbered = numbered.join(part, on="_rec", how="left", maintain_order="left")
    no_findings = pl.lit([], dtype=pl.List(FINDING))
    return numbered.with_columns(pii=pl.col("pii").fill_null(no_findings)).select(
        *frame.columns, *PII_COLUMNS
    )


def apply_policy(records: pl.DataFrame, policy: str) -> pl.DataFrame:
    """Released records (already redacted by the cleaned tier) under a release's ``policy``:
    pseudonyms kept, or turned into placeholders (in text, speakers, language and origin) with
    the spans moved to match. Findings in ``meta`` are left out (releases do not carry the
    delivered record)."""
    if policy not in POLICIES:
        raise ValueError(f"redaction policy must be one of {', '.join(POLICIES)}, not {policy!r}")
    kept = pl.col("pii").list.filter(pl.element().struct.field("field") != "meta")
    records = records.with_columns(pii=kept)
    if policy == "pseudonym":
        return records
    placeholder = pl.lit("[${1}]")
    return records.with_columns(
        turns=pl.col("turns").list.eval(
            pl.struct(
                speaker=pl.element().struct.field("speaker").str.replace_all(PSEUDONYM, placeholder),
                text=pl.element().struct.field("text").str.replace_all(PSEUDONYM, placeholder),
            )
        ),
        **{
            name: pl.col(name).str.replace_all(PSEUDONYM, placeholder)
            for name in PLAIN_FIELDS
            if name != "meta" and name in records.columns
        },
        pii=_placeholder_spans(records),
    )


def _placeholder_spans(records: pl.DataFrame) -> pl.Series:
    """Each finding's span once pseudonyms ``[TYPE:hash]`` shrink to ``[TYPE]``: earlier
    findings in the same field pull it left by what they lost."""
    exploded = (
        records.select("pii")
        .with_row_index("_rec")
        .explode("pii")
        .unnest("pii")
        .with_columns(lost=(pl.col("end") - pl.col("start")) - (pl.col("entity_type").str.len_chars() + 2))
        .with_columns(
            start=pl.col("start") - pl.col("lost").cum_sum().over("_rec", "field") + pl.col("lost"),
        )
        .with_columns(end=pl.col("start") + pl.col("entity_type").str.len_chars() + 2)
    )
    regrouped = (
        exploded.filter(pl.col("field").is_not_null())
        .group_by("_rec")
        .agg(pii=pl.struct(*FINDING.to_schema()))
    )
    every = pl.DataFrame({"_rec": pl.arange(0, records.height, dtype=pl.UInt32, eager=True)})
    joined = every.join(regrouped, on="_rec", how="left", maintain_order="left")
    return joined["pii"].fill_null(pl.lit([], dtype=pl.List(FINDING)))


def structured_findings(records: pl.DataFrame) -> pl.DataFrame:
    """Structured PII (formats, not cues) ``pii.detect`` still finds in released text, turns,
    speakers, language and origin: what the release gate requires to be empty. Rows: record_id,
    field, entity_type, detector."""
    fields = text_fields(records.drop("meta", strict=False))
    # A pseudonym's hex digits could read as a number; what stands in for a value is not PII.
    fields = fields.with_columns(value=pl.col("value").str.replace_all(PSEUDONYM, "[${1}]"))
    detectors = tuple(d for d in pii.DETECTORS if d.entity not in CONTEXTUAL_TYPES)
    # A credential pattern reads "token=[URL_CREDENTIALS]" as a token: a placeholder is no value.
    found = detect_on_threads(fields["value"], detectors).filter(~pl.col("value").str.contains(PLACEHOLDER))
    ids = records["record_id"].gather(fields["_rec"].gather(found["row"]))
    return found.select(
        record_id=ids,
        field=fields["field"].gather(found["row"]),
        entity_type="entity_type",
        detector="detector",
    )
