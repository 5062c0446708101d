"""Document quality rules: Gopher quality, Gopher repetition, C4 and FineWeb, column-wise.

Per chunk, ``quality_stats`` measures every document once: token counts and n-gram repetition
from the shared token arrays (text/tokens.py, curation/repetition.py), character, line and
paragraph statistics in one compiled pass (curation/layout.py), and C4's line checks as Polars
string expressions over the exploded lines. ``first_failure``
(curation/rules.py) then turns the rules (``quality_rules``) into one Polars expression over
those columns: the first rule a document breaks, in the order Gopher quality (so a short text
is called short before it is called repetitive), Gopher repetition, C4, FineWeb, then the spam
rules of curation/spam.py, and a detail with the measured value
and the threshold. Thresholds default to the published ones (as datatrove ships them); ``None``
switches a rule off. Each rejection's reason code names its rule, e.g. ``gopher_short_doc``.

Web-document rules misjudge short texts (an intent utterance has no 50 words and no five
sentences), so each source picks a profile (``QUALITY_PROFILES``) and its language adjusts the
stop words (``for_language``).

The C4 rules decide whether a document is kept; datatrove also rewrites a kept document without
the lines C4 dislikes, which this module does not do (the cleaned tier does not delete parts of
a record silently).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numba
import numpy as np
import polars as pl

from data_platform.curation.layout import layout_stats
from data_platform.curation.repetition import ngram_repetition
from data_platform.curation.rules import Rule, limit, ratio
from data_platform.curation.spam import SpamRules, spam_rules, spam_stats
from data_platform.text.tokens import ALPHA_TOKEN, SYMBOL_TOKEN, Tokens, token_hash

# The most frequent function words per language; Gopher asks for at least two of them.
STOP_WORDS = {
    "en": ("the", "be", "to", "of", "and", "that", "have", "with"),
    "de": ("der", "die", "und", "in", "den", "von", "zu", "das", "mit", "ist"),
    "fr": ("le", "la", "de", "et", "les", "des", "un", "une", "est", "que"),
    "es": ("de", "la", "que", "el", "en", "y", "los", "del", "se", "las"),
    "it": ("di", "che", "il", "la", "e", "per", "un", "in", "non", "una"),
    "nl": ("de", "het", "een", "en", "van", "in", "is", "dat", "op", "te"),
    "pt": ("de", "que", "o", "a", "e", "do", "da", "em", "um", "para"),
}
# Scripts written without spaces between words: word-count rules say nothing there.
UNSEGMENTED_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})
POLICY_PHRASES = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)
CITATION_PATTERN = r"\[\d*\]|\[edit\]|\[citation needed\]"


@dataclass(frozen=True)
class GopherQuality:
    min_doc_words: int | None = 50
    max_doc_words: int | None = 100_000
    min_avg_word_length: float | None = 3
    max_avg_word_length: float | None = 10
    max_symbol_word_ratio: float | None = 0.1
    max_bullet_lines_ratio: float | None = 0.9
    max_ellipsis_lines_ratio: float | None = 0.3
    min_alpha_words_ratio: float | None = 0.8
    min_stop_words: int | None = 2
    stop_words: tuple[str, ...] = STOP_WORDS["en"]  # at most 64


@dataclass(frozen=True)
class GopherRepetition:
    dup_line_frac: float | None = 0.3
    dup_para_frac: float | None = 0.3
    dup_line_char_frac: float | None = 0.2
    dup_para_char_frac: float | None = 0.2
    top_n_grams: tuple[tuple[int, float], ...] = ((2, 0.2), (3, 0.18), (4, 0.16))
    dup_n_grams: tuple[tuple[int, float], ...] = (
        (5, 0.15),
        (6, 0.14),
        (7, 0.13),
        (8, 0.12),
        (9, 0.11),
        (10, 0.10),
    )


@dataclass(frozen=True)
class C4Quality:
    min_sentences: int | None = 5
    min_words_per_line: int = 3
    max_word_length: int = 1000
    lorem_ipsum: bool = True
    curly_bracket: bool = True
    drop_javascript_lines: bool = True
    drop_policy_lines: bool = True
    drop_lines_without_terminal_punctuation: bool = True


@dataclass(frozen=True)
class FineWebQuality:
    min_line_punct_ratio: float | None = 0.12
    max_short_line_ratio: float | None = 0.67
    short_line_length: int = 30
    max_char_dup_ratio: float | None = 0.01
    max_newline_ratio: float | None = 0.3


@dataclass(frozen=True)
class QualityRules:
    """Which rule families run and with which thresholds (``None`` family: off)."""

    gopher_repetition: GopherRepetition | None = field(default_factory=GopherRepetition)
    gopher_quality: GopherQuality | None = field(default_factory=GopherQuality)
    c4: C4Quality | None = field(default_factory=C4Quality)
    fineweb: FineWebQuality | None = field(default_factory=FineWebQuality)
    spam: SpamRules | None = field(default_factory=SpamRules)

    def for_language(self, language: str | None) -> QualityRules:
        """The same rules with the stop words of ``language``; word rules off where words
        are not separated by spaces; the stop-word rule off where no list exists."""
        gopher = self.gopher_quality
        if gopher is None or language in (None, "en"):
            return self
        if language in UNSEGMENTED_LANGUAGES:
            gopher = replace(
                gopher,
                min_doc_words=None,
                min_avg_word_length=None,
                max_avg_word_length=None,
                min_stop_words=None,
            )
        elif language in STOP_WORDS:
            gopher = replace(gopher, stop_words=STOP_WORDS[language])
        else:
            gopher = replace(gopher, min_stop_words=None)
        return replace(self, gopher_quality=gopher)


# Short texts (utterances, sentences, chat turns, dialogues): length, sentence-count, line,
# word-ratio and stop-word rules say nothing about one line of chat ("ERFURT, 6. November (ap)."
# has one word with a letter in three; a Chinese sentence is one token), and the turns of a
# dialogue echo each other. What stays catches junk a short text can still be: runaway
# repetition, placeholders, filler text, and the script-agnostic spam rules.
SHORT_TEXT = QualityRules(
    gopher_repetition=GopherRepetition(
        dup_line_frac=None,
        dup_para_frac=None,
        dup_line_char_frac=None,
        dup_para_char_frac=None,
        top_n_grams=(),
        dup_n_grams=((5, 0.3),),
    ),
    gopher_quality=GopherQuality(
        min_doc_words=None,
        min_avg_word_length=None,
        max_avg_word_length=None,
        max_symbol_word_ratio=None,
        max_bullet_lines_ratio=None,
        max_ellipsis_lines_ratio=None,
        min_alpha_words_ratio=None,
        min_stop_words=None,
    ),
    c4=C4Quality(
        min_sentences=None,
        drop_javascript_lines=False,
        drop_policy_lines=False,
        drop_lines_without_terminal_punctuation=False,
    ),
    fineweb=None,
    # People write in capitals and repeat "transfer $50 to Ann" with other numbers: real data.
    spam=SpamRules(max_upper_share=None, template_min_records=None),
)
# One per name the registry accepts (sources/registry.py: QUALITY_PROFILE_NAMES).
QUALITY_PROFILES = {
    "documents": QualityRules(),
    "short-text": SHORT_TEXT,
    "off": QualityRules(gopher_repetition=None, gopher_quality=None, c4=None, fineweb=None, spam=None),
}


def quality_stats(texts: pl.Series, tokens: Tokens, rules: QualityRules) -> pl.DataFrame:
    """One row per text with every measure the enabled rules read."""
    short_line = (rules.fineweb or FineWebQuality()).short_line_length
    stats = layout_stats(texts, short_line).with_columns(**_token_measures(tokens, rules))
    if rules.c4 is not None:
        frame = pl.DataFrame({"text": texts.fill_null("")}).with_row_index("_doc")
        c4 = _c4_measures(_exploded_lines(frame), rules.c4).sort("_doc").drop("_doc")
        stats = stats.hstack(c4)
    return stats.hstack(spam_stats(texts, tokens, rules.spam)) if rules.spam is not None else stats


def _token_measures(tokens: Tokens, rules: QualityRules) -> dict[str, np.ndarray]:
    words = rules.gopher_quality.stop_words if rules.gopher_quality else ()
    stop = np.array(sorted({token_hash(w) for w in words}), dtype=np.uint64)
    counts = _token_counts(tokens.exact, tokens.length, tokens.kind, tokens.offsets, stop, _slot_table(stop))
    measures = {
        "words": tokens.counts,
        "nonsymbol_words": counts[:, 0],
        "nonsymbol_chars": counts[:, 1],
        "alpha_words": counts[:, 2],
        "stop_words": counts[:, 3],
    }
    repetition = rules.gopher_repetition
    if repetition is not None:
        top_ns = tuple(n for n, _ in repetition.top_n_grams)
        dup_ns = tuple(sorted(n for n, _ in repetition.dup_n_grams))
        top, dup = ngram_repetition(tokens, top_ns, dup_ns)
        measures |= {f"top_{n}_gram_chars": top[:, j] for j, n in enumerate(top_ns)}
        measures |= {f"dup_{n}_gram_chars": dup[:, j] for j, n in enumerate(dup_ns)}
    return measures


@numba.njit(cache=True, nogil=True, parallel=True)
def _token_counts(exact, length, kind, offsets, stop, stop_slots) -> np.ndarray:
    """Per document: words that are not symbols, their characters, words with a letter, and
    how many distinct stop words (``stop``: hashes, at most 64, found through ``stop_slots``)
    occur."""
    docs = len(offsets) - 1
    out = np.zeros((docs, 4), dtype=np.int64)
    for d in numba.prange(docs):
        words = chars = alpha = 0  # sums in registers, stored once per document
        seen = np.uint64(0)
        for t in range(offsets[d], offsets[d + 1]):
            if (kind[t] & SYMBOL_TOKEN) == 0:
                words += 1
                chars += length[t]
            if (kind[t] & ALPHA_TOKEN) != 0:
                alpha += 1
                k = stop_slots[exact[t] & np.uint64(len(stop_slots) - 1)] - 1  # stop words have letters
                if k >= 0 and stop[k] == exact[t]:
                    seen |= np.uint64(1) << np.uint64(k)
        distinct = 0
        while seen:
            distinct += 1
            seen &= seen - np.uint64(1)
        out[d, 0], out[d, 1], out[d, 2], out[d, 3] = words, chars, alpha, distinct
    return out


def _slot_table(hashes: np.ndarray) -> np.ndarray:
    """A table where ``table[h & (len - 1)] - 1`` is the index of ``h`` in ``hashes`` (0 where no
    hash lands): one load per token instead of a binary search. The table doubles until the
    hashes' low bits are all distinct."""
    size = 1024
    while len(np.unique(hashes & np.uint64(size - 1))) < len(hashes):
        size *= 2
    table = np.zeros(size, dtype=np.int64)
    table[(hashes & np.uint64(size - 1)).astype(np.int64)] = np.arange(1, len(hashes) + 1)
    return table


