"""PII in the tiers: the cleaned tier stores text redacted with findings per record, releases
apply their policy, and the release gate finds no structured PII left."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from data_platform.demo.runner import DemoOutcome
from data_platform.errors import DataPlatformError
from data_platform.governance.redaction import apply_policy, redact_records, structured_findings
from data_platform.governance.release_checks import governance_frame
from data_platform.lake.releases import release_root
from data_platform.lake.store import Lake
from data_platform.sources.schema import TURN
from data_platform.tiers.released import cut_release
from data_platform_tests import pii_corpus
from data_platform_tests.conftest import SHARED_DATA

PRESIDIO = SHARED_DATA / "presidio_synth_pii" / "presidio_synth_pii.jsonl"

KEY = b"test key, never stored"
RECORDS = pl.DataFrame(
    {
        "record_id": ["a", "b", "c"],
        "text": [
            "Mail joe@example.com or call +1 415 555 2671, again joe@example.com; x@y.org",
            None,
            "Nothing personal here.",
        ],
        "turns": [
            None,
            [
                {"speaker": "user", "text": "Hi, my name is Anna Berg, card 4111 1111 1111 1111"},
                {"speaker": "agent", "text": "Thanks Anna Berg. Your IP is 10.20.30.40"},
            ],
            None,
        ],
        "meta": ['{"text": "Mail joe@example.com"}', '{"user": "anna"}', "{}"],
    },
    schema_overrides={"turns": pl.List(TURN)},
)


def _field_texts(row: dict) -> dict[str, str]:
    texts = {"text": row["text"], "meta": row.get("meta")}
    texts.update({f"turns[{i}]": t["text"] for i, t in enumerate(row["turns"] or [])})
    return texts


def _check_spans(frame: pl.DataFrame, pattern: str) -> list[tuple[str, str]]:
    """Every finding's span covers a replacement of its type; returns (field, type) pairs."""
    seen = []
    for row in frame.iter_rows(named=True):
        texts = _field_texts(row)
        for finding in row["pii"]:
            covered = texts[finding["field"]][finding["start"] : finding["end"]]
            assert pl.Series([covered]).str.contains(pattern.format(finding["entity_type"])).item(), covered
            seen.append((row["record_id"], finding["field"], finding["entity_type"]))
    return seen


@pytest.mark.parametrize(("key", "pattern"), [(None, r"^\[{}\]$"), (KEY, r"^\[{}:[0-9a-f]{{12}}\]$")])
def test_records_are_redacted_in_every_field_with_findings_on_the_record(key, pattern) -> None:
    redacted = redact_records(RECORDS, key)
    assert redacted.columns == [*RECORDS.columns, "pii"]
    found = _check_spans(redacted, pattern)
    assert found == [
        ("a", "text", "EMAIL_ADDRESS"),
        ("a", "text", "PHONE_NUMBER"),
        ("a", "text", "EMAIL_ADDRESS"),
        ("a", "text", "EMAIL_ADDRESS"),
        ("a", "meta", "EMAIL_ADDRESS"),
        ("b", "turns[0]", "PERSON"),
        ("b", "turns[0]", "CREDIT_CARD"),
        ("b", "turns[1]", "PERSON"),  # "Thanks" is a sign-off cue
        ("b", "turns[1]", "IP_ADDRESS"),
    ]
    joined = " ".join(str(v) for v in redacted.select("text", "meta", "turns").to_dicts())
    for value in ("joe@example.com", "415 555 2671", "Anna Berg, card", "4111", "10.20.30.40"):
        assert value not in joined
    assert redacted["text"][2] == "Nothing personal here." and redacted["pii"][2].len() == 0
    assert [t["speaker"] for t in redacted["turns"][1]] == ["user", "agent"]
    assert structured_findings(redacted).height == 0
    assert structured_findings(RECORDS).height == 6  # cards, IPs, mails, phones; names are contextual


def test_pseudonyms_are_consistent_and_a_placeholder_release_moves_the_spans() -> None:
    redacted = redact_records(RECORDS, KEY)
    text = redacted["text"][0]
    pseudonyms = pl.Series([text]).str.extract_all(r"\[EMAIL_ADDRESS:[0-9a-f]{12}\]").explode().to_list()
    assert pseudonyms[0] == pseudonyms[1] != pseudonyms[2]  # same address, same pseudonym
    kept = apply_policy(redacted, "pseudonym")
    assert kept["text"].equals(redacted["text"])
    assert all(f["field"] != "meta" for findings in kept["pii"] for f in findings)
    stripped = apply_policy(redacted, "placeholder")
    assert (
        stripped["text"][0]
        == "Mail [EMAIL_ADDRESS] or call [PHONE_NUMBER], again [EMAIL_ADDRESS]; [EMAIL_ADDRESS]"
    )
    assert len(_check_spans(stripped.drop("meta"), r"^\[{}\]$")) == 8
    with pytest.raises(ValueError, match="redaction policy"):
        apply_policy(redacted, "none")


