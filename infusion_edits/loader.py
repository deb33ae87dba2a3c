"""Preflight and load of the input files into the DuckDB database.

Each input table is read from `<input_dir>/<table>.csv` or `.parquet`. A
missing required file or column stops the run with one message that names
the file and the columns; extra columns are ignored. Every column is loaded
as text: the staging models cast it safely.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import duckdb

from infusion_edits.contract import (
    CONTRACT_DOC,
    ROW_NUMBER_COLUMN,
    TABLES,
    TableContract,
)

RAW_SCHEMA = "raw"


class InputError(Exception):
    """An input file is missing, unreadable or lacks required columns."""


def find_input(input_dir: Path, table: TableContract) -> Path | None:
    """The CSV or Parquet file for a table, or None when there is none."""
    candidates = [
        input_dir / f"{table.name}.{ext}" for ext in ("csv", "parquet")
    ]
    found = [path for path in candidates if path.is_file()]
    if len(found) > 1:
        raise InputError(
            f"Both {found[0]} and {found[1]} exist: keep one input file "
            f"for table {table.name} (see {CONTRACT_DOC})."
        )
    return found[0] if found else None


def reader_sql(path: Path) -> str:
    """A DuckDB table function that reads the file with text columns."""
    quoted = str(path).replace("'", "''")
    if path.suffix == ".parquet":
        return f"read_parquet('{quoted}')"
    return (
        f"read_csv('{quoted}', header = true, all_varchar = true, "
        "auto_detect = true)"
    )


def file_columns(
    connection: duckdb.DuckDBPyConnection, path: Path
) -> list[str]:
    """Column names of an input file, lower-cased and trimmed."""
    try:
        rows = connection.execute(
            f"describe select * from {reader_sql(path)}"
        ).fetchall()
    except duckdb.Error as error:
        raise InputError(
            f"Cannot read {path}: {error}. Expected a CSV with a header row "
            f"or a Parquet file (see {CONTRACT_DOC})."
        ) from error
    return [str(row[0]).strip().lower() for row in rows]


def check_columns(path: Path, table: TableContract, columns: list[str]) -> None:
    """Stop when required columns are missing from the file."""
    missing = [name for name in table.required if name not in columns]
    if missing:
        raise InputError(
            f"{path} lacks required column(s) {', '.join(missing)} of table "
            f"{table.name}. Required: {', '.join(table.required)} "
            f"(see {CONTRACT_DOC})."
        )


def contract_rows(
    path: Path, table: TableContract
) -> Iterator[list[str | None]]:
    """The file's rows as contract columns, in contract order."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise InputError(
                f"{path} is empty: expected a CSV with a header row "
                f"(see {CONTRACT_DOC})."
            )
        columns = [name.strip().lower() for name in header]
        check_columns(path, table, columns)
        positions = {}
        for position, name in enumerate(columns):
            positions.setdefault(name, position)
        for row_number, row in enumerate(reader, start=1):
            if len(row) != len(columns):
                raise InputError(
                    f"{path}, data row {row_number}: {len(row)} fields, "
                    f"the header has {len(columns)} (see {CONTRACT_DOC})."
                )
            values: list[str | None] = []
            for name in table.columns:
                if name in positions:
                    values.append(row[positions[name]] or None)
                elif name == ROW_NUMBER_COLUMN:
                    values.append(str(row_number))
                else:
                    values.append(None)
            yield values


def select_list(table: TableContract, columns: list[str]) -> str:
    """Contract columns as text, in contract order; absent ones as null."""
    present = {name.strip().lower(): name for name in columns}
    parts = []
    for name in table.columns:
        if name in present:
            source = '"' + present[name].replace('"', '""') + '"'
            parts.append(f'cast({source} as varchar) as "{name}"')
        elif name == ROW_NUMBER_COLUMN and columns:
            parts.append(f'cast(row_number() over () as varchar) as "{name}"')
        else:
            parts.append(f'cast(null as varchar) as "{name}"')
    return ",\n    ".join(parts)


def load_table(
    connection: duckdb.DuckDBPyConnection,
    input_dir: Path,
    table: TableContract,
) -> int:
    """Load one table into the raw schema; return its row count."""
    path = find_input(input_dir, table)
    target = f'{RAW_SCHEMA}."{table.name}"'
    if path is None:
        if table.required_table:
            raise InputError(
                f"No {table.name}.csv or {table.name}.parquet in {input_dir} "
                f"(see {CONTRACT_DOC})."
            )
        empty = select_list(table, [])
        connection.execute(
            f"create or replace table {target} as select {empty} limit 0"
        )
        return 0
    columns = file_columns(connection, path)
    check_columns(path, table, columns)
    try:
        connection.execute(
            f"create or replace table {target} as select "
            f"{select_list(table, columns)} from {reader_sql(path)}"
        )
    except duckdb.Error as error:
        raise InputError(
            f"Cannot read {path}: {error} (see {CONTRACT_DOC})."
        ) from error
    rows = connection.execute(f"select count(*) from {target}").fetchall()
    return int(rows[0][0])


def load_inputs(input_dir: Path, database: Path) -> dict[str, int]:
    """Check and load every input table; return row counts by table."""
    if not input_dir.is_dir():
        raise InputError(
            f"Input folder {input_dir} does not exist (see {CONTRACT_DOC})."
        )
    database.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with duckdb.connect(str(database)) as connection:
        connection.execute(f"create schema if not exists {RAW_SCHEMA}")
        for table in TABLES:
            counts[table.name] = load_table(connection, input_dir, table)
    return counts
