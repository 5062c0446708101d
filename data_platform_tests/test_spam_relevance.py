import json
from pathlib import Path

import polars as pl
import pytest
import yaml

from data_platform.curation.cleaning import SEEN_SCHEMA, clean_batch, rules_for_source
from data_platform.curation.quality import QUALITY_PROFILES, QualityRules, quality_rules, quality_stats
from data_platform.curation.relevance import relevance_rules, relevance_stats
from data_platform.curation.rules import first_failure
from data_platform.curation.scoring import HashedNgramClassifier, load_scorer
from data_platform.curation.spam import SpamRules
from data_platform.errors import InputFileError
from data_platform.sources.registry import RelevanceRules, load_registry
from data_platform.sources.schema import RAW_SCHEMA
from data_platform.text.tokens import tokenize
from data_platform_tests.conftest import canonical_row, registry_entry

SENTENCE = "The delivery arrived two days late, but the support team refunded the shipping cost quickly."
SPAM_ONLY = QualityRules(gopher_repetition=None, gopher_quality=None, c4=None, fineweb=None, spam=SpamRules())


def spam_verdicts(texts: list[str], rules: QualityRules = SPAM_ONLY) -> list[str | None]:
    series = pl.Series(texts)
    stats = quality_stats(series, tokenize(series), rules)
    return stats.select(first_failure(quality_rules(rules))[0])[:, 0].to_list()


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (SENTENCE, None),
        ("Great deals http://a.example/x http://b.example/y www.c.example click", "link_stuffing"),
        ("See the manual at https://docs.example.org/setup for the details of the setup.", None),
        ("cheap " * 12 + "watches for sale here today " + "cheap " * 10, "keyword_stuffing"),
        ("THIS IS THE BEST OFFER YOU WILL EVER SEE IN YOUR LIFE", "all_caps"),
        ("|----|----|----| 12 | 34 | 56 | 78 | 90 |----|", "char_class_anomaly"),
        ("The caf\ufffd was closed when we arrived at noon.", "broken_characters"),
    ],
)
def test_spam_rules_name_themselves(text: str, rule: str | None) -> None:
    assert spam_verdicts([text, "", "-"]) == [rule, None, None]


def test_repeated_templates_keep_the_first_and_spare_short_texts() -> None:
    notices = [
        f"Your verification code is {100000 + i}. It expires in {i % 5 + 1} minutes." for i in range(12)
    ]
    texts = [SENTENCE, *notices]
    verdicts = spam_verdicts(texts)
    assert verdicts[:2] == [None, None]
    assert verdicts[2:] == ["repeated_template"] * 11
    assert spam_verdicts(texts, QUALITY_PROFILES["short-text"]) == [None] * len(texts)


def test_a_trained_scorer_plugs_into_the_spam_rules(tmp_path: Path) -> None:
    good = [f"{SENTENCE} Order {i} was handled by agent {i % 7}." for i in range(40)]
    bad = [f"WIN FREE MONEY now {i} click click click!!! best casino bonus {i}" for i in range(40)]
    scorer = HashedNgramClassifier().fit(good + bad, [1] * 40 + [0] * 40)
    path = scorer.save(tmp_path / "scorer.skops")
    assert load_scorer(str(path)).version == scorer.version and len(scorer.version) == 16
    rules = QualityRules(
        gopher_repetition=None,
        gopher_quality=None,
        c4=None,
        fineweb=None,
        spam=SpamRules(scorer_path=str(path)),
    )
    assert spam_verdicts(
        ["Order 99 was refunded by the support team.", "free casino bonus click now"], rules
    ) == [
        None,
        "low_quality_score",
    ]


def relevance_verdicts(texts: list[str], rules: RelevanceRules) -> list[tuple[str | None, str | None]]:
    series = pl.Series(texts)
    reason, detail = first_failure(relevance_rules(rules))
    return list(relevance_stats(series, rules).select(reason=reason, detail=detail).iter_rows())


def test_relevance_include_and_exclude_patterns() -> None:
    rules = RelevanceRules(include=(r"(?i)\b(order|refund|delivery)\b",), exclude=(r"(?i)casino",))
    assert relevance_verdicts([SENTENCE, "My order: casino chips", "What a lovely sunset"], rules) == [
        (None, None),
        ("irrelevant", "matches the excluded pattern '(?i)casino'"),
        ("irrelevant", "matches none of the include patterns"),
    ]


def test_relevance_classifier_from_registry_examples(tmp_path: Path) -> None:
    examples = tmp_path / "examples.jsonl"
    support = [f"my parcel {i} is late, can I get a refund for the delivery" for i in range(30)]
    offtopic = [f"the football match {i} ended in a draw after extra time" for i in range(30)]
    examples.write_text(
        "".join(
            json.dumps({"text": t, "relevant": r}) + "\n"
            for t, r in [(s, True) for s in support] + [(o, False) for o in offtopic]
        )
    )
    registry = tmp_path / "sources.yaml"
    entry = registry_entry("support", "drops", relevance={"examples": "examples.jsonl", "min_score": 0.5})
    registry.write_text(yaml.safe_dump({"sources": [entry]}))
    source = load_registry(registry).get("support")
    rules = rules_for_source(source)
    raw = pl.DataFrame(
        [
            canonical_row("b1", 0, "Where is my parcel? The delivery is late and I want a refund."),
            canonical_row("b1", 1, "What a match, the football team played extra time again."),
        ],
        schema=RAW_SCHEMA,
    )
    result = clean_batch(raw, rules, pl.DataFrame(schema=SEEN_SCHEMA))
    assert result.kept["record_id"].to_list() == ["b1-0"]
    row = result.quarantined.row(0, named=True)
    assert row["reason"] == "irrelevant" and row["detail"].startswith("relevance score 0.")


def test_bad_relevance_settings_name_the_field(tmp_path: Path) -> None:
    registry = tmp_path / "sources.yaml"
    bad_pattern = registry_entry("a", "drops", relevance={"include": ["(unclosed"]})
    missing_file = registry_entry("b", "drops", relevance={"examples": "nowhere.jsonl"})
    registry.write_text(yaml.safe_dump({"sources": [bad_pattern, missing_file]}))
    errors = {e.source_id: e for e in load_registry(registry).errors}
    assert errors["a"].field == "relevance.include" and "(unclosed" in errors["a"].problem
    assert errors["b"].field == "relevance.examples"
    examples = tmp_path / "examples.jsonl"
    examples.write_text('{"text": "fine", "relevant": true}\n{"text": "no label"}\n')
    from data_platform.curation.scoring import read_examples

    with pytest.raises(InputFileError, match=r"examples.jsonl:2: field 'relevant'"):
        read_examples(examples, "relevant")