def _text_records(texts: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"record_id": [str(i) for i in range(len(texts))], "text": texts, "turns": None},
        schema_overrides={"turns": pl.List(TURN)},
    )


@pytest.mark.parametrize("key", [None, KEY])
def test_what_redaction_brings_into_reach_is_redacted_too(key) -> None:
    """A cue 38 characters before a phone is out of the context window; once the two names
    between shrink to placeholders it is in reach, and the release gate reads redacted text."""
    text = "please contact Lisa Lusk or Marcia Whited at 693-9222. Thanks, naïve Zoë"
    records = _text_records([text])
    redacted = redact_records(records, key)
    assert "693-9222" not in redacted["text"][0]
    found = _check_spans(redacted, r"^\[{}\]$" if key is None else r"^\[{}:[0-9a-f]{{12}}\]$")
    assert [kind for *_, kind in found].count("PHONE_NUMBER") == 1
    assert structured_findings(redacted).height == 0


def test_the_release_gate_finds_nothing_in_redacted_real_and_planted_text() -> None:
    texts = [row["text"] for row in pii_corpus.generate(800, seed=5)]
    if PRESIDIO.exists():
        texts += pl.read_ndjson(PRESIDIO)["text"].to_list()
    # Two texts joined, as the pipeline benchmark builds its records: names move cues into reach.
    joined = [f"{a} {b}" for a, b in zip(texts[::2], texts[1::2], strict=False)]
    records = _text_records(joined)
    assert structured_findings(redact_records(records, None)).height == 0


@pytest.mark.slow
def test_demo_tiers_hold_no_pii_text_and_the_release_gate_catches_what_slips_in(
    demo: DemoOutcome, tmp_path: Path
) -> None:
    lake = demo.lake
    cleaned = pl.concat([lake.scan_records("cleaned", b).collect() for b in lake.partitions("cleaned")])
    assert cleaned["pii"].list.len().sum() > 0  # the SGD dialogues carry phone numbers
    assert structured_findings(cleaned).height == 0
    raw = pl.concat([lake.scan_records("raw", b).collect() for b in lake.partitions("raw")])
    assert structured_findings(raw).height > 0  # the restricted tier keeps what was delivered

    manifest = demo.lake.stats("cleaned", lake.partitions("cleaned")[0])["pii"]
    assert manifest == {"mode": "placeholder", "key_id": None}
    copy = Lake(tmp_path / "lake")
    shutil.copytree(lake.root, copy.root)
    with pytest.raises(DataPlatformError, match="pseudonym release needs every batch"):
        cut_release(
            copy,
            "v901",
            created_at="2030-01-01T00:00:00+00:00",
            code_version="t",
            redaction_policy="pseudonym",
        )

    release = cut_release(copy, "v902", created_at="2030-01-01T00:00:00+00:00", code_version="t")
    assert sum(release.manifest["pii_findings"].values()) > 0
    records = pl.read_parquet(release_root(copy) / "v902" / "records-*.parquet")
    clean = governance_frame(copy, records, release.manifest)
    assert clean.select(pl.col("structured_pii").sum()).item() == 0
    assert clean.drop("record_id", "structured_pii").null_count().row(0) == (records.height,) * 4

    leaked = records.with_columns(
        text=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("x joe@example.com")).otherwise("text")
    )
    leaked = leaked.with_columns(
        origin_line=pl.when(pl.int_range(pl.len()) == 1).then(None).otherwise("origin_line")
    )
    flagged = governance_frame(copy, leaked, release.manifest)
    assert flagged["structured_pii"].to_list()[:2] == [1, 0]
    assert flagged["provenance_gap"].to_list()[:2] == [None, "no raw line"]


def test_detection_on_threads_finds_what_one_pass_finds(monkeypatch) -> None:
    from data_platform.governance import pii, redaction
    from data_platform.text.slices import byte_balanced_bounds

    texts = pl.Series([row["text"] for row in pii_corpus.generate(600, seed=9)])
    monkeypatch.setattr(redaction, "MIN_SLICE_BYTES", 1000)
    monkeypatch.setenv("DATA_PLATFORM_THREADS", "3")
    assert len(byte_balanced_bounds(texts, 3, redaction.MIN_SLICE_BYTES)) == 4
    assert redaction.detect_on_threads(texts).equals(pii.detect(texts))
