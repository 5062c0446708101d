"""Generators of synthetic text records for one slice, behind one interface.

A generator takes the real records of a slice (``parents``: record_id, text) and returns new
texts, each with the recipe that made it and the parents it came from, so every synthetic record
can be traced and reproduced. ``Recombiner`` works offline on CPU: it splices two real records
at a word they share (template crossover) and swaps a word for another one real records use
between the same neighbours (slot filling). ``ChatCompletionGenerator`` asks any
OpenAI-compatible endpoint for new texts, with real records of the slice as examples.
"""

from __future__ import annotations

import json
import os
import random
import re
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

import polars as pl

from data_platform.synthetic.memorisation import memorisation

GENERATED_SCHEMA = {
    "text": pl.String(),
    "generator": pl.String(),
    "recipe": pl.String(),
    "parents": pl.List(pl.String),
}
# A child sharing this share of its word set with a parent is that parent again, not a new text.
MAX_PARENT_OVERLAP = 0.8
ATTEMPTS_PER_RECORD = 30
_WORD = re.compile(r"\w+", re.UNICODE)


class Generator(Protocol):
    """Makes up to ``count`` new texts for the slice whose real records are ``parents``."""

    name: str

    def generate(self, parents: pl.DataFrame, count: int, *, slice_name: str) -> pl.DataFrame:
        """Rows of GENERATED_SCHEMA: text, generator, recipe (JSON) and parent record ids."""
        ...


def _key(word: str) -> str:
    return word.lower().strip(".,!?;:\"'()")


def word_set(text: str) -> frozenset[str]:
    return frozenset(match.lower() for match in _WORD.findall(text))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


@dataclass
class Recombiner:
    """Template crossover and slot filling over real records of one slice (seeded)."""

    seed: int = 0
    slot_probability: float = 0.5
    name: str = "recombine-v1"

    def generate(self, parents: pl.DataFrame, count: int, *, slice_name: str) -> pl.DataFrame:
        words = [text.split() for text in parents["text"].to_list()]
        ids = parents["record_id"].to_list()
        pivots = _pivot_index(words)
        slots = _slot_index(words)
        parent_sets = [word_set(text) for text in parents["text"].to_list()]
        seen = {" ".join(w).lower() for w in words}
        lengths = sorted(len(w) for w in words)
        shortest, longest = (lengths[0], lengths[-1]) if lengths else (0, 0)
        rng = random.Random(self.seed)
        rows: list[dict[str, object]] = []
        # Twice what is asked, then the near copies of real records (and of each other) go:
        # the crossover of two similar records can give back one of them with a word changed.
        wanted = 2 * count
        for _ in range(wanted * ATTEMPTS_PER_RECORD):
            if len(rows) == wanted or not pivots:
                break
            made = self._child(words, pivots, slots, rng)
            if made is None:
                continue
            child, recipe, used = made
            text = " ".join(child)
            if text.lower() in seen or not shortest <= len(child) <= longest:
                continue
            if max(overlap(word_set(text), parent_sets[i]) for i in used) >= MAX_PARENT_OVERLAP:
                continue
            seen.add(text.lower())
            recipe["slice"] = slice_name
            rows.append(
                {
                    "text": text,
                    "generator": self.name,
                    "recipe": json.dumps(recipe),
                    "parents": [ids[i] for i in used],
                }
            )
        generated = pl.DataFrame(rows, schema=GENERATED_SCHEMA)
        return generated.filter(memorisation(generated["text"], parents).novel).head(count)

    def _child(
        self,
        words: list[list[str]],
        pivots: dict[str, list[tuple[int, int]]],
        slots: dict,
        rng: random.Random,
    ) -> tuple[list[str], dict[str, object], list[int]] | None:
        pivot = rng.choice(sorted(pivots))
        (a, i), (b, j) = rng.sample(pivots[pivot], 2)
        if a == b:
            return None
        child = words[a][:i] + words[b][j:]
        recipe: dict[str, object] = {"operator": "crossover", "cut": [i, j]}
        used = [a, b]
        if rng.random() < self.slot_probability:
            swapped = _fill_slot(child, slots, rng)
            if swapped is not None:
                child, position, donor = swapped
                recipe["slot"] = {"position": position, "donor": len(used)}
                used.append(donor)
        return child, recipe, used


