"""Croissant metadata (MLCommons' JSON-LD for ML datasets) for a release folder, built and
validated with ``mlcroissant``, so tools that read Croissant (dataset search, loaders, the
Hugging Face hub) see the release's files, columns and licences without our code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mlcroissant as mlc
import polars as pl

from data_platform.errors import DataPlatformError

RECORDS_FILE_SET = "records-parquet"
RECORD_SET = "records"
_SCALARS: dict[type[pl.DataType], Any] = {
    pl.String: mlc.DataType.TEXT,
    pl.Int64: mlc.DataType.INTEGER,
    pl.Int32: mlc.DataType.INTEGER,
    pl.Float64: mlc.DataType.FLOAT,
    pl.Boolean: mlc.DataType.BOOL,
    pl.Datetime: mlc.DataType.DATETIME,
}


class CroissantError(DataPlatformError):
    """The metadata mlcroissant refused, with its report."""


def croissant_metadata(
    manifest: Mapping[str, Any],
    schema: Mapping[str, pl.DataType],
    descriptions: Mapping[str, str],
    *,
    name: str,
    description: str,
    url: str,
    licence_urls: list[str],
    cite_as: str,
) -> dict[str, Any]:
    """The release's Croissant JSON-LD: one file set (records-*.parquet) and one record set with
    a field per column, nested columns (turns, labels, PII findings) as repeated sub-fields.
    CroissantError when mlcroissant finds an error in it."""
    files = mlc.FileSet(
        id=RECORDS_FILE_SET,
        name=RECORDS_FILE_SET,
        description="The release's records in Parquet parts, sorted by record id",
        encoding_formats=["application/x-parquet"],
        includes=["records-*.parquet"],
    )
    fields = [_field(column, dtype, descriptions.get(column, column)) for column, dtype in schema.items()]
    records = mlc.RecordSet(
        id=RECORD_SET,
        name=RECORD_SET,
        description="One record per text or conversation, with provenance, licence and labels",
        fields=fields,
    )
    metadata = mlc.Metadata(
        name=name,
        description=description,
        license=licence_urls,
        url=url,
        cite_as=cite_as,
        version=f"{manifest['version'].lstrip('v')}.0.0",
        date_published=manifest["created_at"][:10],
        distribution=[files],
        record_sets=[records],
    )
    if metadata.ctx.issues.errors:
        raise CroissantError(f"Croissant metadata of {manifest['version']}: {metadata.ctx.issues.report()}")
    return metadata.to_json()


def _field(column: str, dtype: pl.DataType, description: str) -> mlc.Field:
    field_id = f"{RECORD_SET}/{column}"
    if isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Struct):
        sub_fields = [
            mlc.Field(
                id=f"{field_id}/{inner.name}",
                name=inner.name,
                data_types=[_scalar(inner.dtype, f"{column}.{inner.name}")],
                source=_source(column, inner.name),
            )
            for inner in dtype.inner.fields
        ]
        return mlc.Field(
            id=field_id, name=column, description=description, repeated=True, sub_fields=sub_fields
        )
    return mlc.Field(
        id=field_id,
        name=column,
        description=description,
        data_types=[_scalar(dtype, column)],
        source=_source(column),
    )


def _scalar(dtype: Any, column: str) -> Any:
    kind = _SCALARS.get(dtype.base_type())
    if kind is None:
        raise CroissantError(f"column {column}: no Croissant data type for {dtype}")
    return kind


def _source(column: str, json_path: str | None = None) -> mlc.Source:
    transforms = [mlc.Transform(json_path=json_path)] if json_path else []
    return mlc.Source(file_set=RECORDS_FILE_SET, extract=mlc.Extract(column=column), transforms=transforms)
