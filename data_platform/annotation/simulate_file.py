"""`data-platform annotate simulate`: learning curves of every strategy on any labeled file.

Reads a csv, jsonl or jsonl.gz file (and optionally a test file in the same form), runs
``active_learning.simulate`` with a simulated annotator answering from the file's labels, and
writes ``curves.json`` (per strategy: labels and macro-F1 per round; the labels each strategy
needs to reach random sampling's final macro-F1) and ``learning_curves.png``. Without a test
file, a stratified 20% of the input is held out as the test set.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

from data_platform.annotation.active_learning import STRATEGIES, labels_to_reach, plot_curves, simulate
from data_platform.errors import InputFileError


def read_labeled(path: Path, text_field: str, label_field: str) -> tuple[list[str], list[str]]:
    """Texts and labels; a row without both is reported with file, line and field."""
    try:
        frame = pl.read_csv(path, infer_schema=False) if path.suffix == ".csv" else pl.read_ndjson(path)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputFileError(str(path), None, "-", f"not readable as csv or JSON lines ({exc})") from exc
    for name in (text_field, label_field):
        if name not in frame.columns:
            raise InputFileError(str(path), 1, name, "missing from the file")
    offset = 2 if path.suffix == ".csv" else 1  # csv line 1 is the header
    missing = frame.with_row_index("line", offset=offset).filter(
        pl.col(text_field).is_null() | pl.col(label_field).is_null()
    )
    if missing.height:
        raise InputFileError(str(path), int(missing["line"][0]), f"{text_field}/{label_field}", "empty")
    return frame[text_field].cast(pl.String).to_list(), frame[label_field].cast(pl.String).to_list()


def simulate_file(
    source: Path,
    output_dir: Path,
    *,
    text_field: str,
    label_field: str,
    test: Path | None = None,
    seed_size: int = 300,
    batch_size: int = 300,
    rounds: int = 10,
    seed: int = 0,
    progress: bool = True,
) -> dict[str, Any]:
    from sklearn.model_selection import train_test_split

    texts, labels = read_labeled(source, text_field, label_field)
    if test is not None:
        test_texts, test_labels = read_labeled(test, text_field, label_field)
    else:
        counts = pl.Series(labels).value_counts()
        stratify = labels if counts.select(pl.col("count").min()).item() >= 2 else None
        texts, test_texts, labels, test_labels = train_test_split(
            texts, labels, test_size=0.2, random_state=seed, stratify=stratify
        )
    curves = simulate(
        texts,
        labels,
        test_texts,
        test_labels,
        seed_size=seed_size,
        batch_size=batch_size,
        rounds=rounds,
        seed=seed,
        progress=(lambda line: print(line, file=sys.stderr, flush=True)) if progress else (lambda _: None),
    )
    random_final = next(c.macro_f1[-1] for c in curves if c.strategy == "random")
    summary = {
        "input": str(source),
        "test": str(test) if test else "20% of the input, stratified",
        "pool": len(texts),
        "test_records": len(test_texts),
        "strategies": list(STRATEGIES),
        "curves": [c.as_dict() for c in curves],
        "random_final_macro_f1": random_final,
        "labels_to_reach_random_final": {c.strategy: labels_to_reach(c, random_final) for c in curves},
    }
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "curves.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    plot_curves(curves, output_dir / "learning_curves.png", f"Active learning on {source.name}")
    return summary
