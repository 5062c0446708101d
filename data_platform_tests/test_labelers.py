"""Labelers: the trained classifier (single- and multi-label), its artefact, label entries,
calibration measures and the tone labeling functions."""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from data_platform.annotation.calibration import (
    expected_calibration_error,
    plot_reliability,
    points,
    reliability_table,
)
from data_platform.annotation.labelers import TextClassifier, label_entries, load_labeler
from data_platform.annotation.tone import TONES, ToneLabeler
from data_platform.errors import InputFileError, UnsafePathError
from data_platform.lake.artefacts import save_artefact

SAMPLE = (
    Path(__file__).resolve().parents[1] / "data_platform" / "demo" / "sample" / "clinc150_sample.jsonl.gz"
)


@pytest.fixture(scope="module")
def clinc() -> tuple[pl.DataFrame, pl.DataFrame]:
    data = pl.read_ndjson(SAMPLE).sample(fraction=1.0, shuffle=True, seed=3)
    return data.head(1400), data.tail(400)


@pytest.fixture(scope="module")
def intent(clinc) -> TextClassifier:
    train, _ = clinc
    return TextClassifier.train("intent", train["text"].to_list(), train["intent"].to_list())


def test_intent_classifier_learns_and_its_probabilities_are_distributions(intent, clinc) -> None:
    _, test = clinc
    proba = intent.predict_proba(test["text"])
    assert proba.shape == (test.height, len(intent.label_set))
    assert np.allclose(proba.sum(axis=1), 1.0)
    guess = np.asarray(intent.label_set)[proba.argmax(axis=1)]
    known = test["intent"].is_in(list(intent.label_set)).to_numpy()
    assert (guess[known] == test["intent"].to_numpy()[known]).mean() > 0.6  # 150 intents, ~9 examples each


def test_saved_labeler_keeps_its_version_and_a_changed_file_is_refused(intent, clinc, tmp_path: Path) -> None:
    path = intent.save(tmp_path)
    assert path.name == f"intent-{intent.version}.skops"
    again = load_labeler(tmp_path, path.name)
    assert again.version == intent.version
    texts = clinc[1]["text"].head(20)
    assert np.array_equal(again.predict_proba(texts), intent.predict_proba(texts))
    assert intent.save(tmp_path / "again").read_bytes() == path.read_bytes(), "same model, same bytes"
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(InputFileError, match="does not match the hash"):
        load_labeler(tmp_path, path.name)


def test_labelers_load_from_arrays_without_scikit_learn(intent, clinc, tmp_path: Path) -> None:
    """The inference form beside the artefact gives the trained classifier's probabilities to
    the last bit (single- and multi-label, Platt scalers too), and a fresh process reads it
    without importing skops or scikit-learn."""
    emotions = pl.read_ndjson(SAMPLE.with_name("emotion_training.jsonl.gz")).head(3000)
    emotion = TextClassifier.train(
        "emotion", emotions["text"].to_list(), emotions["labels"].to_list(), multi_label=True
    )
    assert any(platt is not None for _, platt in emotion.label_models)
    texts = pl.concat([clinc[1]["text"], emotions["text"].tail(300), pl.Series(["", "ok"])])
    for classifier in (intent, emotion):
        path = classifier.save(tmp_path)
        assert len(list(tmp_path.glob(f"{path.stem}.*.npz"))) == 1
        loaded = load_labeler(tmp_path, path.name)
        assert (loaded.version, loaded.label_set) == (classifier.version, classifier.label_set)
        assert np.array_equal(loaded.predict_proba(texts), classifier.predict_proba(texts))
        assert np.array_equal(
            loaded.predict_proba(texts, calibrated=False), classifier.predict_proba(texts, calibrated=False)
        )
    script = (
        "import sys; from pathlib import Path\n"
        "from data_platform.annotation.labelers import load_labeler\n"
        f"labeler = load_labeler(Path({str(tmp_path)!r}), {path.name!r})\n"
        "import polars as pl; labeler.predict_proba(pl.Series(['hello there']))\n"
        "print(sorted(m for m in ('skops', 'sklearn') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_missing_or_altered_inference_form_is_rebuilt_from_the_artefact(
    intent, clinc, tmp_path: Path
) -> None:
    path = intent.save(tmp_path)
    (sidecar,) = tmp_path.glob(f"{path.stem}.*.npz")
    texts = clinc[1]["text"].head(50)
    expected = intent.predict_proba(texts)
    sidecar.unlink()  # trained before the inference form existed
    assert np.array_equal(load_labeler(tmp_path, path.name).predict_proba(texts), expected)
    (sidecar,) = tmp_path.glob(f"{path.stem}.*.npz")  # written for the next run
    payload = bytearray(sidecar.read_bytes())
    payload[-200] ^= 0xFF  # altered after it was written: its name no longer matches
    sidecar.write_bytes(bytes(payload))
    assert np.array_equal(load_labeler(tmp_path, path.name).predict_proba(texts), expected)
    train = clinc[0].head(700)
    smaller = TextClassifier.train("intent", train["text"].to_list(), train["intent"].to_list())
    smaller.save(tmp_path / "other")
    for stale in tmp_path.glob(f"{path.stem}.*.npz"):
        stale.unlink()
    (foreign,) = (tmp_path / "other").glob("*.npz")
    # intact and named by its own hash, but derived from another version: not used
    foreign.rename(tmp_path / f"{path.stem}.{foreign.name.split('.')[-2]}.npz")
    assert np.array_equal(load_labeler(tmp_path, path.name).predict_proba(texts), expected)


