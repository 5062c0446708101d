import polars as pl

from data_platform.curation.cleaning import SEEN_SCHEMA, CleaningRules, clean_batch, extend_seen
from data_platform.curation.quality import QUALITY_PROFILES
from data_platform.sources.schema import RAW_SCHEMA
from data_platform.text.normalize import clean_text_column
from data_platform_tests.conftest import canonical_row

# These tests are about the other rules; quality rules have their own tests.
NO_QUALITY = QUALITY_PROFILES["off"]


def raw_frame(texts: list[str | None], batch: str = "b1", turns: list | None = None) -> pl.DataFrame:
    rows = [canonical_row(batch, i, text) for i, text in enumerate(texts)]
    for i, conversation in enumerate(turns or []):
        conversation_row = {"record_id": f"{batch}-c{i}", "kind": "conversation", "turns": conversation}
        rows.append(canonical_row(batch, len(rows), None, **conversation_row))
    return pl.DataFrame(rows, schema=RAW_SCHEMA)


def dedup_keys(raw: pl.DataFrame, rules: CleaningRules) -> pl.DataFrame:
    """What a batch contributes to the exact-dedup index: a pure function of its raw data."""
    return clean_batch(raw, rules, pl.DataFrame(schema=SEEN_SCHEMA)).keys


def cleaned_texts(texts: list[str]) -> list[str]:
    return clean_text_column(pl.DataFrame({"t": texts}), "t")["t"].to_list()


def test_whitespace_unicode_and_mojibake_are_normalised() -> None:
    assert cleaned_texts(
        [
            "  two  spaces\tand tab \r\n\r\n\r\n\r\nnext\u200b ",
            "e\u0301te\u0301",
            "Caf\u00c3\u00a9 cr\u00c3\u00a8me",
            "It\u2019s “quoted”",
            "non\u00a0breaking",
        ]
    ) == ["two spaces and tab\n\nnext", "été", "Café crème", "It’s “quoted”", "non breaking"]


def test_reasons_for_every_removed_record() -> None:
    raw = raw_frame(
        ["hello world", "hello   world ", " \t ", "hey", "Caf\u00c3\u00a9 time"],
        turns=[[{"speaker": "u", "text": "only one"}, {"speaker": "a", "text": "  "}]],
    )
    result = clean_batch(
        raw, CleaningRules(min_chars=5, quality=NO_QUALITY), pl.DataFrame(schema=SEEN_SCHEMA)
    )
    reasons = dict(zip(result.quarantined["record_id"], result.quarantined["reason"], strict=True))
    assert reasons == {
        "b1-1": "exact_duplicate",
        "b1-2": "empty_text",
        "b1-3": "too_short",
        "b1-c0": "too_few_turns",
    }
    [duplicate] = result.quarantined.filter(pl.col("reason") == "exact_duplicate").to_dicts()
    assert "b1-0" in duplicate["detail"] and duplicate["related_id"] == "b1-0"
    kept = result.kept.select("record_id", "text", "mojibake_fixed").rows()
    assert kept == [("b1-0", "hello world", False), ("b1-4", "Café time", True)]
    assert raw.height == result.kept.height + result.quarantined.height


def test_conversation_turns_are_normalised_and_empty_turns_dropped() -> None:
    raw = raw_frame(
        [],
        turns=[
            [
                {"speaker": "u", "text": " hi  there "},
                {"speaker": "a", "text": ""},
                {"speaker": "a", "text": "yes"},
            ]
        ],
    )
    result = clean_batch(raw, CleaningRules(quality=NO_QUALITY), pl.DataFrame(schema=SEEN_SCHEMA))
    assert result.kept["turns"].to_list() == [
        [{"speaker": "u", "text": "hi there"}, {"speaker": "a", "text": "yes"}]
    ]
    assert result.kept["text_chars"].to_list() == [11]


def test_cross_batch_dedup_depends_only_on_earlier_batches() -> None:
    rules = CleaningRules(quality=NO_QUALITY)
    first = raw_frame(["shared text", "only in one"], batch="b1")
    second = raw_frame(["shared  text", "only in two"], batch="b2")
    seen = extend_seen(pl.DataFrame(schema=SEEN_SCHEMA), dedup_keys(first, rules))
    result = clean_batch(second, rules, seen)
    assert result.quarantined.select("record_id", "reason").rows() == [("b2-0", "exact_duplicate")]
    assert "b1-0" in result.quarantined["detail"][0]
    # Batch 1 is judged without batch 2, whichever was cleaned first.
    alone = clean_batch(first, rules, pl.DataFrame(schema=SEEN_SCHEMA))
    assert alone.kept.height == 2


def test_index_owner_is_the_earliest_holder() -> None:
    rules = CleaningRules(quality=NO_QUALITY)
    seen = pl.DataFrame(schema=SEEN_SCHEMA)
    for batch in ("b1", "b2", "b3"):
        seen = extend_seen(seen, dedup_keys(raw_frame(["same thing"], batch=batch), rules))
    assert seen["record_id"].to_list() == ["b1-0"]


