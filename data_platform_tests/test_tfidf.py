"""The compiled TF-IDF pass gives scikit-learn's matrix, value for value, and the labelers give
the labels and probabilities they gave when scikit-learn built the matrix."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_union

from data_platform.annotation.labelers import TextClassifier, text_features
from data_platform.annotation.labels import machine_labels
from data_platform.annotation.language import LanguageIdentifier
from data_platform.annotation.tfidf import CompiledFeatures

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data_platform" / "demo" / "sample"
SHARED_UD = Path(__file__).resolve().parents[2] / "shared" / "data" / "ud_multilingual_sentences"
# What Python's lower(), \w, \b and split() make awkward: final sigma, dotted capital I (two code
# points once lowered), combining marks (not \w), digits of other scripts and fractions (\w),
# U+001C-U+001F and no-break spaces (white space to split()), full-width forms, emoji, a title-case
# digraph, NUL inside a text, underscores, a long word and empty texts.
AWKWARD = [
    "ΟΔΥΣΣΕΥΣ ΚΑΙ ΑΣ. Σ ΣΑΣ", "İSTANBUL'DA İyi", "e\u0301te\u0301 à Paris", "हिन्दी भाषा ২০২৪ ½ ²³",
    "tab\tsep\x1cx\x1fy\u00a0nbsp\u3000wide", "Ｆｕｌｌ ｗｉｄｔｈ", "😀 emoji😀x 😀😀", "ǅemal ǈubljana",
    "a\x00b nul\x00inside", "snake_case __init__ x_y", "w" * 300, "", " ", "a", "I İ ı i",
]  # fmt: skip


def _texts(name: str) -> list[str]:
    with gzip.open(SAMPLE_DIR / name, "rt", encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle]


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    """17 languages (UD), support utterances (CLINC150) and dialogue turns (SGD), bundled."""
    return _texts("ud_sample.jsonl.gz") + _texts("clinc150_sample.jsonl.gz") + AWKWARD


def _assert_same_matrix(expected, got) -> None:
    expected = expected.tocsr()
    assert got.shape == expected.shape
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)  # exact: no tolerance


def test_the_compiled_pass_gives_scikit_learns_matrix(corpus) -> None:
    """Fitted on one half (so the other has unknown n-grams), compared on every text; the union
    is the labelers' own (word 1-2-grams, char_wb 2-4-grams)."""
    features = text_features().fit(corpus[::2])
    compiled = CompiledFeatures.from_union(features)
    assert all(block.weighting is not None for block in compiled.blocks)
    _assert_same_matrix(features.transform(corpus), compiled.transform(pl.Series(corpus)))


def test_other_ngram_ranges_and_unsupported_settings_still_match(corpus) -> None:
    """Bigrams only, unigrams only, 1-5 char n-grams (more than the pass keys: left to
    scikit-learn), 1-3 char_wb, stop words and l1 norms (left to scikit-learn), raw counts."""
    union = make_union(
        TfidfVectorizer(ngram_range=(2, 2)),
        TfidfVectorizer(ngram_range=(1, 1), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5)),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), min_df=2),
        TfidfVectorizer(stop_words="english"),
        TfidfVectorizer(norm="l1"),
        TfidfVectorizer(use_idf=False, norm=None),
    ).fit(corpus[1::2])
    compiled = CompiledFeatures.from_union(union)
    compiled_blocks = [block.weighting is not None for block in compiled.blocks]
    assert compiled_blocks == [True, True, False, True, False, False, True]
    _assert_same_matrix(union.transform(corpus), compiled.transform(pl.Series(corpus)))


def test_the_matrix_is_the_same_on_shared_sentences_in_17_languages() -> None:
    files = sorted(SHARED_UD.glob("*.jsonl.gz"))
    if not files:
        pytest.skip(f"no UD sentences at {SHARED_UD}")
    texts = pl.read_ndjson(files[0])["text"]
    features = text_features().fit(texts.gather_every(7).to_list())
    compiled = CompiledFeatures.from_union(features)
    _assert_same_matrix(features.transform(texts.to_list()), compiled.transform(texts))


