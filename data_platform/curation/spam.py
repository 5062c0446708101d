"""Spam and low-quality rules that the Gopher/C4/FineWeb families do not cover.

- ``link_stuffing``: at least ``min_links`` links and more than ``max_link_ratio`` links per word;
- ``keyword_stuffing``: one word (case-folded) carries more than ``max_top_word_share`` of the
  word characters of a text of at least ``min_words_for_stuffing`` words (Gopher looks at
  2- to 4-grams; a repeated single keyword slips through);
- ``all_caps``: more than ``max_upper_share`` of the cased letters are capitals, in a text of
  at least ``min_letters`` letters;
- ``char_class_anomaly``: letters make up less than ``min_letter_share`` of the visible
  characters (symbol art, tables of numbers, encoded blobs);
- ``broken_characters``: replacement characters (U+FFFD) or private-use code points: text that
  lost characters before it reached us;
- ``repeated_template``: the same text up to numbers, links and e-mail addresses, at least
  ``template_min_records`` times in one chunk (machine-generated notifications); the first
  stays, the rest name it;
- ``low_quality_score``: a trained model's score (curation/scoring.py) below ``min_score``.

Measures are Polars expressions over the text, plus the shared token arrays for the word rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from data_platform.curation.repetition import ngram_repetition
from data_platform.curation.rules import Rule, limit, ratio
from data_platform.curation.scoring import load_scorer
from data_platform.text.tokens import CHAR_COUNTS, Tokens

LINK_PATTERN = r"(?i)\b(?:https?://|www\.)\S+"
EMAIL_PATTERN = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"


@dataclass(frozen=True)
class SpamRules:
    max_link_ratio: float | None = 0.1
    min_links: int = 2
    max_top_word_share: float | None = 0.25
    min_words_for_stuffing: int = 20
    max_upper_share: float | None = 0.7
    min_letters: int = 20
    min_letter_share: float | None = 0.5
    min_visible_chars: int = 20
    max_broken_characters: int | None = 0
    template_min_records: int | None = 10
    # A saved ``TextScorer`` (curation/scoring.py) and the score a text needs to stay.
    scorer_path: str | None = None
    min_score: float = 0.5


def spam_stats(texts: pl.Series, tokens: Tokens, rules: SpamRules) -> pl.DataFrame:
    """Measures for every text, in order."""
    text = pl.col("text")
    frame = pl.DataFrame({"text": texts.fill_null("")}).select(links=text.str.count_matches(LINK_PATTERN))
    frame = frame.hstack(pl.DataFrame(tokens.chars, schema=list(CHAR_COUNTS), orient="row"))
    words = tokens.words()
    folded = Tokens(words.folded, words.folded, words.length, words.kind, words.offsets)
    top_word, _ = ngram_repetition(folded, (1,), ())
    doc_of = np.repeat(np.arange(len(words.counts)), words.counts)
    word_chars = np.bincount(doc_of, weights=words.length, minlength=len(words.counts)).astype(np.int64)
    frame = frame.with_columns(
        plain_words=pl.Series(words.counts, dtype=pl.Int64),
        plain_word_chars=pl.Series(word_chars, dtype=pl.Int64),
        top_word_chars=pl.Series(top_word[:, 0], dtype=pl.Int64),
    )
    if rules.scorer_path is not None:
        frame = frame.with_columns(quality_score=pl.Series(load_scorer(rules.scorer_path).score(texts)))
    if rules.template_min_records is not None:
        template = (
            texts.fill_null("")
            .str.to_lowercase()
            .str.replace_all(LINK_PATTERN, "<link>")
            .str.replace_all(EMAIL_PATTERN, "<email>")
            .str.replace_all(r"\d+(?:[.,:/-]\d+)*", "0")
        )
        frame = frame.with_columns(
            template_rank=pl.int_range(pl.len()).over(template), template_size=pl.len().over(template)
        )
    return frame


def spam_rules(rules: SpamRules) -> list[Rule]:
    found = [
        *limit(
            "link_stuffing",
            ratio("links", "plain_words"),
            ">",
            rules.max_link_ratio,
            "links per word",
            only_if=pl.col("links") >= rules.min_links,
        ),
        *limit(
            "keyword_stuffing",
            ratio("top_word_chars", "plain_word_chars"),
            ">",
            rules.max_top_word_share,
            "share of word characters in the most frequent word",
            only_if=pl.col("plain_words") >= rules.min_words_for_stuffing,
        ),
        *limit(
            "all_caps",
            ratio("upper", pl.col("upper") + pl.col("lower")),
            ">",
            rules.max_upper_share,
            "capitals among cased letters",
            only_if=pl.col("letters") >= rules.min_letters,
        ),
        *limit(
            "char_class_anomaly",
            ratio("letters", "visible"),
            "<",
            rules.min_letter_share,
            "letters among visible characters",
            only_if=pl.col("visible") >= rules.min_visible_chars,
        ),
        *limit(
            "broken_characters",
            pl.col("broken"),
            ">",
            rules.max_broken_characters,
            "replacement or private-use characters",
        ),
    ]
    if rules.template_min_records is not None:
        found.append(
            Rule(
                "repeated_template",
                (pl.col("template_size") >= rules.template_min_records) & (pl.col("template_rank") > 0),
                pl.format(
                    "text {} of {} in this chunk that differ only in numbers, links or addresses",
                    pl.col("template_rank") + 1,
                    "template_size",
                ),
            )
        )
    if rules.scorer_path is not None:
        found += limit(
            "low_quality_score", pl.col("quality_score"), "<", rules.min_score, "model quality score"
        )
    return found
