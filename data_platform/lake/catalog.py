"""The DuckDB catalog: a database file of views over the lake's Parquet (no data copied).

The file is written only by ``refresh_catalog`` (release asset, CLI), which Dagster runs in the
``lake_catalog`` pool, so no two processes hold its write lock at once; every other use opens it
read-only or queries the Parquet files through an in-memory connection.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import duckdb

from data_platform.lake.ledgers import ledger_path
from data_platform.lake.releases import LEFT_OUT_FILE, list_releases, release_dir
from data_platform.lake.store import TIERS, Lake

# The repository's top-level sql/, which the wheel carries as data_platform/sql.
SQL_DIR: Traversable = resources.files("data_platform.sql")
CATALOG_FILE = "catalog.duckdb"


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def named_statements(path: Traversable) -> dict[str, str]:
    """Split a .sql file into statements headed by ``-- name: <name>`` comments."""
    statements: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-- name:"):
            current = statements.setdefault(line.split(":", 1)[1].strip(), [])
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines).strip() for name, lines in statements.items()}


def catalog_path(lake: Lake) -> Path:
    return lake.root / CATALOG_FILE


def view_statements(lake: Lake) -> list[str]:
    templates = named_statements(SQL_DIR / "views.sql")
    lake_root = sql_literal(str(lake.root))
    statements = [
        templates["tier_records"].replace("{tier}", tier).replace("{lake}", lake_root)
        for tier in TIERS
        if lake.partitions(tier)
    ]
    if any(lake.partitions(tier) for tier in TIERS):
        statements.append(templates["quarantine"].replace("{lake}", lake_root))
    versions = list_releases(lake)
    for version in versions:
        statements.append(templates["release"].replace("{version}", version).replace("{lake}", lake_root))
    if versions:
        statements.append(f"create or replace view release_latest as select * from release_{versions[-1]};")
        statements.append(templates["release_all"].replace("{lake}", lake_root))
    if any((release_dir(lake, version) / LEFT_OUT_FILE).is_file() for version in versions):
        statements.append(templates["release_left_out"].replace("{lake}", lake_root))
    for ledger in ("models", "takedowns", "takedown_impact"):
        path = ledger_path(lake, ledger)
        if not path.exists():  # no entries yet: the view exists and is empty
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        statements.append(templates[ledger].replace("{ledger}", sql_literal(str(path))))
    return statements


def refresh_catalog(lake: Lake) -> Path:
    path = catalog_path(lake)
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as connection:
        for statement in view_statements(lake):
            connection.execute(statement)
    return path


def connect_catalog(lake: Lake) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the catalog's views: never locks the catalog file."""
    connection = duckdb.connect()
    for statement in view_statements(lake):
        connection.execute(statement)
    return connection
