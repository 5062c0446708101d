"""A second, independent look at a release candidate for identifiers the PII detectors missed.

The detectors (pii.py, names.py) decide what a value is from its format, checksum and context,
and so miss what they were not written for: a phone number in a plan they do not know, an id
number of a country they do not cover, a name with no cue. This scan shares none of their logic.
It is deliberately blunt: it looks at the released text and turns (after redaction, so the
placeholders are all a detector's work leaves) for anything shaped like an identifier:

- ``digit_run``: nine or more digits in groups split by single spaces, dots, dashes, slashes or
  brackets (phone, account, id and card numbers in any national format), unless it is a date
  and an hour;
- ``at_token``: a token with an ``@`` inside (an address, however mangled) or a ``@handle``;
- ``alnum_id``: a run of eight or more letters and digits holding at least four digits and a
  letter (passport, licence, policy and customer numbers, IBANs, keys);
- ``titled_name``: a capitalised word, or two, after one or more courtesy or academic titles.

A release holds back every record it flags (``hold``, the default: the records stay in the
lake, listed for review with the kind and span of each finding, never the value) or refuses to
be cut at all (``stop``). Either way the counts per kind go into the manifest and datasheet.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from data_platform.errors import DataPlatformError
from data_platform.governance.redaction import PSEUDONYM, text_fields
from data_platform.lake.atomic import write_parquet_atomic
from data_platform.lake.paths import inside
from data_platform.lake.store import Lake

POLICIES = ("hold", "stop")
# The kinds in the order a record's first finding is named by.
KINDS = ("digit_run", "at_token", "alnum_id", "titled_name")
DIGIT_RUN = r"\+?\(?[0-9](?:[ ./-]?\(?[0-9]\)?){8,}"
# A date, perhaps with the hour of a time after it ("2019-01-13 14:59"): nine digits, no id.
DATE_AND_HOUR = (
    r"^(?:[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4})(?: [0-9]{1,2})?$"
)
AT_TOKEN = r"[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*|(?:^|[\s(])@[A-Za-z0-9_]{2,}"
ALNUM_TOKEN = r"[A-Za-z0-9]{8,}"
# Abbreviated titles take an optional dot; titles written out take none ("Notre Dame. We",
# "Yes, Sir. It" are no names).
ABBREVIATED_TITLES = (
    r"Mr|Mrs|Ms|Mx|Dr|Prof|Hr|Fr|Mme|Mlle|Sr|Sra|Srta|Dña|Sig|Sig\.ra|Dott|Dott\.ssa|Dhr|Mevr|Ing|Mag|Ir"
)
WRITTEN_TITLES = r"Miss|Sir|Dame|Herr|Frau|Monsieur|Madame|Don|Doña|Signor|Signora|Mevrouw|Meneer"
TITLED_NAME = (
    rf"(?:^|[^\p{{L}}])(?:(?:(?:{ABBREVIATED_TITLES})\.?|{WRITTEN_TITLES})[ \t]+)+\p{{Lu}}\p{{Ll}}+"
    rf"(?:[ -]\p{{Lu}}\p{{Ll}}+)?"
)
# Fields a consumer trains on; lang and origin_file are not text and have their own checks.
SCANNED_FIELDS = r"^(?:text|turns\[[0-9]+\](?:\.speaker)?)$"
FINDINGS_SCHEMA = {
    "record_id": pl.String,
    "field": pl.String,
    "kind": pl.String,
    "start": pl.Int64,
    "end": pl.Int64,
}


def scan(records: pl.DataFrame) -> pl.DataFrame:
    """Every identifier-shaped token in the released text and turns of ``records``: one row per
    finding (record_id, field, kind, char start and end)."""
    fields = text_fields(records.select("record_id", "text", "turns")).filter(
        pl.col("field").str.contains(SCANNED_FIELDS)
    )
    # What stands in for a redacted value ("[PHONE_NUMBER:3fa9c01b22de]") is no identifier.
    fields = fields.with_columns(
        value=pl.col("value").str.replace_all(PSEUDONYM, "[${1}]"),
        record_id=records["record_id"].gather(fields["_rec"]),
    )
    found = pl.concat(
        [
            _matches(fields, "digit_run", DIGIT_RUN).filter(~pl.col("_token").str.contains(DATE_AND_HOUR)),
            _matches(fields, "at_token", AT_TOKEN),
            _matches(fields, "alnum_id", ALNUM_TOKEN).filter(
                (pl.col("_token").str.count_matches("[0-9]") >= 4) & pl.col("_token").str.contains("[A-Za-z]")
            ),
            # a title after a title ("Prof. Ir. [PERSON]") is no name
            _matches(fields, "titled_name", TITLED_NAME).filter(
                ~pl.col("_token").str.contains(rf"[ \t](?:{ABBREVIATED_TITLES}|{WRITTEN_TITLES})$")
            ),
        ]
    )
    return found.select(*FINDINGS_SCHEMA).sort("record_id", "field", "start")


def _matches(fields: pl.DataFrame, kind: str, pattern: str) -> pl.DataFrame:
    """The matches of ``pattern`` in ``fields.value``, each with its char span (and ``_token``)."""
    hits = (
        fields.select("record_id", "field", "value", _token=pl.col("value").str.extract_all(pattern))
        .filter(pl.col("_token").list.len() > 0)
        .explode("_token")
        # the character before a title or handle is context, not part of the finding
        .with_columns(pl.col("_token").str.replace(r"^[^\p{L}\p{N}@+(]+", ""))
    )
    starts = _char_starts(hits)
    return hits.with_columns(
        kind=pl.lit(kind),
        start=starts,
        end=starts + hits["_token"].str.len_chars().cast(pl.Int64),
    ).select(*FINDINGS_SCHEMA, "_token")


def _char_starts(hits: pl.DataFrame) -> pl.Series:
    """Where each match starts in its value: matches come in order, so each is looked for after
    the one before it in the same value (a loop over findings only, which are few)."""
    starts: list[int] = []
    previous: tuple[str, str] | None = None
    position = 0
    for record_id, field, value, token in hits.select("record_id", "field", "value", "_token").iter_rows():
        if (record_id, field) != previous:
            previous, position = (record_id, field), 0
        found = value.find(token, position)
        starts.append(found)
        position = found + len(token)
    return pl.Series("start", starts, dtype=pl.Int64)


def first_kind(records: pl.DataFrame, findings: pl.DataFrame) -> pl.Series:
    """Per record of ``records``, the kind of its first finding (in the order of ``KINDS``), or
    null."""
    order = {kind: rank for rank, kind in enumerate(KINDS)}
    first = (
        findings.with_columns(_order=pl.col("kind").replace_strict(order, return_dtype=pl.Int8))
        .sort("_order")
        .unique("record_id", keep="first")
        .select("record_id", "kind")
    )
    return records.select("record_id").join(first, on="record_id", how="left", maintain_order="left")["kind"]


def review_path(lake: Lake, version: str) -> Path:
    """Where the findings of release ``version``'s scan wait for review (ids, kinds, spans)."""
    return inside(lake.root / "_review" / "release_scan", f"{version}.parquet", what="release version")


def apply_policy(
    lake: Lake, version: str, records: pl.DataFrame, policy: str
) -> tuple[pl.DataFrame, dict[str, int]]:
    """``records`` without those the scan flags, and how many were held back per kind; under
    ``stop``, a DataPlatformError instead when anything was flagged."""
    if policy not in POLICIES:
        raise DataPlatformError(f"release scan policy {policy!r}: choose one of {', '.join(POLICIES)}")
    findings = scan(records)
    kinds = first_kind(records, findings)
    counts = {str(k): int(n) for k, n in kinds.drop_nulls().value_counts(sort=True).iter_rows()}
    if counts and policy == "stop":
        flagged = records.filter(kinds.is_not_null())["record_id"].head(5).to_list()
        raise DataPlatformError(
            f"release {version} stopped by the release scan (policy stop): "
            + ", ".join(f"{n:,} records with {kind}" for kind, n in sorted(counts.items()))
            + f"; first record ids {flagged}. Redact them at the source, take them down, or cut "
            "with the scan policy hold to leave them out for review"
        )
    write_parquet_atomic(review_path(lake, version), findings)
    return records.filter(kinds.is_null()), dict(sorted(counts.items()))
