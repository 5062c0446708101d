import gzip
import json

from data_platform.annotation.language import UNDETERMINED, LanguageIdentifier
from data_platform.demo.generator import SAMPLE_DIR


def test_accuracy_on_the_bundled_multilingual_sample() -> None:
    with gzip.open(SAMPLE_DIR / "ud_sample.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    predicted = LanguageIdentifier().identify([r["text"] for r in rows])
    gold = [r["lang"] for r in rows]
    accuracy = sum(p == g for p, g in zip(predicted["lang"], gold, strict=True)) / len(gold)
    assert len(set(gold)) == 17
    assert accuracy >= 0.95, accuracy
    assert predicted["lang_confidence"].is_between(0, 1).all()


def test_too_short_or_missing_text_is_undetermined() -> None:
    result = LanguageIdentifier().identify(["ok", None, "This sentence is plainly written in English."])
    assert result["lang"].to_list() == [UNDETERMINED, UNDETERMINED, "en"]
    assert result["lang_confidence"].to_list()[:2] == [0.0, 0.0]


def test_restricting_languages_is_part_of_the_labeler_version() -> None:
    restricted = LanguageIdentifier(["de", "en"])
    assert restricted.version.endswith("+de,en")
    assert restricted.identify(["Das ist ein ganz normaler deutscher Satz."])["lang"][0] == "de"
