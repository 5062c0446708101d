"""The gate a synthetic batch passes before it may enter the lake: judged against the real data
of its slice on four counts.

1. distribution distances: Jensen-Shannon of the length (words) and of the word mix;
2. a classifier two-sample test: the cross-validated AUC of telling real from synthetic texts
   by the words and bigrams both use (evaluation/text_drift.py; new names and topics are what
   a batch is for, so they may not give it away), with the terms that do;
3. memorisation: synthetic texts that nearly copy a real record, or each other (MinHash-LSH,
   synthetic/memorisation.py);
4. downstream utility: the task's labeler (annotation/labelers.py) trained on the real examples
   with and without the batch, scored by macro-F1 on held-out real examples; and whether the
   labeler trained on real examples alone gives the batch's texts the slice's label.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import polars as pl
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from data_platform.annotation.labelers import TextClassifier
from data_platform.evaluation.distances import categorical_shift, numeric_shift
from data_platform.evaluation.text_drift import text_drift
from data_platform.synthetic.memorisation import memorisation

TEST_SHARE = 0.25
SEED = 7
BOOTSTRAP_DRAWS = 200
NULL_DRAWS = 100
VOCABULARY_WORDS = 20_000


@dataclass(frozen=True)
class SyntheticPolicy:
    """What a synthetic batch must show to be promoted. Defaults were set on CLINC150
    (docs/benchmarks.md, "Synthetic data"): recombined utterances pass them, near copies and
    texts off the slice's distribution do not."""

    min_real_records: int = 20
    # Jensen-Shannon of lengths and of the word mix; a small batch may go as far as samples of
    # its size drawn from the real records themselves go (their 95th percentile), whichever is more.
    max_length_js: float = 0.15
    max_vocabulary_js: float = 0.5
    max_auc: float = 0.9
    max_copied_share: float = 0.02
    max_repeated_share: float = 0.05
    # The labeler trained on real examples must give the slice's label to the batch's texts at
    # least this share as often as it does to held-out real examples of the label.
    min_label_agreement_ratio: float = 0.5


@dataclass(frozen=True)
class Utility:
    """The labeler's scores on held-out real examples, trained without and with the batch."""

    label: str
    train_examples: int
    test_examples: int
    synthetic_added: int
    macro_f1_without: float
    macro_f1_with: float
    label_f1_without: float
    label_f1_with: float
    # The 95% paired-bootstrap interval of macro_f1_with - macro_f1_without over the test examples.
    f1_change_low: float
    f1_change_high: float
    # Share of the synthetic texts to which the labeler trained on real examples alone gives the
    # slice's label, and of the held-out real examples of the label: is the batch about its slice?
    label_agreement: float
    label_recall_real: float

    @property
    def f1_change(self) -> float:
        return self.macro_f1_with - self.macro_f1_without


@dataclass(frozen=True)
class Validation:
    """Every measure of a synthetic batch against its slice, and the reasons it fails (none: it
    passes)."""

    task: str
    slice: dict[str, str]
    candidates: int
    real_records: int
    length_js: float | None = None
    length_js_limit: float | None = None
    vocabulary_js: float | None = None
    vocabulary_js_limit: float | None = None
    auc: float | None = None
    synthetic_terms: list[str] = field(default_factory=list)
    copied: int = 0
    copied_share: float = 0.0
    repeated: int = 0
    utility: Utility | None = None
    utility_note: str = ""
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "passed": self.passed}


def validate_batch(
    synthetic: pl.Series,
    real: pl.DataFrame,
    examples: tuple[list[str], list[Any]] | None,
    *,
    task: str,
    conditions: dict[str, str],
    policy: SyntheticPolicy | None = None,
) -> Validation:
    """Judge ``synthetic`` texts against ``real`` (record_id, text: the slice's real records)
    and, for utility, the task's labelled ``examples`` (texts, labels)."""
    policy = policy or SyntheticPolicy()
    base = Validation(task=task, slice=conditions, candidates=synthetic.len(), real_records=real.height)
    if real.height < policy.min_real_records:
        needed = policy.min_real_records
        why = f"only {real.height} real records in the slice; at least {needed} are needed to judge it"
        return replace(base, failures=[why])
    if synthetic.len() == 0:
        return replace(base, failures=["the batch holds no synthetic text"])
    length = numeric_shift("words", _word_counts(real["text"]), _word_counts(synthetic))
    vocabulary = categorical_shift("words", _words(real["text"]), _words(synthetic))
    length_limit, vocabulary_limit = _js_limits(real["text"], synthetic.len(), policy)
    drift = text_drift(real["text"], synthetic, shared_terms_only=True)
    copies = memorisation(synthetic, real)
    utility, note = _utility(synthetic, examples, conditions.get("expected"))
    measured = replace(
        base,
        length_js=round(length.jensen_shannon, 4),
        length_js_limit=round(length_limit, 4),
        vocabulary_js=round(vocabulary.jensen_shannon, 4),
        vocabulary_js_limit=round(vocabulary_limit, 4),
        auc=None if drift.auc is None else round(drift.auc, 4),
        synthetic_terms=[term for term, _ in drift.current_terms],
        copied=copies.copied,
        copied_share=round(copies.share, 4),
        repeated=copies.repeated,
        utility=utility,
        utility_note=note,
    )
    return replace(measured, failures=_failures(measured, policy))


