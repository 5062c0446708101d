"""Simulated annotators for the demo's active-learning round: they answer a round's Label
Studio tasks the way people would, so the loop runs end to end without people, and their
answers come back in the shape of Label Studio's JSON export (annotators as user ids).

- intent: the gold intent CLINC150 gives each utterance (delivered in the record's ``meta``);
  every annotator but the first slips on a share of records and picks another intent;
- tone: the cue a reader notices first: an apology -> apologetic, a complaint -> frustrated,
  a formal opening or closing -> formal, a greeting, thanks or please -> friendly, otherwise
  neutral (the same slips).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping

from data_platform.annotation.tone import APOLOGY, COMPLAINT, FORMAL, POLITE

ANSWERED_AT = "2026-01-06T12:00:00Z"
# (Label Studio user id, share of answers that slip)
ANNOTATORS = ((1, 0.0), (2, 0.05), (3, 0.05))
TONE_CUES = (
    ("apologetic", APOLOGY),
    ("frustrated", COMPLAINT),
    ("formal", FORMAL),
    ("friendly", POLITE),
)


def tone_by_cues(text: str) -> str:
    for tone, pattern in TONE_CUES:
        # Polars patterns spell inline flags as Rust does; these are also valid in Python.
        if re.search(pattern.replace(r"\p{Lu}", "[A-Z]"), text):
            return tone
    return "neutral"


def answer_round(
    tasks: list[dict],
    gold_intent: Mapping[str, str],
    label_sets: Mapping[str, tuple[str, ...]],
    *,
    annotators: tuple[tuple[int, float], ...] = ANNOTATORS,
    seed: int = 0,
) -> list[dict]:
    """Label Studio's JSON export of ``tasks`` after every annotator answered intent and tone."""
    rng = random.Random(seed)
    exported = []
    for number, task in enumerate(tasks, start=1):
        data = task["data"]
        truth = {"intent": gold_intent.get(data["record_id"]), "tone": tone_by_cues(data["text"])}
        annotations = []
        for user, slip in annotators:
            result = []
            for name, value in truth.items():
                if value is None or name not in label_sets:
                    continue
                if rng.random() < slip:
                    value = rng.choice([v for v in label_sets[name] if v != value])
                result.append(
                    {"from_name": name, "to_name": "text", "type": "choices", "value": {"choices": [value]}}
                )
            annotations.append(
                {
                    "id": number * 10 + user,
                    "completed_by": user,
                    "result": result,
                    "was_cancelled": False,
                    "created_at": ANSWERED_AT,
                    "updated_at": ANSWERED_AT,
                }
            )
        exported.append({"id": number, "data": data, "annotations": annotations})
    return exported


def gold_intents(meta: Mapping[str, str | None]) -> dict[str, str]:
    """record_id -> the intent in the record as delivered (records without one are left out)."""
    found = {}
    for record_id, delivered in meta.items():
        intent = json.loads(delivered).get("intent") if delivered else None
        if intent:
            found[record_id] = intent
    return found
