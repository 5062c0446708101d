"""Catalog metadata shared by the tier assets: schemas, row counts, lineage, quarantine."""

from typing import Any

import dagster as dg
import polars as pl

from data_platform.lake.store import PartitionInfo

OWNERS = ["team:data-platform"]


def table_schema(schema: dict[str, pl.DataType], descriptions: dict[str, str]) -> dg.TableSchema:
    return dg.TableSchema(
        columns=[
            dg.TableColumn(name, str(dtype), description=descriptions.get(name))
            for name, dtype in schema.items()
        ]
    )


def column_lineage(upstream: dg.AssetKey, columns: dict[str, list[str]]) -> dg.TableColumnLineage:
    return dg.TableColumnLineage(
        deps_by_column={
            column: [dg.TableColumnDep(asset_key=upstream, column_name=name) for name in sources]
            for column, sources in columns.items()
        }
    )


def partition_metadata(info: PartitionInfo) -> dict[str, Any]:
    stats = info.stats
    return {
        "dagster/row_count": info.records,
        "dagster/uri": dg.MetadataValue.path(str(info.path)),
        "records_in": int(stats.get("records_in", info.records + info.quarantined)),
        "quarantined": info.quarantined,
        "quarantined_by_reason": dg.MetadataValue.json(stats.get("quarantined_by_reason", {})),
        "batch_seq": int(stats.get("seq", 0)),
        "digest": info.digest,
    }


def markdown_table(frame: pl.DataFrame, empty: str = "nothing yet") -> str:
    """A frame as a Markdown table for the UI (floats to three decimals)."""
    if frame.is_empty():
        return empty
    rounded = frame.with_columns(pl.selectors.float().round(3))
    lines = ["| " + " | ".join(rounded.columns) + " |", "|" + "---|" * rounded.width]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rounded.iter_rows()]
    return "\n".join(lines)