def _failures(measured: Validation, policy: SyntheticPolicy) -> list[str]:
    failures = []
    if measured.length_js is not None and measured.length_js > (measured.length_js_limit or 0):
        failures.append(
            f"length distribution: Jensen-Shannon {measured.length_js} > {measured.length_js_limit}"
        )
    if measured.vocabulary_js is not None and measured.vocabulary_js > (measured.vocabulary_js_limit or 0):
        failures.append(f"word mix: Jensen-Shannon {measured.vocabulary_js} > {measured.vocabulary_js_limit}")
    if measured.auc is not None and measured.auc > policy.max_auc:
        terms = ", ".join(measured.synthetic_terms[:5])
        failures.append(
            f"a classifier tells synthetic from real: AUC {measured.auc} > {policy.max_auc} ({terms})"
        )
    if measured.copied_share > policy.max_copied_share:
        failures.append(
            f"memorisation: {measured.copied} of {measured.candidates} texts nearly copy a real record "
            f"({measured.copied_share:.1%} > {policy.max_copied_share:.1%})"
        )
    if measured.repeated > policy.max_repeated_share * measured.candidates:
        failures.append(f"memorisation: {measured.repeated} texts nearly repeat another text of the batch")
    utility = measured.utility
    if (
        utility is not None
        and utility.label_agreement < policy.min_label_agreement_ratio * utility.label_recall_real
    ):
        failures.append(
            f"off the slice: the labeler trained on real examples gives {utility.label!r} to "
            f"{utility.label_agreement:.0%} of the texts and {utility.label_recall_real:.0%} of real ones"
        )
    if utility is not None and utility.f1_change_high < 0:
        failures.append(
            f"utility: the labeler's macro-F1 falls from {utility.macro_f1_without:.4f} to "
            f"{utility.macro_f1_with:.4f} on held-out real examples (95% interval of the change "
            f"{utility.f1_change_low:+.4f} to {utility.f1_change_high:+.4f})"
        )
    return failures


def _utility(
    synthetic: pl.Series, examples: tuple[list[str], list[Any]] | None, label: str | None
) -> tuple[Utility | None, str]:
    if examples is None:
        return None, "not measured: the task has no labelled examples"
    if label is None:
        return None, "not measured: the slice names no label (expected=...) to train on"
    texts, labels = examples
    multi_label = bool(labels) and isinstance(labels[0], list)
    flat = [first_label(value) for value in labels]
    if label not in set(flat):
        return None, f"not measured: no real example carries the label {label!r}"
    stratify = flat if min(Counter(flat).values()) >= 2 else None
    train, test = train_test_split(
        np.arange(len(texts)), test_size=TEST_SHARE, random_state=SEED, stratify=stratify
    )
    scores = utility_scores(texts, labels, train, test, synthetic.to_list(), label, multi_label=multi_label)
    return scores, ""


def first_label(value: Any) -> Any:
    """A single-label task's label, or the first of a multi-label task's labels."""
    return value[0] if isinstance(value, list) and value else value


