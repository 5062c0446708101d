"""A release's evaluation as one static HTML page: the figures embedded, the tables beside them,
readable from the release folder without a server or network."""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping
from typing import Any

import polars as pl

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; border: 1px solid #eee; }
.unmet { color: #c0392b; font-weight: 600; }
"""


def report_html(
    version: str, summary: Mapping[str, Any], tables: Mapping[str, pl.DataFrame], figures: Mapping[str, bytes]
) -> str:
    """The page: a heading with the key figures, then each figure and each table under its name."""
    parent = summary.get("parent_version") or "none"
    diversity = summary["diversity"]
    key_figures = {
        "records": summary["records"],
        "parent release": parent,
        "coverage targets not met": f"{len(summary['coverage_gaps'])} of {summary['coverage_targets']}",
        "largest PSI": _number(summary.get("max_psi")),
        "text drift AUC": _number((summary.get("text_drift") or {}).get("auc")),
        "distinct-2": _number(diversity["distinct_2"]),
        "near-duplicate rate": _number(diversity["near_duplicate_rate"]),
        "effective clusters": _number(diversity["effective_clusters"]),
    }
    parts = [
        f"<h1>Release {html.escape(version)}: evaluation</h1>",
        _table_of_pairs(key_figures),
        *(_figure(name, png) for name, png in figures.items()),
        *(_table(name, table) for name, table in tables.items()),
        _terms(summary.get("text_drift")),
    ]
    body = "\n".join(part for part in parts if part)
    title = f"Release {html.escape(version)}: evaluation"
    head = f'<meta charset="utf-8"><title>{title}</title>\n<style>{STYLE}</style>'
    return f'<!doctype html>\n<html lang="en"><head>{head}</head>\n<body>\n{body}\n</body></html>\n'


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _figure(name: str, png: bytes) -> str:
    label = html.escape(name)
    return f'<h2>{label}</h2>\n<img alt="{label}" data-figure="{label}" src="{png_data_uri(png)}">'


def _table(name: str, table: pl.DataFrame) -> str:
    if table.is_empty():
        return f"<h2>{html.escape(name)}</h2>\n<p>None.</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    rows = []
    for row in table.iter_rows(named=True):
        unmet = row.get("met") is False or row.get("band") == "major"
        cells = "".join(_cell(value) for value in row.values())
        rows.append(f"<tr{' class=unmet' if unmet else ''}>{cells}</tr>")
    return f"<h2>{html.escape(name)}</h2>\n<table><tr>{head}</tr>\n" + "\n".join(rows) + "</table>"


def _table_of_pairs(pairs: Mapping[str, Any]) -> str:
    rows = "".join(f"<tr><th>{html.escape(k)}</th>{_cell(v)}</tr>" for k, v in pairs.items())
    return f"<table>{rows}</table>"


def _terms(drift: Mapping[str, Any] | None) -> str:
    if not drift or drift.get("auc") is None:
        return ""
    sides = {
        "terms typical of the parent": drift["reference_terms"],
        "terms typical of this release": drift["current_terms"],
    }
    return "<h2>Text drift</h2>\n" + _table_of_pairs({k: ", ".join(v) or "none" for k, v in sides.items()})


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f'<td class="num">{_number(value)}</td>'
    if isinstance(value, int) and not isinstance(value, bool):
        return f'<td class="num">{value:,}</td>'
    return f"<td>{html.escape('' if value is None else str(value))}</td>"


def _number(value: Any) -> str:
    return "n/a" if value is None else f"{value:.4g}"