def _pivot_index(words: list[list[str]]) -> dict[str, list[tuple[int, int]]]:
    """Word -> (record, position) where it stands inside a record (not first, not last), for
    words found inside at least two records: the cut points of a crossover."""
    index: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row, tokens in enumerate(words):
        for position in range(1, len(tokens) - 1):
            index[_key(tokens[position])].append((row, position))
    return {word: places for word, places in index.items() if len({row for row, _ in places}) > 1}


def _slot_index(words: list[list[str]]) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """(left, right) neighbours -> the words real records put between them, with their record."""
    index: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for row, tokens in enumerate(words):
        for position in range(1, len(tokens) - 1):
            index[(_key(tokens[position - 1]), _key(tokens[position + 1]))].append((tokens[position], row))
    return index


def _fill_slot(
    child: list[str], slots: dict[tuple[str, str], list[tuple[str, int]]], rng: random.Random
) -> tuple[list[str], int, int] | None:
    """The child with one word replaced by another filler of the same slot, if any slot has one."""
    positions = list(range(1, len(child) - 1))
    rng.shuffle(positions)
    for position in positions:
        fillers = [
            (word, row)
            for word, row in slots.get((_key(child[position - 1]), _key(child[position + 1])), [])
            if _key(word) != _key(child[position])
        ]
        if fillers:
            word, row = rng.choice(fillers)
            return child[:position] + [word] + child[position + 1 :], position, row
    return None


@dataclass
class ChatCompletionGenerator:
    """New texts from an OpenAI-compatible ``/chat/completions`` endpoint: real records of the
    slice are shown as examples and the model is asked for new ones, one per line."""

    base_url: str
    model: str
    api_key_env: str = "OPENAI_API_KEY"
    examples: int = 20
    batch: int = 25
    seed: int = 0
    timeout_seconds: float = 120.0
    name: str = field(init=False)

    def __post_init__(self) -> None:
        self.name = f"chat:{self.model}"

    def generate(self, parents: pl.DataFrame, count: int, *, slice_name: str) -> pl.DataFrame:
        rows: list[dict[str, object]] = []
        seen = {text.lower() for text in parents["text"].to_list()}
        for round_number in range(max(1, 3 * -(-count // self.batch))):
            if len(rows) >= count:
                break
            shown = parents.sample(min(self.examples, parents.height), seed=self.seed + round_number)
            prompt = _prompt(slice_name, shown["text"].to_list(), min(self.batch, count - len(rows)))
            for text in self._complete(prompt):
                if text.lower() in seen:
                    continue
                seen.add(text.lower())
                recipe = {"operator": "chat", "model": self.model, "prompt": prompt, "slice": slice_name}
                rows.append(
                    {
                        "text": text,
                        "generator": self.name,
                        "recipe": json.dumps(recipe),
                        "parents": shown["record_id"].to_list(),
                    }
                )
        return pl.DataFrame(rows[:count], schema=GENERATED_SCHEMA)

    def _complete(self, prompt: str) -> list[str]:
        body = {"model": self.model, "messages": [{"role": "user", "content": prompt}], "temperature": 1.0}
        request = urllib.request.Request(
            self.base_url.rstrip("/") + "/chat/completions",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **self._auth()},
        )
        with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310 - the user's endpoint
            answer = json.loads(response.read())
        try:
            content = answer["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise ValueError(f"{self.base_url}: the answer has no choices[0].message.content") from exc
        return [
            line.strip().lstrip("-*0123456789.) ").strip()
            for line in str(content).splitlines()
            if line.strip()
        ]

    def _auth(self) -> dict[str, str]:
        key = os.environ.get(self.api_key_env)
        return {"Authorization": f"Bearer {key}"} if key else {}


def _prompt(slice_name: str, examples: list[str], wanted: int) -> str:
    shown = "\n".join(f"- {text}" for text in examples)
    return (
        f"Here are real examples of the slice {slice_name}:\n{shown}\n\n"
        f"Write {wanted} new examples of the same slice, varied in wording and length, none a copy "
        "or a light edit of an example. One per line, nothing else."
    )
