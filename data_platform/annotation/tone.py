"""Tone from labeling functions: emotion probabilities plus lexical cues, combined into one
label with a confidence.

Each labeling function votes for one tone with a strength in [0, 1] per record, computed over
the whole column (Polars string expressions, NumPy):

- ``apology_markers``: "sorry", "apologise/apologize", "my bad", "forgive me", "regret" -> apologetic;
- ``remorse``: the emotion labeler's probability of remorse or embarrassment -> apologetic;
- ``politeness_markers``: thanks, please, greetings, "have a nice day", smileys -> friendly;
- ``warm_emotions``: gratitude, joy, love, caring, admiration, approval, amusement, excitement,
  optimism -> friendly;
- ``complaint_markers``: "still not", "again", "ridiculous", "unacceptable", "worst", "!!",
  "?!", words in capitals -> frustrated;
- ``hot_emotions``: anger, annoyance, disappointment, disgust -> frustrated;
- ``formal_register``: formal openings and closings ("Dear", "Sincerely", "Kind regards",
  "kindly", "hereby", "please find"), no contractions, long words, a capital first letter and a
  final full stop -> formal;
- ``neutral_emotion``: the emotion labeler's neutral probability -> neutral.

A tone's score is the weighted sum of its votes (``WEIGHTS``), neutral gets a floor
(``NEUTRAL_PRIOR``) so a record nothing speaks for is neutral; the scores go through a softmax
with ``SHARPNESS``, whose largest entry is the confidence. Those weights are set by hand.

Human tone labels improve it: ``fit`` learns the combination from labeled records instead
(multinomial logistic regression, scikit-learn, over the labeling functions' votes and the
emotion probabilities), so the rules stay the features and people's answers decide how much
each counts. Tones no label mentions keep the hand-set route. The labeler's version names its
rule version, the emotion labeler's version and, once fitted, the hash of the fitted weights.
How well each does against the proxies GoEmotions allows is in docs/benchmarks.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from data_platform.annotation.labelers import Labeler

TONES = ("friendly", "apologetic", "formal", "neutral", "frustrated")
APOLOGY = r"(?i)\b(?:sorry|apologi[sz]e|apologies|my bad|forgive me|regret)\b"
POLITE = (
    r"(?i)\b(?:thanks?|thank you|thx|please|hello|hi|hey|good (?:morning|afternoon|evening)|"
    r"have a (?:nice|great|good) (?:day|one|weekend)|cheers|appreciate)\b|[:;]-?[)D]"
)
COMPLAINT = (
    r"(?i:\b(?:still not|again|ridiculous|unacceptable|worst|terrible|useless|fed up|"
    r"sick of|waste of|never works?)\b)|!!|\?!|\b\p{Lu}{4,}\b"
)
FORMAL = r"(?i)\b(?:dear|sincerely|kind regards|best regards|kindly|hereby|please find|yours faithfully)\b"
CONTRACTION = r"(?i)\b\w+'(?:s|t|re|ve|ll|d|m)\b"
WARM = ("gratitude", "joy", "love", "caring", "admiration", "approval", "amusement", "excitement", "optimism")
HOT = ("anger", "annoyance", "disappointment", "disgust")
REMORSE = ("remorse", "embarrassment")
# (labeling function, tone it votes for, weight)
WEIGHTS = {
    "apology_markers": ("apologetic", 2.0),
    "remorse": ("apologetic", 1.5),
    "politeness_markers": ("friendly", 1.0),
    "warm_emotions": ("friendly", 1.5),
    "complaint_markers": ("frustrated", 1.2),
    "hot_emotions": ("frustrated", 1.5),
    "formal_register": ("formal", 1.5),
    "neutral_emotion": ("neutral", 1.0),
}
NEUTRAL_PRIOR = 0.5
SHARPNESS = 3.0


RULES_VERSION = "1"


@dataclass
class ToneLabeler:
    """Combines the labeling functions over ``emotion``'s probabilities (a multi-label labeler
    whose label set has GoEmotions' names)."""

    emotion: Labeler
    weights: dict[str, tuple[str, float]] = field(default_factory=lambda: dict(WEIGHTS))
    name: str = "tone-labeling-functions"
    task: str = "tone"
    label_set: tuple[str, ...] = TONES
    multi_label: bool = False
    threshold: float = 0.5
    # Learnt from human labels (``fit``): the combiner and the hash of its parameters.
    combiner: Any = field(default=None, repr=False)
    fitted: str = ""

    @property
    def version(self) -> str:
        learnt = f"+fit-{self.fitted}" if self.fitted else ""
        return f"{RULES_VERSION}+emotion-{self.emotion.version}{learnt}"

    def features(self, texts: pl.Series, emotion_proba: np.ndarray) -> np.ndarray:
        votes = self.votes(texts, emotion_proba)
        return np.column_stack([*(votes[name] for name in self.weights), emotion_proba])

    def fit(self, texts: pl.Series, tones: list[str], emotion_proba: np.ndarray | None = None) -> ToneLabeler:
        """Learn the combination from human ``tones`` (each one of TONES) of ``texts``."""
        from sklearn.linear_model import LogisticRegression

        unknown = sorted(set(tones) - set(TONES))
        if unknown:
            raise ValueError(f"tone labels must be among {', '.join(TONES)}; got {unknown}")
        if emotion_proba is None:
            emotion_proba = self.emotion.predict_proba(texts)
        self.combiner = LogisticRegression(C=1.0, max_iter=1000).fit(
            self.features(texts, emotion_proba), tones
        )
        parameters = np.concatenate([self.combiner.coef_.ravel(), self.combiner.intercept_])
        self.fitted = hashlib.sha256(parameters.tobytes()).hexdigest()[:12]
        return self

    @property
    def emotions(self) -> tuple[str, ...]:
        return self.emotion.label_set

    def votes(self, texts: pl.Series, emotion_proba: np.ndarray) -> dict[str, np.ndarray]:
        """Each labeling function's strength per record, in [0, 1]."""
        text = texts.fill_null("")
        words = text.str.count_matches(r"\w+").cast(pl.Float64).to_numpy()
        long_words = text.str.count_matches(r"\w{7,}").cast(pl.Float64).to_numpy()
        register = (
            0.5 * text.str.contains(FORMAL).to_numpy()
            + 0.2 * ~text.str.contains(CONTRACTION).to_numpy()
            + 0.2 * (long_words / np.maximum(words, 1) > 0.25)
            + 0.1 * text.str.contains(r"^\p{Lu}.*\.$").to_numpy()
        )
        return {
            "apology_markers": text.str.contains(APOLOGY).to_numpy().astype(float),
            "remorse": self._emotion(emotion_proba, REMORSE),
            "politeness_markers": np.minimum(text.str.count_matches(POLITE).to_numpy() / 2, 1.0),
            "warm_emotions": self._emotion(emotion_proba, WARM),
            "complaint_markers": np.minimum(text.str.count_matches(COMPLAINT).to_numpy() / 2, 1.0),
            "hot_emotions": self._emotion(emotion_proba, HOT),
            "formal_register": np.where(words >= 4, register, 0.0),
            "neutral_emotion": self._emotion(emotion_proba, ("neutral",)),
        }

    def _emotion(self, proba: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
        columns = [self.emotions.index(n) for n in names if n in self.emotions]
        return proba[:, columns].max(axis=1) if columns else np.zeros(len(proba))

    def scores(self, votes: dict[str, np.ndarray]) -> np.ndarray:
        rows = len(next(iter(votes.values())))
        scores = np.zeros((rows, len(TONES)))
        scores[:, TONES.index("neutral")] = NEUTRAL_PRIOR
        for function, (tone, weight) in self.weights.items():
            scores[:, TONES.index(tone)] += weight * votes[function]
        return scores

    def predict_proba(self, texts: pl.Series, emotion_proba: np.ndarray | None = None) -> np.ndarray:
        """Tone probabilities; ``emotion_proba`` when the emotion labeler has run already."""
        if emotion_proba is None:
            emotion_proba = self.emotion.predict_proba(texts)
        scores = SHARPNESS * self.scores(self.votes(texts, emotion_proba))
        exp = np.exp(scores - scores.max(axis=1, keepdims=True))
        proba = exp / exp.sum(axis=1, keepdims=True)
        if self.combiner is None:
            return proba
        learnt = [TONES.index(t) for t in self.combiner.classes_]
        # The learnt tones share the mass the rules gave them; the others keep theirs.
        mass = proba[:, learnt].sum(axis=1, keepdims=True)
        proba[:, learnt] = mass * self.combiner.predict_proba(self.features(texts, emotion_proba))
        return proba
