"""Unicode and whitespace normalisation as Polars expressions (one pass over whole columns).

Mojibake repair is the one step that is not a vectorised expression: ftfy fixes text one string
at a time, so only the strings a cheap vectorised pattern flags as likely mojibake go through it.
"""

from __future__ import annotations

import functools
from typing import Literal

import ftfy
import numpy as np
import polars as pl

from data_platform.text.hashing import sha256_column

# UTF-8 bytes decoded as cp1252/latin-1 produce a lead character (Ã, Â, â, Å, Ð, Ñ) followed by
# a character from the C1/cp1252 range; real text almost never has these pairs.
MOJIBAKE_PATTERN = (
    r"[ÃÂâÅÐÑ][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC"
    r"\u2013\u2014\u2018-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]"
)
# Control characters other than tab and newline, plus invisible format characters that carry no
# meaning in training text (zero-width space, word joiner, BOM). ZWJ/ZWNJ stay: scripts need them.
UnicodeForm = Literal["NFC", "NFKC", "NFD", "NFKD"]
INVISIBLE_PATTERN = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\u200B\u2060\uFEFF]"


def normalise_text(text: pl.Expr, *, unicode_form: UnicodeForm = "NFC") -> pl.Expr:
    """NFC (or another form), unified line breaks, single spaces, at most one blank line."""
    return (
        text.str.replace_all(r"\r\n?", "\n")
        .str.replace_all(INVISIBLE_PATTERN, "")
        .str.normalize(unicode_form)
        # Only runs that change: 2+ blanks, or one blank other than a plain space (tab, NBSP,
        # ideographic space). Matching every single space too made this pass 6x slower.
        .str.replace_all(r"[^\S\n]{2,}|[^\S\n ]", " ")
        .str.replace_all(r" ?\n ?", "\n")
        .str.replace_all(r"\n{3,}", "\n\n")
        .str.strip_chars()
    )


def clean_text_column(frame: pl.DataFrame, column: str, *, unicode_form: UnicodeForm = "NFC") -> pl.DataFrame:
    """Repair mojibake, then normalise ``column``; add ``mojibake_fixed`` (ftfy changed the text).

    ftfy runs on the flagged strings only: inside a ``when/then`` Polars would evaluate the
    ftfy branch for every row, which costs a Python call per record.
    """
    text = frame[column]
    flagged = np.flatnonzero(text.str.contains(MOJIBAKE_PATTERN).fill_null(False).to_numpy())
    if len(flagged):
        text = text.scatter(flagged, [_fix_text(value) for value in text.gather(flagged).to_list()])
    fixed = np.zeros(frame.height, dtype=bool)
    fixed[flagged] = True
    return frame.with_columns(
        normalise_text(pl.lit(text), unicode_form=unicode_form).alias(column), mojibake_fixed=fixed
    )


# Curly quotes are the author's choice, not damage: keep them.
_fix_text = functools.partial(ftfy.fix_text, uncurl_quotes=False)


def normalised_sha256(texts: pl.Series) -> pl.Series:
    """sha256 of each text as the cleaned tier normalises a text record: its exact-duplicate key."""
    normalised = clean_text_column(texts.to_frame("text"), "text")["text"]
    return sha256_column(normalised.fill_null(""))
