"""Coverage targets declared in the registry's ``coverage:`` list: what a release should contain.

    coverage:
      - {dimension: label, task: intent, value: [transfer, balance], min_count: 50}
      - {dimension: language, value: de, min_share: 0.1}
      - {dimension: domain, value: support, min_count: 1000}
      - {dimension: source, value: clinc_intents, min_share: 0.05}

A target names one dimension and one or more values, and a minimum count or share (or both) of
records; a label share is of the records the task labelled. A bad entry is reported with the
registry file, its position and field, and left out: the other targets still apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data_platform.errors import SourceSpecError

DIMENSIONS = ("label", "language", "domain", "source")
_KEYS = {"dimension", "task", "value", "min_count", "min_share"}


@dataclass(frozen=True)
class CoverageTarget:
    dimension: str
    value: str
    task: str | None = None
    min_count: int | None = None
    min_share: float | None = None

    @property
    def slice_name(self) -> str:
        """``label:intent=transfer``, ``language=de``: how reports and plots name the slice."""
        return f"{self.dimension}:{self.task}={self.value}" if self.task else f"{self.dimension}={self.value}"


def _error(path: Path, position: int, field: str, problem: str) -> SourceSpecError:
    return SourceSpecError(str(path), f"#{position}", field, problem, entry="coverage target")


def parse_coverage(path: Path, section: Any) -> tuple[list[CoverageTarget], list[SourceSpecError]]:
    """The targets of every valid entry of ``coverage:``, and an error for each invalid one."""
    if section is None:
        return [], []
    if not isinstance(section, list):
        return [], [_error(path, 0, "coverage", "must be a list of targets")]
    targets: list[CoverageTarget] = []
    errors: list[SourceSpecError] = []
    for position, entry in enumerate(section, start=1):
        try:
            targets.extend(_parse_target(path, position, entry))
        except SourceSpecError as exc:
            errors.append(exc)
    return targets, errors


def _parse_target(path: Path, position: int, entry: Any) -> list[CoverageTarget]:
    def fail(field: str, problem: str) -> SourceSpecError:
        return _error(path, position, field, problem)

    if not isinstance(entry, Mapping):
        raise fail("-", "each target must be a mapping")
    if unknown := sorted(set(map(str, entry)) - _KEYS):
        raise fail(unknown[0], f"unknown key; a target has {', '.join(sorted(_KEYS))}")
    dimension = entry.get("dimension")
    if dimension not in DIMENSIONS:
        raise fail("dimension", f"{dimension!r} is not one of {', '.join(DIMENSIONS)}")
    task = entry.get("task")
    if (dimension == "label") != (task is not None):
        raise fail("task", "a label target names its task; other dimensions have none")
    if task is not None and (not isinstance(task, str) or not task):
        raise fail("task", "must be a task name such as intent")
    values = entry.get("value")
    values = [values] if isinstance(values, str) else values
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
        raise fail("value", "must be a value or a non-empty list of values")
    min_count, min_share = entry.get("min_count"), entry.get("min_share")
    if min_count is None and min_share is None:
        raise fail("min_count", "a target needs min_count, min_share or both")
    if min_count is not None and (
        not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 1
    ):
        raise fail("min_count", "must be a whole number of records, at least 1")
    if min_share is not None and (
        not isinstance(min_share, int | float) or isinstance(min_share, bool) or not 0 < min_share < 1
    ):
        raise fail("min_share", "must be a share between 0 and 1 (exclusive)")
    return [
        CoverageTarget(
            dimension=dimension,
            value=value,
            task=task,
            min_count=min_count,
            min_share=None if min_share is None else float(min_share),
        )
        for value in dict.fromkeys(values)
    ]
