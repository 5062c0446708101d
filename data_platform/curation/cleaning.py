"""The cleaned tier's rules: normalise, drop empty and too-short records, remove exact duplicates.

Every record that is dropped comes back in the quarantine frame with a stable reason code:

- ``empty_text``: nothing left after normalisation;
- ``too_short``: fewer characters than the source's ``min_chars``;
- ``too_few_turns``: a conversation with fewer non-empty turns than ``min_turns``;
- ``irrelevant`` (curation/relevance.py): outside what the source is collected for;
- a quality or spam rule's name (``gopher_short_doc``, ``c4_curly_bracket``,
  ``fineweb_line_punct_ratio``, ``link_stuffing``, ...; curation/quality.py, curation/spam.py):
  the record breaks that rule of the source's quality profile; ``detail`` gives the measured
  value and the threshold;
- ``exact_duplicate``: same normalised content as a record kept earlier (this batch, or a batch
  with a lower sequence number); ``detail`` names the kept record;
- ``near_duplicate`` (curation/near_dedup.py): MinHash-LSH match with an earlier record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import polars as pl

from data_platform.curation.alternates import (
    ALTERNATE_COLUMNS,
    ALTERNATE_DESCRIPTIONS,
    Terms,
    differs_from_kept,
)
from data_platform.curation.near_dedup import NearDupRules
from data_platform.curation.quality import QUALITY_PROFILES, QualityRules, quality_rules, quality_stats
from data_platform.curation.relevance import relevance_rules, relevance_stats
from data_platform.curation.rules import first_failure
from data_platform.sources.registry import RelevanceRules, Source
from data_platform.sources.schema import RAW_SCHEMA, content_text, quarantine_rows, record_field
from data_platform.text.hashing import sha256_column
from data_platform.text.normalize import UnicodeForm, clean_text_column
from data_platform.text.tokens import Tokens, tokenize

# Why the cleaned tier quarantines a record (besides the quality rules, curation/quality.py, the
# relevance rules and near duplicates); tiers/schema.py collects every tier's codes.
CONSENT_OPT_OUT = "consent_opt_out"
EMPTY_TEXT = "empty_text"
TOO_FEW_TURNS = "too_few_turns"
TOO_SHORT = "too_short"
EXACT_DUPLICATE = "exact_duplicate"
CLEANING_REASONS = (CONSENT_OPT_OUT, EMPTY_TEXT, TOO_FEW_TURNS, TOO_SHORT, EXACT_DUPLICATE)
OPT_OUT_VALUES = ("true", "yes", "y", "1", "opt-out", "opt_out", "opted-out", "opted_out", "withdrawn")
SEEN_SCHEMA = {"norm_sha256": pl.String, "record_id": pl.String, "batch_id": pl.String}
CLEANED_COLUMNS = {
    "text_chars": pl.Int64(),
    "norm_sha256": pl.String(),
    "mojibake_fixed": pl.Boolean(),
    "templated_turns": pl.Int64(),
    **ALTERNATE_COLUMNS,
}
CLEANED_DESCRIPTIONS = {
    "text": "Text after mojibake repair, NFC and whitespace normalisation",
    "turns": "Turns with normalised text; empty turns removed",
    "text_chars": "Characters of normalised content (all turns for conversations)",
    "norm_sha256": "sha256 of the normalised content: the exact-duplicate key",
    "mojibake_fixed": "True when ftfy repaired mis-decoded text in this record",
    "templated_turns": "Turns whose exact text recurs in many conversations of the batch (null for text)",
    **ALTERNATE_DESCRIPTIONS,
}


@dataclass(frozen=True)
class CleaningRules:
    min_chars: int = 5
    min_turns: int = 2
    unicode_form: UnicodeForm = "NFC"
    near_dup: NearDupRules = field(default_factory=NearDupRules)
    quality: QualityRules = field(default_factory=QualityRules)
    relevance: RelevanceRules = field(default_factory=RelevanceRules)
    # A turn whose text appears in at least this many conversations of a chunk is templated
    # (bot greetings, canned apologies): flagged, not removed.
    template_min_conversations: int = 5
    # The delivered record's field that carries a per-record consent withdrawal (FieldMap.opt_out).
    opt_out_field: str | None = None


def rules_for_source(source: Source) -> CleaningRules:
    """A source's cleaning rules: its length floor, its quality profile and model, its language's
    stop words (when it declares exactly one language), its relevance rules."""
    language = source.languages[0] if len(source.languages) == 1 else None
    quality = QUALITY_PROFILES[source.quality].for_language(language)
    if source.quality_model is not None and quality.spam is not None:
        model, floor = str(source.quality_model), source.min_quality_score
        quality = replace(quality, spam=replace(quality.spam, scorer_path=model, min_score=floor))
    return CleaningRules(
        min_chars=source.min_chars,
        quality=quality,
        relevance=source.relevance,
        opt_out_field=source.fields.opt_out,
    )


@dataclass(frozen=True)
class CleanResult:
    kept: pl.DataFrame
    quarantined: pl.DataFrame
    keys: pl.DataFrame
    # Every record that passed the non-duplicate rules, in order: what the near-dup index holds.
    distinct_candidates: pl.DataFrame
    candidate_tokens: Tokens
    # Exact duplicates under other terms than their kept copy (curation/alternates.py).
    alternates: pl.DataFrame


def normalise_records(raw: pl.DataFrame, rules: CleaningRules) -> pl.DataFrame:
    """Normalise text and turns; add the dedup key and length columns."""
    turn_rows = (
        raw.select("record_id", "turns")
        .filter(pl.col("turns").is_not_null())
        .with_row_index("_row")
        .explode("turns")
        .unnest("turns")
        .pipe(clean_text_column, "text", unicode_form=rules.unicode_form)
        .filter(pl.col("text").str.len_chars() > 0)
        .group_by("_row", "record_id", maintain_order=True)
        .agg(
            turns=pl.struct("speaker", "text"),
            _turn_fixed=pl.col("mojibake_fixed").any(),
            _turn_chars=pl.col("text").str.len_chars().sum(),
            _turn_content=pl.format("{}\x1f{}", "speaker", "text").str.join("\x1e"),
        )
        .drop("_row")
    )
    normalised = (
        raw.pipe(clean_text_column, "text", unicode_form=rules.unicode_form)
        .drop("turns")
        .join(turn_rows, on="record_id", how="left", maintain_order="left")
        .with_columns(
            mojibake_fixed=pl.col("mojibake_fixed") | pl.col("_turn_fixed").fill_null(False),
            text_chars=pl.coalesce(pl.col("text").str.len_chars(), "_turn_chars", 0).cast(pl.Int64),
            _content=pl.coalesce("text", "_turn_content"),
            _turn_count=pl.col("turns").list.len().fill_null(0),
        )
    )
    return normalised.with_columns(norm_sha256=sha256_column(normalised["_content"].fill_null("")))


def count_templated_turns(frame: pl.DataFrame, min_conversations: int) -> pl.DataFrame:
    """Add ``templated_turns``: per conversation, how many of its turns are templated."""
    turns = (
        frame.filter(pl.col("turns").is_not_null())
        .select("record_id", turn=pl.col("turns").list.eval(pl.element().struct.field("text")))
        .explode("turn")
    )
    spread = turns.group_by("turn").agg(conversations=pl.col("record_id").n_unique())
    per_record = (
        turns.join(spread, on="turn")
        .group_by("record_id")
        .agg(templated_turns=(pl.col("conversations") >= min_conversations).sum().cast(pl.Int64))
    )
    return frame.join(per_record, on="record_id", how="left", maintain_order="left").with_columns(
        templated_turns=pl.when(pl.col("turns").is_not_null()).then(pl.col("templated_turns").fill_null(0))
    )


def clean_batch(
    raw: pl.DataFrame,
    rules: CleaningRules,
    seen: pl.DataFrame | Callable[[pl.Series], pl.DataFrame],
    terms: Terms | None = None,
) -> CleanResult:
    """Clean one chunk of a batch. ``seen`` holds the dedup keys (unique) of everything before
    this chunk: earlier batches by sequence number, then earlier chunks of this batch; or it
    looks up the owners of the keys it is given (the lake's index is not held in memory).
    With ``terms``, exact duplicates whose licence or consent differs from their kept copy's
    are returned as alternates instead of being quarantined."""
    frame = count_templated_turns(normalise_records(raw, rules), rules.template_min_conversations)
    frame, tokens = judge_content(frame, rules)
    is_conversation = pl.col("kind") == "conversation"
    frame = frame.with_columns(_opt_out=opt_out_values(rules.opt_out_field))
    rejected = (
        pl.when(pl.col("_opt_out").str.to_lowercase().str.strip_chars().is_in(OPT_OUT_VALUES))
        .then(pl.lit(CONSENT_OPT_OUT))
        .when(pl.col("text_chars") == 0)
        .then(pl.lit(EMPTY_TEXT))
        .when(is_conversation & (pl.col("_turn_count") < rules.min_turns))
        .then(pl.lit(TOO_FEW_TURNS))
        .when(~is_conversation & (pl.col("text_chars") < rules.min_chars))
        .then(pl.lit(TOO_SHORT))
        .otherwise(pl.col("_quality_rule"))
    )
    frame = frame.with_columns(_rejected=rejected)
    if callable(seen):  # only a record no other rule rejects can be an exact duplicate
        seen = seen(frame.filter(pl.col("_rejected").is_null())["norm_sha256"])
    frame = frame.join(
        seen.select("norm_sha256", _dup_of="record_id", _dup_batch="batch_id"),
        on="norm_sha256",
        how="left",
        maintain_order="left",
    ).with_columns(_first_in_chunk=pl.col("norm_sha256").is_first_distinct())
    first_id = frame.group_by("norm_sha256").agg(_first_id=pl.col("record_id").first())
    frame = frame.join(first_id, on="norm_sha256", how="left", maintain_order="left")
    reason = (
        pl.when(pl.col("_rejected").is_not_null())
        .then(pl.col("_rejected"))
        .when(pl.col("_dup_of").is_not_null() | ~pl.col("_first_in_chunk"))
        .then(pl.lit(EXACT_DUPLICATE))
    )
    detail = (
        pl.when(pl.col("_reason") == CONSENT_OPT_OUT)
        .then(pl.format("field {} of the delivered record says {}", pl.lit(rules.opt_out_field), "_opt_out"))
        .when(pl.col("_reason") == TOO_SHORT)
        .then(pl.format("{} characters, fewer than {}", "text_chars", pl.lit(rules.min_chars)))
        .when(pl.col("_reason") == TOO_FEW_TURNS)
        .then(pl.format("{} non-empty turns, fewer than {}", "_turn_count", pl.lit(rules.min_turns)))
        .when(pl.col("_reason") == EXACT_DUPLICATE)
        .then(
            pl.format(
                "same normalised content as kept record {} (batch {})",
                pl.coalesce("_dup_of", "_first_id"),
                pl.coalesce("_dup_batch", "batch_id"),
            )
        )
        .when(pl.col("_reason") == pl.col("_quality_rule"))
        .then(pl.col("_quality_detail"))
        .otherwise(pl.lit("no content left after normalisation"))
    )
    frame = frame.with_columns(_reason=reason)
    frame = frame.with_columns(
        _kept_batch=pl.when(pl.col("_reason") == EXACT_DUPLICATE).then(pl.coalesce("_dup_batch", "batch_id"))
    )
    frame = frame.with_columns(
        # Later copies inside the chunk repeat the first one's terms: quarantined as usual.
        duplicate_of=pl.when(differs_from_kept(frame, "_kept_batch", terms) & pl.col("_first_in_chunk")).then(
            pl.coalesce("_dup_of", "_first_id")
        )
    )
    quarantined = quarantine_rows(
        frame.filter(pl.col("_reason").is_not_null() & pl.col("duplicate_of").is_null()),
        tier="cleaned",
        reason=pl.col("_reason"),
        detail=detail,
        field=record_field(),
        related_id=pl.when(pl.col("_reason") == EXACT_DUPLICATE).then(pl.coalesce("_dup_of", "_first_id")),
    )
    kept = frame.filter(pl.col("_reason").is_null()).select(*RAW_SCHEMA, *CLEANED_COLUMNS)
    passing = (
        frame.with_row_index("_row")
        .filter(pl.col("_reason").is_null() | (pl.col("_reason") == EXACT_DUPLICATE))
        .unique("norm_sha256", keep="first", maintain_order=True)
    )
    return CleanResult(
        kept=kept,
        quarantined=quarantined,
        keys=passing.select(list(SEEN_SCHEMA)),
        distinct_candidates=passing.select(*RAW_SCHEMA, *CLEANED_COLUMNS),
        candidate_tokens=tokens.take(passing["_row"].to_numpy()),
        alternates=frame.filter(pl.col("duplicate_of").is_not_null()).select(*RAW_SCHEMA, *CLEANED_COLUMNS),
    )


def opt_out_values(field_path: str | None) -> pl.Expr:
    """The delivered record's opt-out field as text (null without the field or the setting)."""
    if field_path is None:
        return pl.lit(None, pl.String)
    return pl.col("meta").str.json_path_match(f"$.{field_path}")


def judge_content(frame: pl.DataFrame, rules: CleaningRules) -> tuple[pl.DataFrame, Tokens]:
    """Tokenise the normalised words once (a conversation's turns, one per line, without the
    speaker labels that the exact-dedup key carries); add the first broken relevance, quality
    or spam rule and its detail."""
    content = frame.select(content_text())[:, 0]
    tokens = tokenize(content)
    relevance, quality = relevance_rules(rules.relevance), quality_rules(rules.quality)
    if not relevance and not quality:
        unjudged = pl.lit(None, pl.String)
        return frame.with_columns(_quality_rule=unjudged, _quality_detail=unjudged), tokens
    measures = [relevance_stats(content, rules.relevance)] if relevance else []
    if quality:
        measures.append(quality_stats(content, tokens, rules.quality))
    rule, detail = first_failure(relevance + quality)
    verdict = pl.concat(measures, how="horizontal").select(_quality_rule=rule, _quality_detail=detail)
    return frame.hstack(verdict), tokens


def extend_seen(seen: pl.DataFrame, keys: pl.DataFrame) -> pl.DataFrame:
    """Add keys not already present; the earliest holder of a key stays its owner."""
    return pl.concat([seen, keys.join(seen, on="norm_sha256", how="anti")])
