"""Named audit queries from sql/audit.sql, run against the lake's views with bound parameters.

Each query declares its parameters in its header (``-- param: name type [optional]: meaning``);
values given on the command line are checked against that list (unknown or missing names and
wrong types are refused before anything runs) and handed to DuckDB as bound parameters, so a
value is only ever a value: quotes, semicolons and SQL keywords in it match nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources.abc import Traversable

import duckdb
import polars as pl

from data_platform.lake.catalog import SQL_DIR, connect_catalog, named_statements
from data_platform.lake.store import Lake

AUDIT_FILE = SQL_DIR / "audit.sql"
PARAM_LINE = re.compile(r"^-- param: (\w+) (string|integer)( optional)?: (.+)$")
TYPES = {"string": str, "integer": int}


class AuditError(ValueError):
    """A query that does not exist, parameters that do not fit it, or a lake that lacks a view."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool
    meaning: str


@dataclass(frozen=True)
class AuditQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    sql: str

    def usage(self) -> str:
        shown = " ".join(
            f"[--param {p.name}=…]" if p.optional else f"--param {p.name}=…" for p in self.params
        )
        lines = [f"{self.name} {shown}".rstrip(), f"    {self.description}"]
        lines += [
            f"    {p.name} ({p.type}{', optional' if p.optional else ''}): {p.meaning}" for p in self.params
        ]
        return "\n".join(lines)


def load_queries(path: Traversable = AUDIT_FILE) -> dict[str, AuditQuery]:
    queries = {}
    for name, body in named_statements(path).items():
        description, params, sql = [], [], []
        for line in body.splitlines():
            if line.startswith("-- description:"):
                description.append(line.split(":", 1)[1].strip())
            elif match := PARAM_LINE.match(line):
                params.append(Param(match[1], match[2], bool(match[3]), match[4]))
            elif line.startswith("-- param:"):
                raise AuditError(f"{path}: query {name}: cannot read parameter line {line!r}")
            else:
                sql.append(line)
        queries[name] = AuditQuery(name, " ".join(description), tuple(params), "\n".join(sql).strip())
    return queries


def bind(query: AuditQuery, given: dict[str, str]) -> dict[str, object]:
    """The values for ``query``'s parameters, typed; refuses unknown, missing or ill-typed ones."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise AuditError(
            f"{query.name} takes no parameter {', '.join(unknown)}; it takes: {', '.join(declared)}"
        )
    values: dict[str, object] = {}
    for param in query.params:
        if param.name not in given:
            if not param.optional:
                raise AuditError(f"{query.name} needs --param {param.name}=… ({param.meaning})")
            values[param.name] = None
            continue
        try:
            values[param.name] = TYPES[param.type](given[param.name])
        except ValueError as exc:
            raise AuditError(
                f"{query.name}: {param.name} must be an {param.type}, not {given[param.name]!r}"
            ) from exc
    return values


def parse_params(pairs: list[str]) -> dict[str, str]:
    given = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise AuditError(f"--param takes key=value, not {pair!r}")
        given[name] = value
    return given


def run_audit(lake: Lake, name: str, given: dict[str, str]) -> pl.DataFrame:
    queries = load_queries()
    if name not in queries:
        raise AuditError(f"no audit query named {name!r}; there are: {', '.join(sorted(queries))}")
    query = queries[name]
    values = bind(query, given)
    connection = connect_catalog(lake)
    try:
        return pl.DataFrame(connection.sql(query.sql, params=values).to_arrow_table())
    except duckdb.CatalogException as exc:
        raise AuditError(
            f"{name} reads a view the lake does not have yet ({exc}); cut a release first?"
        ) from exc
    finally:
        connection.close()
