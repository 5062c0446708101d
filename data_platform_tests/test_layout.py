"""The compiled layout pass gives the same counts as a plain-Python reading of each measure."""

from __future__ import annotations

import random
import unicodedata

import polars as pl

from data_platform.curation.layout import COLUMNS, layout_stats

SHORT = 3
ALPHABET = [
    "a",
    "b",
    "c",
    " ",
    " ",
    "\n",
    "\n",
    ".",
    "…",
    "•",
    "-",
    "#",
    "!",
    "。",
    "\u00a0",
    "\r",
    "\x1c",
    "é",
]


def white(c: str) -> bool:
    """Unicode White_Space (Python's isspace also counts U+001C..U+001F, which it is not)."""
    return c.isspace() and c not in "\x1c\x1d\x1e\x1f"


def strip(text: str, start: bool = True, end: bool = True) -> str:
    while start and text and white(text[0]):
        text = text[1:]
    while end and text and white(text[-1]):
        text = text[:-1]
    return text


def terminal(c: str) -> bool:
    return c in ".!?。" or unicodedata.name(c, "").endswith("FULL STOP")


def reference(text: str) -> dict[str, int]:
    lines = text.rstrip("\n").split("\n")
    row = dict.fromkeys(COLUMNS, 0)
    row |= {
        "chars": len(text),
        "hash_marks": text.count("#"),
        "ellipses": text.count("...") + text.count("…"),
        "newlines": text.count("\n"),
        "lines": len(lines),
    }
    seen: set[str] = set()
    for line in lines:
        repeat, nonblank = line in seen, strip(line) != ""
        seen.add(line)
        row["bullet_lines"] += strip(line, end=False)[:1] in ("•", "-")
        row["ellipsis_lines"] += nonblank and strip(line, start=False).endswith(("...", "…"))
        row["nonempty_lines"] += line != ""
        row["dup_lines"] += repeat and line != ""
        row["dup_line_chars"] += len(line) if repeat and line != "" else 0
        row["nonblank_lines"] += nonblank
        row["terminal_lines"] += nonblank and terminal(line[-1])
        row["short_lines"] += nonblank and len(line) <= SHORT
        row["dup_nonblank_line_chars"] += len(line) if repeat and nonblank else 0
    paragraphs, seen = [], set()
    for paragraph in _paragraphs(strip(text)):
        row["dup_paragraphs"] += paragraph in seen
        row["dup_paragraph_chars"] += len(paragraph) if paragraph in seen else 0
        seen.add(paragraph)
        paragraphs.append(paragraph)
    row["paragraphs"] = len(paragraphs)
    return row


def _paragraphs(text: str) -> list[str]:
    parts, current, i = [], "", 0
    while i < len(text):
        if text.startswith("\n\n", i):
            parts.append(current)
            current = ""
            while i < len(text) and text[i] == "\n":
                i += 1
            continue
        current += text[i]
        i += 1
    return [*parts, current]


def test_layout_matches_a_plain_reading_on_random_and_chosen_texts() -> None:
    rng = random.Random(5)
    texts = [
        "",
        "\n",
        "  \n\n  ",
        "a\n\nb\n\n\na",
        "abcdefgh1ijklmnop\nabcdefgh2ijklmnop\nabcdefgh1ijklmnop",
        "- x\n • y\n  z...\ny…  \nz.\nz.\n",
        "dup\ndup\n\ndup\n",
    ]
    texts += ["Hello... world.... and ......", "\u00a0 lead\u00a0\n\n\n\nlead\u00a0", "日本語。\n日本語。"]
    texts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    measured = layout_stats(pl.Series(texts), SHORT).to_dicts()
    for text, row in zip(texts, measured, strict=True):
        assert row == reference(text), repr(text)


def test_null_texts_count_as_empty() -> None:
    measured = layout_stats(pl.Series([None, ""], dtype=pl.String), SHORT).to_dicts()
    assert measured[0] == measured[1] == reference("")