def _exploded_lines(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per line (``str.splitlines`` on text whose line breaks are ``\\n``)."""
    return (
        frame.select("_doc", line=pl.col("text").str.strip_chars_end("\n").str.split("\n"))
        .explode("line")
        .with_columns(_line=pl.int_range(pl.len()).over("_doc"))
        .filter(pl.col("line").is_not_null())
    )


def _sentences(line: pl.Expr) -> pl.Expr:
    """Sentences in a line: breaks after terminal marks (ignoring "..." and abbreviations)."""
    breaks = line.str.count_matches(r"[.!?][\"'”’)\]]*\s+[\"'“‘(\[]*[\p{L}\p{N}]")
    ellipses = line.str.count_matches(r"\.\.+[\"'”’)\]]*\s+[\"'“‘(\[]*[\p{L}\p{N}]")
    abbreviations = line.str.count_matches(r"\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|[A-Z])\.\s+[\p{L}\p{N}]")
    return 1 + breaks - ellipses - abbreviations


def _c4_measures(lines: pl.DataFrame, c4: C4Quality) -> pl.DataFrame:
    """Per document: sentences in the lines C4 keeps, and the first line that rejects it all.

    Only candidate lines (enough words, none too long, and with the terminal-punctuation rule
    a terminal mark at the end) can be kept or reject a document, so the later checks run on
    those alone; in hard-wrapped prose that is a small share of the lines."""
    stripped = pl.col("line").str.strip_chars()
    candidate = stripped.str.contains(
        rf"\S+(?:\s+\S+){{{c4.min_words_per_line - 1}}}"
    ) & ~stripped.str.contains(rf"\S{{{c4.max_word_length + 1}}}")
    staged = lines.select(
        "_doc", "_line", _cited=stripped.str.replace_all(CITATION_PATTERN, ""), _candidate=candidate
    )
    if c4.drop_lines_without_terminal_punctuation:
        ending = pl.col("_cited")
        staged = staged.with_columns(
            _candidate=pl.col("_candidate") & ending.str.contains(r"[.?!\"']$") & ~ending.str.ends_with("...")
        )
    # Case-insensitive patterns instead of lowercasing every line first (same matches for
    # these ASCII phrases, a third of the time).
    staged = staged.filter("_candidate")
    cited = pl.col("_cited")
    lorem = cited.str.contains("(?i)lorem ipsum") if c4.lorem_ipsum else pl.lit(False)
    staged = staged.with_columns(_lorem=lorem)
    survives = ~pl.col("_lorem")
    if c4.drop_javascript_lines:
        survives &= ~cited.str.contains("(?i)javascript")
    curly = survives & cited.str.contains("{", literal=True) if c4.curly_bracket else pl.lit(False)
    staged = staged.with_columns(_survives=survives, _curly=curly)
    survives = pl.col("_survives") & ~pl.col("_curly")
    if c4.drop_policy_lines:
        survives &= ~cited.str.contains("(?i)" + "|".join(POLICY_PHRASES))
    staged = staged.with_columns(_kept=survives).with_columns(_kept_lines=pl.col("_kept").sum().over("_doc"))
    # Sentences matter only below the threshold and a kept line holds at least one, so only the
    # documents with fewer kept lines than that are counted; the others count their lines.
    enough = c4.min_sentences or 0
    counted = staged.filter(pl.col("_kept") & (pl.col("_kept_lines") < enough)).select(
        "_doc", "_line", _counted=pl.max_horizontal(_sentences(cited), 1)
    )
    staged = staged.join(counted, on=["_doc", "_line"], how="left").with_columns(
        _sentences=pl.when("_kept").then(pl.col("_counted").fill_null(1)).otherwise(0)
    )
    found = staged.group_by("_doc").agg(
        c4_sentences=pl.col("_sentences").sum(),
        c4_lorem_line=pl.col("_line").filter(pl.col("_lorem")).min(),
        c4_curly_line=pl.col("_line").filter(pl.col("_curly")).min(),
        c4_first_bad_line=pl.col("_line").filter(pl.col("_lorem") | pl.col("_curly")).min(),
    )
    # Documents without a candidate line have no sentences and no rejecting line (-1).
    every = lines.select(pl.col("_doc").unique())
    return every.join(found, on="_doc", how="left").with_columns(
        pl.col("c4_sentences").fill_null(0), pl.exclude("_doc", "c4_sentences").fill_null(-1)
    )


def gopher_repetition_rules(r: GopherRepetition) -> list[Rule]:
    found = [
        *limit(
            "gopher_dup_para_frac",
            ratio("dup_paragraphs", "paragraphs"),
            ">",
            r.dup_para_frac,
            "repeated paragraphs",
        ),
        *limit(
            "gopher_dup_para_char_frac",
            ratio("dup_paragraph_chars", "chars"),
            ">",
            r.dup_para_char_frac,
            "characters in repeated paragraphs",
        ),
        *limit(
            "gopher_dup_line_frac",
            ratio("dup_lines", "nonempty_lines"),
            ">",
            r.dup_line_frac,
            "repeated lines",
        ),
        *limit(
            "gopher_dup_line_char_frac",
            ratio("dup_line_chars", "chars"),
            ">",
            r.dup_line_char_frac,
            "characters in repeated lines",
        ),
    ]
    for n, threshold in r.top_n_grams:
        found += limit(
            f"gopher_top_{n}_gram",
            ratio(f"top_{n}_gram_chars", "chars"),
            ">",
            threshold,
            f"characters in the top {n}-gram",
        )
    for n, threshold in r.dup_n_grams:
        found += limit(
            f"gopher_dup_{n}_gram",
            ratio(f"dup_{n}_gram_chars", "chars"),
            ">",
            threshold,
            f"characters in repeated {n}-grams",
        )
    return found


def gopher_quality_rules(q: GopherQuality) -> list[Rule]:
    words = pl.col("nonsymbol_words")
    average = ratio("nonsymbol_chars", "nonsymbol_words")
    return [
        *limit("gopher_short_doc", words, "<", q.min_doc_words, "words"),
        *limit("gopher_long_doc", words, ">", q.max_doc_words, "words"),
        *limit("gopher_below_avg_word_length", average, "<", q.min_avg_word_length, "mean word length"),
        *limit("gopher_above_avg_word_length", average, ">", q.max_avg_word_length, "mean word length"),
        *limit(
            "gopher_too_many_hashes", ratio("hash_marks", "words"), ">", q.max_symbol_word_ratio, "# per word"
        ),
        *limit(
            "gopher_too_many_ellipsis",
            ratio("ellipses", "words"),
            ">",
            q.max_symbol_word_ratio,
            "ellipses per word",
        ),
        *limit(
            "gopher_too_many_bullets",
            ratio("bullet_lines", "lines"),
            ">",
            q.max_bullet_lines_ratio,
            "bullet lines",
        ),
        *limit(
            "gopher_too_many_end_ellipsis",
            ratio("ellipsis_lines", "lines"),
            ">",
            q.max_ellipsis_lines_ratio,
            "lines ending in an ellipsis",
        ),
        *limit(
            "gopher_below_alpha_threshold",
            ratio("alpha_words", "words"),
            "<",
            q.min_alpha_words_ratio,
            "words with a letter",
        ),
        *limit(
            "gopher_enough_stop_words", pl.col("stop_words"), "<", q.min_stop_words, "distinct stop words"
        ),
    ]


def c4_rules(c: C4Quality) -> list[Rule]:
    found = []
    for flag, rule, column, what in (
        (c.lorem_ipsum, "c4_lorem_ipsum", "c4_lorem_line", "lorem ipsum"),
        (c.curly_bracket, "c4_curly_bracket", "c4_curly_line", "a curly bracket"),
    ):
        line = pl.col(column)
        first = (line >= 0) & (line == pl.col("c4_first_bad_line"))  # the line that ended C4's scan
        if flag:
            found.append(Rule(rule, first, pl.format(f"line {{}} contains {what}", line + 1)))
    return found + limit(
        "c4_too_few_sentences", pl.col("c4_sentences"), "<", c.min_sentences, "sentences in kept lines"
    )


def fineweb_rules(f: FineWebQuality) -> list[Rule]:
    return [
        Rule("fineweb_empty", pl.col("nonblank_lines") == 0, pl.lit("no non-blank line")),
        *limit(
            "fineweb_line_punct_ratio",
            ratio("terminal_lines", "nonblank_lines"),
            "<",
            f.min_line_punct_ratio,
            "lines ending a sentence",
        ),
        *limit(
            "fineweb_short_line_ratio",
            ratio("short_lines", "nonblank_lines"),
            ">",
            f.max_short_line_ratio,
            f"lines of at most {f.short_line_length} characters",
        ),
        *limit(
            "fineweb_char_dup_ratio",
            ratio("dup_nonblank_line_chars", pl.col("chars") - pl.col("newlines")),
            ">",
            f.max_char_dup_ratio,
            "characters in repeated lines",
        ),
        *limit(
            "fineweb_list_ratio", ratio("newlines", "words"), ">", f.max_newline_ratio, "line breaks per word"
        ),
    ]


def quality_rules(rules: QualityRules) -> list[Rule]:
    """Every enabled rule, in the order the families run."""
    found: list[Rule] = []
    if rules.gopher_quality is not None:
        found += gopher_quality_rules(rules.gopher_quality)
    if rules.gopher_repetition is not None:
        found += gopher_repetition_rules(rules.gopher_repetition)
    if rules.c4 is not None:
        found += c4_rules(rules.c4)
    if rules.fineweb is not None:
        found += fineweb_rules(rules.fineweb)
    if rules.spam is not None:
        found += spam_rules(rules.spam)
    return found


def quality_reason_codes() -> frozenset[str]:
    """Every code a quality rule can quarantine a record under: the rule names of every profile
    a source may pick, with a trained quality scorer too (its rule exists only then)."""
    codes: set[str] = set()
    for profile in QUALITY_PROFILES.values():
        if profile.spam is not None:
            profile = replace(profile, spam=replace(profile.spam, scorer_path="any scorer"))
        codes |= {rule.name for rule in quality_rules(profile)}
    return frozenset(codes)