def _probabilities_from_scikit_learn(classifier: TextClassifier, texts: pl.Series) -> np.ndarray:
    """What predict_proba gave before the compiled pass: scikit-learn's matrix, each per-label
    model scored on its own."""
    matrix = classifier.features.transform(texts.fill_null("").to_list())
    if not classifier.multi_label:
        logits = classifier._logits(matrix) / classifier.temperature
        logits -= logits.max(axis=1, keepdims=True)
        proba = np.zeros((matrix.shape[0], len(classifier.label_set)))
        proba[:, classifier.model.classes_] = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        return proba
    return np.column_stack(
        [
            platt.predict_proba(model.decision_function(matrix).reshape(-1, 1))[:, 1]
            if platt is not None
            else model.predict_proba(matrix)[:, 1]
            for model, platt in classifier.label_models
        ]
    )


def test_labelers_give_the_labels_and_probabilities_they_gave_before(corpus) -> None:
    clinc = pl.read_ndjson(SAMPLE_DIR / "clinc150_sample.jsonl.gz")
    intent = TextClassifier.train("intent", clinc["text"].to_list(), clinc["intent"].to_list())
    emotions = pl.read_ndjson(SAMPLE_DIR / "emotion_training.jsonl.gz")
    emotion = TextClassifier.train(
        "emotion", emotions["text"].to_list(), emotions["labels"].to_list(), multi_label=True
    )
    texts = pl.Series([*corpus, None])
    for classifier in (intent, emotion):
        before = _probabilities_from_scikit_learn(classifier, texts)
        now = classifier.predict_proba(texts)
        assert np.array_equal(now.argmax(axis=1), before.argmax(axis=1))
        np.testing.assert_allclose(now, before, rtol=0, atol=1e-12)


def test_threads_give_the_labels_one_pass_gives(corpus, monkeypatch) -> None:
    clinc = pl.read_ndjson(SAMPLE_DIR / "clinc150_sample.jsonl.gz")
    intent = TextClassifier.train("intent", clinc["text"].to_list(), clinc["intent"].to_list())
    texts = pl.Series("text", (corpus * 3)[:5000])
    identifier = LanguageIdentifier()
    monkeypatch.setenv("DATA_PLATFORM_THREADS", "1")
    one = machine_labels(texts, identifier, {"intent": intent})
    monkeypatch.setenv("DATA_PLATFORM_THREADS", "2")
    two = machine_labels(texts, identifier, {"intent": intent})
    assert one[0].equals(two[0])
    assert [entries.to_list() for entries in one[1]] == [entries.to_list() for entries in two[1]]


def test_each_text_is_lowered_as_if_alone() -> None:
    """A final capital sigma lowers to "ς" at the end of its text, whatever text follows; the
    dotted capital I lowers to two code points without shifting the next text."""
    texts = ["ΟΔΟΣ", "Βήμα İİ", "ΑΣ", "Ωμέγα"]
    union = make_union(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3)), TfidfVectorizer()).fit(texts)
    assert "ς " in union.transformer_list[0][1].vocabulary_
    compiled = CompiledFeatures.from_union(union)
    _assert_same_matrix(union.transform(texts), compiled.transform(pl.Series(texts)))


def test_two_threads_annotate_a_chunk_as_one_does(monkeypatch, tmp_path) -> None:
    """The whole tier step on a part cut in two, two German records in the second half:
    same records, labels and quarantine. Polars 1.x panicked formatting the quarantine detail
    when the halves' columns came back in two chunks (found by bench_pipeline)."""
    from data_platform.annotation.labels import LanguagePolicy, annotate
    from data_platform.curation.cleaning import SEEN_SCHEMA, CleaningRules, clean_batch
    from data_platform_tests.test_cleaning import NO_QUALITY, raw_frame

    german = "Der Kunde hat gestern angerufen und wollte wissen, wann seine Bestellung endlich ankommt {}."
    texts = [
        german.format(i) if i in (4001, 5003) else f"{text} ({i})"
        for i, text in enumerate((_texts("clinc150_sample.jsonl.gz") * 4)[:6000])
    ]
    cleaned = clean_batch(
        raw_frame(texts), CleaningRules(quality=NO_QUALITY), pl.DataFrame(schema=SEEN_SCHEMA)
    )
    clinc = pl.read_ndjson(SAMPLE_DIR / "clinc150_sample.jsonl.gz")
    intent = TextClassifier.train("intent", clinc["text"].to_list(), clinc["intent"].to_list())
    results = []
    for threads in ("1", "2"):
        monkeypatch.setenv("DATA_PLATFORM_THREADS", threads)
        results.append(
            annotate(cleaned.kept, LanguageIdentifier(), ("en",), LanguagePolicy(), {"intent": intent})
        )
    (one_kept, one_out), (two_kept, two_out) = results
    assert one_out.height == 2 and one_kept.equals(two_kept) and one_out.equals(two_out)
