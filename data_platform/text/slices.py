"""A column cut into one slice per worker thread, for work that reads each text alone and runs
in code that releases the GIL (Polars, numba kernels, sparse products)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np
import polars as pl

from data_platform.settings import worker_threads

T = TypeVar("T")


def on_slices(values: pl.Series, work: Callable[[pl.Series, int], T], min_bytes: int) -> list[T]:
    """``work(slice, first_row)`` over slices of ``values`` of similar size in bytes, one per
    worker thread (``DATA_PLATFORM_THREADS``), none under ``min_bytes``; results in order."""
    bounds = byte_balanced_bounds(values, worker_threads(), min_bytes)
    if len(bounds) <= 2:
        return [work(values, 0)]
    with ThreadPoolExecutor(len(bounds) - 1) as pool:
        return list(
            pool.map(
                lambda start, stop: work(values.slice(start, stop - start), start), bounds[:-1], bounds[1:]
            )
        )


def byte_balanced_bounds(values: pl.Series, parts: int, min_bytes: int) -> list[int]:
    """Row bounds cutting ``values`` into at most ``parts`` slices of similar size in bytes,
    none under ``min_bytes``."""
    sizes = values.str.len_bytes().fill_null(0).cast(pl.Int64)
    total = int(sizes.sum())
    count = max(1, min(parts, total // min_bytes))
    if count == 1:
        return [0, len(values)]
    ends = sizes.cum_sum().to_numpy()
    cuts = np.searchsorted(ends, [total * k / count for k in range(1, count)], side="left") + 1
    return sorted({0, *(int(cut) for cut in cuts), len(values)})
