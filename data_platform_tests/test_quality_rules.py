import gzip
import json

import polars as pl
import pytest

from data_platform.curation.quality import (
    QUALITY_PROFILES,
    C4Quality,
    GopherQuality,
    QualityRules,
    quality_rules,
    quality_stats,
)
from data_platform.curation.rules import first_failure
from data_platform.sources.registry import QUALITY_PROFILE_NAMES
from data_platform.text.tokens import tokenize
from data_platform_tests.conftest import PROJECT_ROOT, shared_data

PROSE = (
    "The old house stood at the end of the lane, and the children walked past it every morning "
    "on their way to school. Nobody had lived there for years. The windows were dark and the "
    "garden had grown wild with roses and nettles. One day a light appeared in the attic, and "
    "the whole village began to talk about who might have come to stay with the ghosts. It was "
    "a small light, but it was enough to keep the whole street awake."
)
DECISIONS = (
    PROJECT_ROOT / "data_platform_tests" / "fixtures" / "datatrove_filter_decisions_gutenberg.jsonl.gz"
)
FAMILIES = ("gopher_repetition", "gopher_quality", "c4", "fineweb")


def verdicts(texts: list[str], rules: QualityRules) -> list[str | None]:
    series = pl.Series(texts)
    stats = quality_stats(series, tokenize(series), rules)
    reason, _ = first_failure(quality_rules(rules))
    return stats.select(reason)[:, 0].to_list()


def only(family: str) -> QualityRules:
    """The default rules of one family, every other family (and spam) off."""
    return QualityRules(
        spam=None, **{name: (getattr(QualityRules(), name) if name == family else None) for name in FAMILIES}
    )


def test_clean_prose_passes_every_family() -> None:
    assert verdicts([PROSE], QualityRules()) == [None]


@pytest.mark.parametrize(
    ("text", "family", "rule"),
    [
        ("too short to be a document.", "gopher_quality", "gopher_short_doc"),
        (PROSE + " #tag" * 20, "gopher_quality", "gopher_too_many_hashes"),
        ("\n".join(["- item number one of the list"] * 3 + [PROSE]), "gopher_quality", None),
        (
            "\n".join(["- " + PROSE[i : i + 40] for i in range(0, 360, 40)]),
            "gopher_quality",
            "gopher_too_many_bullets",
        ),
        (
            " ".join(f"Word{i} alpha beta gamma." for i in range(30)),
            "gopher_quality",
            "gopher_enough_stop_words",
        ),
        (PROSE + " " + " ".join(str(i) for i in range(40)), "gopher_quality", "gopher_below_alpha_threshold"),
        (
            "\n\n".join([PROSE, PROSE, "A different closing paragraph with the end of it."]),
            "gopher_repetition",
            "gopher_dup_para_frac",
        ),
        (PROSE + " buy now" * 30, "gopher_repetition", "gopher_top_2_gram"),
        (PROSE + " Lorem ipsum dolor sit amet.", "c4", "c4_lorem_ipsum"),
        (PROSE + "\nThen var x = {a: 1} was printed.", "c4", "c4_curly_bracket"),
        ("One sentence only. Two of them.", "c4", "c4_too_few_sentences"),
        ("\n".join(["menu", "home", "about us", "contact"] + [PROSE]), "fineweb", "fineweb_short_line_ratio"),
        (
            PROSE + "\n" + "\n".join(["This same line is repeated here, again and again."] * 3),
            "fineweb",
            "fineweb_char_dup_ratio",
        ),
        (
            "no punctuation at all here\n" * 1 + "nor here either friend",
            "fineweb",
            "fineweb_line_punct_ratio",
        ),
    ],
)
def test_each_rule_names_itself(text: str, family: str, rule: str | None) -> None:
    rules = QualityRules(
        **{name: (getattr(QualityRules(), name) if name == family else None) for name in FAMILIES}
    )
    assert verdicts([text], rules) == [rule]


def test_detail_states_value_and_threshold() -> None:
    series = pl.Series(["a few words only."])
    gopher_only = only("gopher_quality")
    stats = quality_stats(series, tokenize(series), gopher_only)
    _, detail = first_failure(quality_rules(gopher_only))
    assert stats.select(detail).item() == "words 4 < 50"


def test_every_profile_the_registry_accepts_has_rules() -> None:
    assert set(QUALITY_PROFILES) == set(QUALITY_PROFILE_NAMES)


def test_none_switches_a_rule_off_and_profiles_fit_short_texts() -> None:
    short = "Can you book me a table for two at 7pm?"
    assert verdicts([short], only("gopher_quality")) == ["gopher_short_doc"]
    assert verdicts([short], QUALITY_PROFILES["short-text"]) == [None]
    assert verdicts(["@@@ ### 123 456 $$$ %%% 789 000"], QUALITY_PROFILES["short-text"]) == [
        "char_class_anomaly"
    ]
    assert verdicts(
        ["ERFURT, 6. November (ap).", "遊戲的任務重心就是「自由」。"], QUALITY_PROFILES["short-text"]
    ) == [
        None,
        None,
    ]
    assert verdicts(["buy now " * 20], QUALITY_PROFILES["short-text"]) == ["gopher_dup_5_gram"]
    assert verdicts(["Hello {first_name}, your order shipped."], QUALITY_PROFILES["short-text"]) == [
        "c4_curly_bracket"
    ]
    relaxed = QualityRules(
        gopher_repetition=None,
        gopher_quality=GopherQuality(min_doc_words=None, min_stop_words=None),
        c4=C4Quality(min_sentences=None),
    )
    assert verdicts(["a few words only."], relaxed) == ["fineweb_short_line_ratio"]
    assert verdicts(["a few words only."], QUALITY_PROFILES["off"]) == [None]


def test_language_swaps_stop_words() -> None:
    german = (
        "Der alte Mann ging mit dem Hund in den Wald, und die Kinder liefen zu dem Haus von "
        "ihrer Tante. Das Wetter war schön und der Himmel war blau, als die Sonne unterging "
        "und die Vögel sangen. Später kamen alle zurück und aßen zusammen zu Abend mit Brot. "
        "Am nächsten Morgen regnete es, aber niemand wollte im Haus bleiben, weil der Markt begann."
    )
    gopher_only = only("gopher_quality")
    assert verdicts([german], gopher_only) == ["gopher_enough_stop_words"]
    assert verdicts([german], gopher_only.for_language("de")) == [None]
    assert gopher_only.for_language("sw").gopher_quality.min_stop_words is None
    assert gopher_only.for_language("ja").gopher_quality.min_doc_words is None


def test_decisions_agree_with_datatrove_on_gutenberg() -> None:
    """datatrove 0.10.1's four filters (spaCy 3 tokenizer) ran on the shared Gutenberg set in
    the benchmark environment; their decisions are the fixture."""
    path = shared_data("gutenberg_docs/gutenberg_docs.jsonl.gz")
    with gzip.open(DECISIONS, "rt") as handle:
        reference = pl.DataFrame([json.loads(line) for line in handle])
    with gzip.open(path) as handle:
        docs = pl.read_ndjson(handle).select("id", "text").join(reference, on="id")
    stats = quality_stats(docs["text"], tokenize(docs["text"]), QualityRules())
    for family in FAMILIES:
        rules = QualityRules(
            **{name: (getattr(QualityRules(), name) if name == family else None) for name in FAMILIES}
        )
        reason, _ = first_failure(quality_rules(rules))
        ours = stats.select(reason.is_null())[:, 0]
        agreement = (ours == (docs[family] == "keep")).mean()
        assert agreement >= 0.99, (family, agreement)