def test_confident_language_outside_the_declared_set_is_quarantined() -> None:
    from data_platform.annotation.labels import LanguagePolicy, annotate
    from data_platform.annotation.language import LanguageIdentifier

    german = "Der Kunde hat gestern angerufen und wollte wissen, wann seine Bestellung endlich ankommt."
    english = "The customer called yesterday and wanted to know when the order will finally arrive."
    raw = raw_frame([german, english, "Danke schön"])
    cleaned = clean_batch(raw, CleaningRules(quality=NO_QUALITY), pl.DataFrame(schema=SEEN_SCHEMA)).kept
    kept, quarantined = annotate(cleaned, LanguageIdentifier(), ("en",), LanguagePolicy())
    assert quarantined.select("record_id", "reason", "field").rows() == [
        ("b1-0", "unexpected_language", "lang")
    ]
    assert "identified de" in quarantined["detail"][0]
    assert kept["record_id"].to_list() == ["b1-1", "b1-2"], "short texts are never judged"
    [label] = kept["labels"][0].to_list()
    assert label["task"] == "language" and label["value"] == "en" and label["human_confirmed"] is False


def test_turns_repeated_across_many_conversations_are_flagged_not_removed() -> None:
    greeting = {"speaker": "bot", "text": "Hello! How can I help you today?"}
    conversations = [
        [greeting, {"speaker": "user", "text": f"I need help with order number {i}"}] for i in range(6)
    ]
    conversations.append([{"speaker": "user", "text": "hi"}, {"speaker": "bot", "text": "a one-off answer"}])
    result = clean_batch(
        raw_frame(["plain text record"], turns=conversations),
        CleaningRules(quality=NO_QUALITY),
        pl.DataFrame(schema=SEEN_SCHEMA),
    )
    flags = dict(zip(result.kept["record_id"], result.kept["templated_turns"], strict=True))
    assert flags["b1-0"] is None, "text records have no turns"
    assert [flags[f"b1-c{i}"] for i in range(7)] == [1, 1, 1, 1, 1, 1, 0]
    assert result.quarantined.height == 0


def test_rules_read_a_conversations_turns_not_its_speaker_labels() -> None:
    texts = [
        "hello I need some help today",
        "sure what seems to be wrong",
        "my parcel never arrived last week",
        "sorry to hear that, let me check",
        "thanks a lot for looking into it",
        "it is on its way again now",
    ]
    turns = [{"speaker": "USER" if i % 2 == 0 else "AGENT", "text": t} for i, t in enumerate(texts)]
    raw = raw_frame([], turns=[turns])
    rules = CleaningRules(quality=QUALITY_PROFILES["short-text"])
    result = clean_batch(raw, rules, pl.DataFrame(schema=SEEN_SCHEMA))
    assert result.kept.height == 1, result.quarantined["detail"].to_list()
    words = result.candidate_tokens.words()
    assert words.counts.tolist() == [39], "the turns' 39 words; no speaker label among them"


def test_duplicates_under_other_terms_are_kept_as_alternates() -> None:
    """An exact duplicate from a batch with another licence or consent stays, naming its kept
    copy; one under the same terms is quarantined; within a chunk the terms are the same."""
    rules = CleaningRules(quality=NO_QUALITY)
    first = raw_frame(["shared text", "also shared"], batch="b1")
    seen = extend_seen(pl.DataFrame(schema=SEEN_SCHEMA), dedup_keys(first, rules))
    second = raw_frame(["shared  text", "also shared", "also shared"], batch="b2")
    terms = {"b1": ("CC-BY-NC-4.0", "c"), "b2": ("MIT", "c")}
    result = clean_batch(second, rules, seen, lambda batch: terms[batch])
    assert result.alternates.select("record_id", "duplicate_of").rows() == [
        ("b2-0", "b1-0"),
        ("b2-1", "b1-1"),
    ]
    assert result.quarantined.select("record_id", "related_id").rows() == [("b2-2", "b1-1")]
    assert result.kept.height == 0
    same_terms = clean_batch(second, rules, seen, lambda batch: ("MIT", "c"))
    assert same_terms.alternates.height == 0 and same_terms.quarantined.height == 3
    other_consent = {"b1": ("MIT", "opt-in"), "b2": ("MIT", "c")}
    assert clean_batch(second, rules, seen, lambda batch: other_consent[batch]).alternates.height == 2


def test_records_whose_person_opted_out_are_quarantined_with_the_field() -> None:
    flags = [
        '{"user": {"opt_out": true}}',
        '{"user": {"opt_out": false}}',
        '{"user": {"opt_out": " Withdrawn"}}',
        "{}",
    ]
    raw = raw_frame(
        ["first text here", "second text here", "third text here", "fourth text here"]
    ).with_columns(meta=pl.Series(flags))
    rules = CleaningRules(quality=NO_QUALITY, opt_out_field="user.opt_out")
    result = clean_batch(raw, rules, pl.DataFrame(schema=SEEN_SCHEMA))
    assert result.quarantined.select("record_id", "reason").rows() == [
        ("b1-0", "consent_opt_out"),
        ("b1-2", "consent_opt_out"),
    ]
    assert result.quarantined["detail"][0] == "field user.opt_out of the delivered record says true"
    assert result.kept["record_id"].to_list() == ["b1-1", "b1-3"]
    without = clean_batch(raw, CleaningRules(quality=NO_QUALITY), pl.DataFrame(schema=SEEN_SCHEMA))
    assert without.kept.height == 4
