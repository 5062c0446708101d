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


def _reference(texts: list[str | None]) -> list[tuple[str, float]]:
    """py3langid's own per-text classify, with our short-text rule."""
    from py3langid.langid import MODEL_FILE
    from py3langid.langid import LanguageIdentifier as Reference

    model = Reference.from_model_file(MODEL_FILE, norm_probs=True)
    return [
        (UNDETERMINED, 0.0) if text is None or len(text.strip()) < 3 else model.classify(text)
        for text in texts
    ]


def test_the_column_wise_pass_gives_py3langids_own_labels() -> None:
    """Same label for every text and the same probability to float32 rounding, on the bundled
    samples (17 languages, support utterances, dialogues) and on awkward input: all capitals
    (lowered first, "ES350" but not "ℓ당 ES350"), separators Python strips, emoji, a long run."""
    texts: list[str | None] = []
    for name in ("ud_sample.jsonl.gz", "clinc150_sample.jsonl.gz"):
        with gzip.open(SAMPLE_DIR / name, "rt", encoding="utf-8") as handle:
            texts += [json.loads(line).get("text") for line in handle]
    texts += [
        "HELLO WORLD THIS IS CAPS", "연비 또한 ℓ당 10.6㎞로 ES350(ℓ당 9.6㎞)보다 연료효율이 높다.",
        "ΣΊΣΥΦΟΣ ΚΑΙ ΟΙ ΦΙΛΟΙ", "\x1c\x1dab", "İSTANBUL ÇOK GÜZEL", "e\u0301te\u0301 a\u0300 Paris",
        "😀😀😀😀", "1234 5678", "", None, "ok", "a" * 5000,
    ]  # fmt: skip
    ours = LanguageIdentifier().identify(texts)
    reference = _reference(texts)
    assert ours["lang"].to_list() == [lang for lang, _ in reference]
    differences = [abs(a - b) for a, (_, b) in zip(ours["lang_confidence"], reference, strict=True)]
    assert max(differences) < 1e-4
