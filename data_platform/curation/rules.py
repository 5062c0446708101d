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
    if not found:
        return pl.lit(None, dtype=pl.String), pl.lit(None, dtype=pl.String)
    reason, detail = pl.when(found[0].broken.fill_null(False)), pl.when(found[0].broken.fill_null(False))
    reason, detail = reason.then(pl.lit(found[0].name)), detail.then(found[0].detail)
    for rule in found[1:]:
        broken = rule.broken.fill_null(False)
        reason, detail = reason.when(broken).then(pl.lit(rule.name)), detail.when(broken).then(rule.detail)
    return reason.otherwise(None), detail.otherwise(None)
