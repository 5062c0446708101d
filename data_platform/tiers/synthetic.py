"""Synthetic batches: texts generated for a slice, validated against the slice's real data, and
promoted as a drop of the registry's synthetic source only once their gate passed.

    _synthetic/inbox/<name>.jsonl                 candidate batches: `data-platform synthesize`,
                                                  or any tool writing the same lines
    _synthetic/batches/<key>/candidates.parquet   the lines kept, rejected.parquet those refused
    _synthetic/batches/<key>/validation.json      every measure (tiers/synthetic_gate.py)
    <synthetic source's drop folder>/<key>.jsonl  the promoted batch, which the drop sensor
                                                  ingests like any other drop

A candidate line: {"id", "text", "synthetic": {"generator", "recipe", "parents": [record ids],
"task", "slice": {"expected": "transfer", ...}}}; one batch holds one task and slice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from data_platform.annotation.training import read_examples
from data_platform.evaluation.slices import slice_members
from data_platform.lake.atomic import staged_folder, write_bytes_atomic, write_json_atomic
from data_platform.lake.paths import inside
from data_platform.lake.store import Lake
from data_platform.sources.registry import Registry, Source
from data_platform.synthetic.generators import Generator
from data_platform.tiers.feedback import report_key
from data_platform.tiers.schema import with_missing_columns
from data_platform.tiers.synthetic_gate import SyntheticPolicy, Validation, first_label, validate_batch

CANDIDATE_SCHEMA = {
    "id": pl.String(),
    "text": pl.String(),
    "generator": pl.String(),
    "recipe": pl.String(),
    "parents": pl.List(pl.String),
    "line": pl.Int64(),
}
REJECTED_SCHEMA = {"line": pl.Int64(), "field": pl.String(), "detail": pl.String()}


@dataclass(frozen=True)
class Candidates:
    """A candidate batch read from its file: the usable lines, the refused ones with line, field
    and why, and the one task and slice the batch is for."""

    task: str | None
    conditions: dict[str, str]
    rows: pl.DataFrame
    rejected: pl.DataFrame
    lines: list[str]  # the usable lines as delivered, in order: what promotion writes


def synthetic_root(lake: Lake) -> Path:
    return lake.root / "_synthetic"


def inbox(lake: Lake) -> Path:
    return synthetic_root(lake) / "inbox"


def batch_folder(lake: Lake, key: str) -> Path:
    return inside(synthetic_root(lake) / "batches", key, what="synthetic batch")


def slice_name(conditions: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(conditions.items()))


def slice_records(lake: Lake, task: str, conditions: dict[str, str]) -> pl.DataFrame:
    """record_id and text of the gated annotated records in the slice (``conditions`` on the
    task's label as ``expected``, ``language``, ``source``, ``length``), synthetic ones left out:
    the real data a synthetic batch is made from and judged against."""
    columns = ["record_id", "source_id", "lang", "text", "turns", "labels", "synthetic"]
    batches = [b for b in lake.partitions("annotated") if lake.gate_passed("annotated", b)]
    if not batches:
        return pl.DataFrame(schema={"record_id": pl.String, "text": pl.String})
    records = pl.concat(
        [
            with_missing_columns(lake.scan_records("annotated", b), "annotated").select(columns).collect()
            for b in batches
        ],
        how="diagonal_relaxed",
    ).filter(~pl.col("synthetic").fill_null(False) & pl.col("text").is_not_null())
    members = slice_members(records, task, conditions)
    if members is None:
        raise ValueError(f"the slice {slice_name(conditions)} names an attribute records do not carry")
    return records.filter(pl.col("record_id").is_in(members.implode())).select("record_id", "text")


def task_examples(registry: Registry, task: str) -> tuple[list[str], list[Any]] | None:
    """The task's labelled examples (texts, labels) from the registry, if it names a labeler."""
    labeler = registry.labelers.get(task)
    return read_examples(labeler) if labeler is not None else None


def real_slice(
    lake: Lake, task: str, conditions: dict[str, str], examples: tuple[list[str], list[Any]] | None
) -> pl.DataFrame:
    """The real data of a slice: its gated annotated records, and where the slice names a label
    (``expected``), the task's labelled ``examples`` of that label, identified as
    ``examples:<task>:<line>`` (the line of the examples file)."""
    records = slice_records(lake, task, conditions)
    label = conditions.get("expected")
    if examples is None or label is None:
        return records
    texts, labels = examples
    table = pl.DataFrame({"text": texts, "label": [first_label(v) for v in labels]}).with_row_index(
        "line", offset=1
    )
    ours = table.filter(pl.col("label") == label).select(
        record_id=pl.format("examples:{}:{}", pl.lit(task), pl.col("line")), text="text"
    )
    return pl.concat([records, ours]).unique("text", keep="first", maintain_order=True)


def write_candidates(
    lake: Lake,
    registry: Registry,
    name: str,
    task: str,
    conditions: dict[str, str],
    generator: Generator,
    count: int,
) -> tuple[Path, int]:
    """Generate up to ``count`` texts for the slice from its real data and put them in the
    inbox as ``<name>.jsonl``: the file and how many texts were made."""
    parents = real_slice(lake, task, conditions, task_examples(registry, task))
    if parents.is_empty():
        raise ValueError(
            f"no real record or example of task {task!r} is in the slice {slice_name(conditions)}"
        )
    made = generator.generate(parents, count, slice_name=slice_name(conditions))
    lines = [
        json.dumps(
            {
                "id": f"{name}-{n:06d}",
                "text": row["text"],
                "synthetic": {
                    "generator": row["generator"],
                    "recipe": json.loads(row["recipe"]),
                    "parents": row["parents"],
                    "task": task,
                    "slice": conditions,
                },
            },
            ensure_ascii=False,
        )
        for n, row in enumerate(made.iter_rows(named=True))
    ]
    path = inside(inbox(lake), f"{name}.jsonl", what="candidate batch")
    write_bytes_atomic(path, ("\n".join(lines) + "\n").encode() if lines else b"")
    return path, made.height


def _inbox_files(lake: Lake) -> dict[str, Path]:
    """key -> file of every candidate file in the inbox (symlinks are never read)."""
    files = sorted(p for p in inbox(lake).glob("*.jsonl") if p.is_file() and not p.is_symlink())
    return {report_key(path): path for path in files}


def pending_batches(lake: Lake) -> dict[str, Path]:
    """key -> inbox file, for every candidate file not read into its batch yet."""
    return {
        key: path
        for key, path in _inbox_files(lake).items()
        if not (batch_folder(lake, key) / "candidates.parquet").exists()
    }


def read_candidates(path: Path) -> Candidates:
    """The usable lines of a candidate file; each refused line with its number, field and why."""
    rows: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    kept: list[str] = []
    slices: set[tuple[str, str]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row, key = _candidate(line, number)
        except _Refused as refused:
            rejected.append(
                {"line": number, "field": refused.field, "detail": f"{path}: line {number}: {refused}"}
            )
            continue
        slices.add(key)
        rows.append(row)
        kept.append(line)
    if len(slices) > 1:
        raise ValueError(f"{path}: one batch must hold one task and slice, found {sorted(slices)}")
    task, conditions = slices.pop() if slices else (None, "{}")
    return Candidates(
        task=task,
        conditions=json.loads(conditions),
        rows=pl.DataFrame(rows, schema=CANDIDATE_SCHEMA),
        rejected=pl.DataFrame(rejected, schema=REJECTED_SCHEMA),
        lines=kept,
    )


class _Refused(ValueError):
    def __init__(self, field: str, why: str) -> None:
        super().__init__(f"{field}: {why}")
        self.field = field


def _candidate(line: str, number: int) -> tuple[dict[str, Any], tuple[str, str]]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _Refused("-", f"not JSON ({exc.msg})") from exc
    if not isinstance(value, dict):
        raise _Refused("-", "not an object")
    for name in ("id", "text"):
        if not isinstance(value.get(name), str) or not value[name].strip():
            raise _Refused(name, "must be a non-empty string")
    origin = value.get("synthetic")
    if not isinstance(origin, dict):
        raise _Refused("synthetic", "must be an object naming generator, recipe, parents, task and slice")
    parents = origin.get("parents")
    if not isinstance(parents, list) or not parents or not all(isinstance(p, str) for p in parents):
        raise _Refused("synthetic.parents", "must be a non-empty list of record ids")
    for name in ("generator", "task"):
        if not isinstance(origin.get(name), str) or not origin[name]:
            raise _Refused(f"synthetic.{name}", "must be a non-empty string")
    conditions = origin.get("slice")
    if not isinstance(conditions, dict) or not all(isinstance(v, str) for v in conditions.values()):
        raise _Refused("synthetic.slice", 'must map attributes to values, e.g. {"expected": "transfer"}')
    row = {
        "id": value["id"],
        "text": value["text"],
        "generator": origin["generator"],
        "recipe": json.dumps(origin.get("recipe")),
        "parents": parents,
        "line": number,
    }
    return row, (origin["task"], json.dumps(conditions, sort_keys=True))


def ingest_candidates(lake: Lake, key: str) -> tuple[Path, Candidates]:
    """Read the inbox file behind ``key`` into its batch folder: the file and what it holds."""
    path = _inbox_files(lake).get(key)
    if path is None:
        raise FileNotFoundError(f"no file in {inbox(lake)} has the contents of synthetic batch {key}")
    candidates = read_candidates(path)
    with staged_folder(batch_folder(lake, key)) as staging:
        candidates.rows.write_parquet(staging / "candidates.parquet")
        candidates.rejected.write_parquet(staging / "rejected.parquet")
        write_json_atomic(
            staging / "batch.json",
            {"file": str(path), "task": candidates.task, "slice": candidates.conditions},
        )
        write_bytes_atomic(
            staging / "lines.jsonl", "".join(f"{line}\n" for line in candidates.lines).encode()
        )
    return path, candidates


def read_batch(lake: Lake, key: str) -> tuple[dict[str, Any], pl.DataFrame, pl.DataFrame]:
    """The batch's task and slice, its candidate rows and its rejected lines."""
    folder = batch_folder(lake, key)
    spec = json.loads((folder / "batch.json").read_text(encoding="utf-8"))
    return spec, pl.read_parquet(folder / "candidates.parquet"), pl.read_parquet(folder / "rejected.parquet")


def validate_candidates(
    lake: Lake, registry: Registry, key: str, policy: SyntheticPolicy | None = None
) -> Validation:
    """Judge the batch against the real records of its slice and the task's labelled examples;
    the verdict is kept in ``validation.json``."""
    spec, rows, _ = read_batch(lake, key)
    task, conditions = spec["task"], spec["slice"]
    examples = task_examples(registry, task) if task else None
    real = (
        real_slice(lake, task, conditions, examples)
        if task
        else pl.DataFrame(schema={"record_id": pl.String, "text": pl.String})
    )
    verdict = validate_batch(
        rows["text"], real, examples, task=task or "", conditions=conditions, policy=policy
    )
    write_json_atomic(batch_folder(lake, key) / "validation.json", verdict.as_dict())
    return verdict


def read_validation(lake: Lake, key: str) -> dict[str, Any]:
    return json.loads((batch_folder(lake, key) / "validation.json").read_text(encoding="utf-8"))


def synthetic_source(registry: Registry, task: str) -> Source:
    """The registry's synthetic source that takes records of ``task`` (the first by id)."""
    found = sorted(
        (s for s in registry.sources.values() if s.synthetic and task in s.label_tasks), key=lambda s: s.id
    )
    if not found:
        raise ValueError(f"no source in the registry is marked synthetic with label task {task!r}")
    return found[0]


def promote(lake: Lake, registry: Registry, key: str) -> Path:
    """Write the batch's usable lines as a drop of the synthetic source (once): the drop file."""
    spec, _, _ = read_batch(lake, key)
    source = synthetic_source(registry, spec["task"])
    target = inside(source.drop_folder, f"{key}.jsonl", what="synthetic drop")
    if not target.exists():
        write_bytes_atomic(target, (batch_folder(lake, key) / "lines.jsonl").read_bytes())
    return target