class Payload:
    """What an attacker pickles: unpickling calls os.system."""

    def __reduce__(self):
        return (os.system, ("touch pwned",))


def test_artefacts_that_could_run_code_are_never_loaded(intent, tmp_path: Path) -> None:
    """A pickle renamed to its own hash, a path out of the folder, a symlink, a skops file of a
    type nobody trusted: each refused, and nothing runs."""
    folder = tmp_path / "_labelers"
    folder.mkdir()
    payload = pickle.dumps(Payload())
    for suffix in (".pkl", ".skops"):
        name = f"intent-{hashlib.sha256(payload).hexdigest()[:12]}{suffix}"
        (folder / name).write_bytes(payload)
        with pytest.raises((InputFileError, UnsafePathError)):
            load_labeler(folder, name)
    outside = intent.save(tmp_path)
    with pytest.raises(UnsafePathError):
        load_labeler(folder, f"../{outside.name}")
    (folder / outside.name).symlink_to(outside)
    with pytest.raises(UnsafePathError, match="leads outside"):
        load_labeler(folder, outside.name)
    foreign = save_artefact(folder, "intent", Payload)
    with pytest.raises(InputFileError, match="untrusted types"):
        load_labeler(folder, foreign.name)
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_label_entries_carry_value_confidence_and_provenance(intent, clinc) -> None:
    texts = clinc[1]["text"].head(5)
    entries = label_entries(intent, texts)
    assert entries.list.len().to_list() == [1] * 5
    first = entries[0][0]
    assert first["task"] == "intent" and first["value"] in intent.label_set
    assert 0.0 <= first["confidence"] <= 1.0
    assert first["labeler"] == "tfidf-logreg" and first["labeler_version"] == intent.version
    assert first["human_confirmed"] is False


def test_multi_label_classifier_gives_every_label_over_its_threshold() -> None:
    rng = np.random.default_rng(0)
    words = {"joy": "delighted wonderful", "anger": "furious outrageous", "fear": "scared worried"}
    texts, labels = [], []
    for _ in range(600):
        chosen = sorted(rng.choice(list(words), size=rng.integers(1, 3), replace=False))
        filler = " ".join(rng.choice(["the", "a", "day", "went", "we", "it"], size=4))
        texts.append(f"{filler} {' '.join(words[c] for c in chosen)}")
        labels.append(chosen)
    classifier = TextClassifier.train("emotion", texts, labels, multi_label=True)
    assert classifier.label_set == ("anger", "fear", "joy")
    entries = label_entries(classifier, pl.Series(["so delighted and scared", "it went"]))
    assert {e["value"] for e in entries[0]} == {"joy", "fear"}
    assert len(entries[1]) == 1  # nothing over the threshold: the most probable label only