def utility_scores(
    texts: list[str],
    labels: list[Any],
    train: np.ndarray,
    test: np.ndarray,
    synthetic: list[str],
    label: str,
    *,
    multi_label: bool = False,
) -> Utility:
    """Macro-F1 (and the slice label's F1) on the ``test`` rows of the labeler trained on the
    ``train`` rows, without and with ``synthetic`` texts labelled ``label``."""
    train_texts, train_labels = [texts[i] for i in train], [labels[i] for i in train]
    added: list[Any] = [[label] if multi_label else label] * len(synthetic)
    truth = [labels[i] for i in test]
    test_texts = pl.Series([texts[i] for i in test])
    real_only = TextClassifier.train("utility", train_texts, train_labels, multi_label=multi_label)
    before = _top_labels(real_only, test_texts)
    said = _top_labels(real_only, pl.Series(synthetic, dtype=pl.String))
    with_batch = TextClassifier.train(
        "utility", train_texts + synthetic, train_labels + added, multi_label=multi_label
    )
    after = _top_labels(with_batch, test_texts)
    first = [first_label(value) for value in truth]
    without, with_synthetic = _scores(first, before, label), _scores(first, after, label)
    low, high = _change_interval(first, before, after)
    of_label = [p for p, t in zip(before, first, strict=True) if t == label]
    return Utility(
        label=label,
        train_examples=len(train),
        test_examples=len(test),
        synthetic_added=len(synthetic),
        macro_f1_without=without[0],
        macro_f1_with=with_synthetic[0],
        label_f1_without=without[1],
        label_f1_with=with_synthetic[1],
        f1_change_low=low,
        f1_change_high=high,
        label_agreement=round(sum(value == label for value in said) / max(1, len(said)), 4),
        label_recall_real=round(sum(value == label for value in of_label) / max(1, len(of_label)), 4),
    )


def _scores(truth: list[Any], predicted: list[str], label: str) -> tuple[float, float]:
    """Macro-F1 over the labels of the truth, and the F1 of ``label``."""
    labels = sorted(set(truth))
    macro = float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0))
    single = float(f1_score(truth, predicted, labels=[label], average="macro", zero_division=0))
    return round(macro, 4), round(single, 4)


def _change_interval(truth: list[Any], before: list[str], after: list[str]) -> tuple[float, float]:
    """The 95% paired-bootstrap interval of macro-F1 after minus before, over the test rows."""
    rng = np.random.default_rng(SEED)
    labels = sorted(set(truth))
    truth_a, before_a, after_a = (
        np.array(truth, dtype=object),
        np.array(before, dtype=object),
        np.array(after, dtype=object),
    )
    changes = []
    for _ in range(BOOTSTRAP_DRAWS):
        rows = rng.integers(0, len(truth), len(truth))
        changes.append(
            f1_score(truth_a[rows], after_a[rows], labels=labels, average="macro", zero_division=0)
            - f1_score(truth_a[rows], before_a[rows], labels=labels, average="macro", zero_division=0)
        )
    low, high = np.quantile(changes, [0.025, 0.975])
    return round(float(low), 4), round(float(high), 4)


def _js_limits(real: pl.Series, size: int, policy: SyntheticPolicy) -> tuple[float, float]:
    """Per distance, the larger of the policy's limit and the 95th percentile of the distance
    between the real texts and samples of ``size`` drawn from them: no batch is refused for a
    difference chance alone gives a sample of its size."""
    lengths, words = _word_counts(real), _words(real)
    null_length, null_words = [], []
    for draw in range(NULL_DRAWS):
        sample = real.sample(size, with_replacement=True, seed=SEED + draw)
        null_length.append(numeric_shift("words", lengths, _word_counts(sample)).jensen_shannon)
        null_words.append(categorical_shift("words", words, _words(sample)).jensen_shannon)
    return (
        max(policy.max_length_js, float(np.quantile(null_length, 0.95))),
        max(policy.max_vocabulary_js, float(np.quantile(null_words, 0.95))),
    )


def _top_labels(classifier: TextClassifier, texts: pl.Series) -> list[str]:
    probabilities = classifier.fitted.predict_proba(texts)
    return [classifier.label_set[k] for k in np.argmax(probabilities, axis=1)]


def _word_counts(texts: pl.Series) -> pl.Series:
    return texts.str.count_matches(r"\w+").cast(pl.Float64)


def _words(texts: pl.Series) -> pl.Series:
    """Every word (lower case) of ``texts``; words outside the VOCABULARY_WORDS most frequent
    count as one category."""
    words = texts.str.to_lowercase().str.extract_all(r"\w+").explode().drop_nulls().rename("word")
    top = words.value_counts(sort=True).head(VOCABULARY_WORDS)["word"]
    return words.to_frame().select(
        pl.when(pl.col("word").is_in(top)).then("word").otherwise(pl.lit("<other>"))
    )["word"]
