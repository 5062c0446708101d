"""Relevance per source: does a record belong in this source's training data at all?

A source declares any of (source registry, ``relevance:``):

- ``exclude``: regular expressions; a record matching one is irrelevant;
- ``include``: regular expressions; when given, a record must match at least one;
- ``examples``: a JSON-lines file of ``{"text": ..., "relevant": true/false}``; a classifier
  trained from it (curation/scoring.py) scores every record, and a score below ``min_score``
  is irrelevant.

Every rejection is quarantined as ``irrelevant`` with the rule that decided in its detail.
Patterns use the Rust regex syntax of Polars (no look-around), checked when the registry loads.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from data_platform.curation.rules import Rule, limit
from data_platform.curation.scoring import classifier_from_examples, file_digest
from data_platform.sources.registry import RelevanceRules

IRRELEVANT = "irrelevant"


def relevance_stats(texts: pl.Series, rules: RelevanceRules) -> pl.DataFrame:
    text = pl.col("text")
    frame = pl.DataFrame({"text": texts.fill_null("")})
    measures: dict[str, pl.Expr] = {}
    for k, pattern in enumerate(rules.exclude):
        measures[f"exclude_{k}"] = text.str.contains(pattern)
    if rules.include:
        measures["included"] = pl.any_horizontal(text.str.contains(p) for p in rules.include)
    if rules.examples:
        path = Path(rules.examples)
        model = classifier_from_examples(str(path), "relevant", file_digest(path))
        measures["relevance_score"] = pl.lit(pl.Series(model.score(texts), dtype=pl.Float64))
    return frame.with_columns(**measures).drop("text")


def relevance_rules(rules: RelevanceRules) -> list[Rule]:
    found = [
        Rule(IRRELEVANT, pl.col(f"exclude_{k}"), pl.lit(f"matches the excluded pattern {pattern!r}"))
        for k, pattern in enumerate(rules.exclude)
    ]
    if rules.include:
        found.append(Rule(IRRELEVANT, ~pl.col("included"), pl.lit("matches none of the include patterns")))
    if rules.examples:
        found += limit(IRRELEVANT, pl.col("relevance_score"), "<", rules.min_score, "relevance score")
    return found
