"""A rule over measure columns, and the one expression that names the first rule a record breaks."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Rule:
    name: str
    broken: pl.Expr
    detail: pl.Expr


def ratio(numerator: str | pl.Expr, denominator: str | pl.Expr) -> pl.Expr:
    top = pl.col(numerator) if isinstance(numerator, str) else numerator
    bottom = pl.col(denominator) if isinstance(denominator, str) else denominator
    return pl.when(bottom > 0).then(top / bottom)


def limit(
    name: str, value: pl.Expr, op: str, threshold: float | None, what: str, *, only_if: pl.Expr | None = None
) -> list[Rule]:
    """The rule "``value`` must not be ``op`` (``<`` or ``>``) ``threshold``", with a detail that
    states value and threshold; no rule when the threshold is None (switched off). ``only_if``
    limits it to records where the measure means something (enough words, letters...)."""
    if threshold is None:
        return []
    broken = value < threshold if op == "<" else value > threshold
    detail = pl.format(f"{what} {{}} {op} {threshold}", value.round(4))
    return [Rule(name, broken if only_if is None else only_if & broken, detail)]


def first_failure(found: list[Rule]) -> tuple[pl.Expr, pl.Expr]:
    """Over the rules' measure columns: the first broken rule's name and its detail (null: kept)."""
    reason, detail = pl.lit(None, dtype=pl.String), pl.lit(None, dtype=pl.String)
    for rule in reversed(found):  # built from the last rule, so the first broken one wins
        broken = rule.broken.fill_null(False)
        reason = pl.when(broken).then(pl.lit(rule.name)).otherwise(reason)
        detail = pl.when(broken).then(rule.detail).otherwise(detail)
    return reason, detail