def test_calibration_error_tells_calibrated_from_overconfident(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    confidence = rng.uniform(0.05, 1.0, 20_000)
    calibrated = reliability_table(confidence, rng.uniform(size=confidence.size) < confidence)
    overconfident = reliability_table(confidence, rng.uniform(size=confidence.size) < confidence * 0.6)
    assert expected_calibration_error(calibrated) < 0.02
    assert expected_calibration_error(overconfident) > 0.2
    assert calibrated["points"].sum() == 20_000 and calibrated["bin"].max() == 9
    figure = plot_reliability({"good": calibrated, "bad": overconfident}, tmp_path / "r.png", "test")
    assert figure.read_bytes()[:4] == b"\x89PNG"
    confidence_, correct = points(np.array([[0.7, 0.3], [0.2, 0.8]]), np.array([0, 0]), multi_label=False)
    assert confidence_.tolist() == [0.7, 0.8] and correct.tolist() == [True, False]


class _NoEmotion:
    """An emotion labeler that says nothing: the lexical labeling functions alone decide."""

    label_set = ("anger", "neutral", "remorse", "joy")
    version = "none"


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("I'm so sorry for the delay, my apologies.", "apologetic"),
        ("Thanks so much, have a great day :)", "friendly"),
        ("This is RIDICULOUS, still not fixed!!", "frustrated"),
        ("Dear Sir, please find attached the requested documentation. Kind regards.", "formal"),
        ("the meeting is at 3 pm", "neutral"),
    ],
)
def test_tone_labeling_functions(text: str, tone: str) -> None:
    labeler = ToneLabeler(_NoEmotion())
    proba = labeler.predict_proba(pl.Series([text]), np.zeros((1, 4)))
    assert TONES[int(proba.argmax())] == tone
    assert labeler.version == "1+emotion-none"


def test_tone_reads_the_emotion_probabilities() -> None:
    labeler = ToneLabeler(_NoEmotion())
    texts = pl.Series(["it arrived", "it arrived"])
    emotions = np.array([[0.9, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.95]])
    proba = labeler.predict_proba(texts, emotions)
    assert [TONES[i] for i in proba.argmax(axis=1)] == ["frustrated", "friendly"]
    assert np.allclose(proba.sum(axis=1), 1.0)


def test_human_tone_labels_refit_the_combination() -> None:
    """The rules call "thanks, fix it now" friendly; people who read these say frustrated."""
    labeler = ToneLabeler(_NoEmotion())
    texts = pl.Series(["thanks, fix it now"] * 40 + ["thanks a lot, lovely"] * 40 + ["sorry about that"] * 20)
    tones = ["frustrated"] * 40 + ["friendly"] * 40 + ["apologetic"] * 20
    emotions = np.zeros((texts.len(), 4))
    emotions[:40, 0] = 0.3  # some anger in the first kind, less than the thanks weigh
    before = [TONES[i] for i in labeler.predict_proba(texts, emotions).argmax(axis=1)]
    assert before[0] == "friendly"
    labeler.fit(texts, tones, emotions)
    after = [TONES[i] for i in labeler.predict_proba(texts, emotions).argmax(axis=1)]
    assert after == tones
    assert labeler.version.startswith("1+emotion-none+fit-")
    with pytest.raises(ValueError, match="tone labels must be among"):
        labeler.fit(texts, ["rude"] * texts.len(), emotions)


def test_the_same_examples_give_the_same_version_in_every_process() -> None:
    """The version is the artefact's hash: it must not depend on memory addresses or on the
    process's string-hash seed, or every run would relabel the lake under a new version."""
    import os
    import subprocess
    import sys

    script = (
        "from data_platform.annotation.labelers import TextClassifier\n"
        "kinds = {'billing': 'refund my card', 'travel': 'book a flight', 'cooking': 'bake bread'}\n"
        "texts = [f'{text} number {i}' for i in range(60) for text in kinds.values()]\n"
        "labels = [label for i in range(60) for label in kinds]\n"
        "print(TextClassifier.train('intent', texts, labels).version)\n"
    )
    versions = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(versions) == 1
