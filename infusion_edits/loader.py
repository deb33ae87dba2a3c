"""Preflight and load of the input files into the DuckDB database.

Each input table is read from `<input_dir>/<table>.csv` or `.parquet`. A
missing required file or column stops the run with one message that names
the file and the columns; extra columns are ignored. Every column is loaded
as text: the staging models cast it safely.

A full load replaces the tables; a daily load (load_daily) appends the new
claim lines to the history as a new load batch and replaces the
authorizations only when a file for them is given. Each claim line carries
the number of the load that brought it (load_batch_number).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from infusion_edits.contract import (
    CONTRACT_DOC,
    MEDICAL_CLAIM,
    PRIOR_AUTHORIZATION,
    ROW_NUMBER_COLUMN,
    TABLES,
    TableContract,
)

RAW_SCHEMA = "raw"
BATCH_COLUMN = "load_batch_number"
PREVIOUS_AUTHORIZATIONS = "prior_authorization_previous"
STATE_TABLE = f"{RAW_SCHEMA}.decided_state"
# The DuckDB settings of profiles.yml, with the same env vars and defaults,
# so the load and the export are bounded like the dbt build.
DUCKDB_SETTINGS = {
    "memory_limit": ("INFUSION_EDITS_MEMORY_LIMIT", "4GB"),
    "threads": ("INFUSION_EDITS_THREADS", "2"),
}


class InputError(Exception):
    """An input file is missing, unreadable or lacks required columns."""


def duckdb_config() -> dict[str, str]:
    """Memory limit and threads for a DuckDB connection, from the env."""
    return {
        name: os.environ.get(variable) or default
        for name, (variable, default) in DUCKDB_SETTINGS.items()
    }


def connect(
    database: Path, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open the database with the profile's memory limit and threads;
    another program holding it is an input error."""
    try:
        return duckdb.connect(
            str(database), read_only=read_only, config=duckdb_config()
        )
    except duckdb.IOException as error:
        raise InputError(
            f"Another program has {database} open ({error}); close it or "
            "pass --database with another file."
        ) from error
    except (duckdb.InvalidInputException, duckdb.ParserException) as error:
        names = " and ".join(var for var, _ in DUCKDB_SETTINGS.values())
        raise InputError(
            f"DuckDB refused the settings from {names} ({error}); use a "
            "size such as 4GB and a whole number of threads."
        ) from error


def counts_text(counts: dict[str, int]) -> str:
    """Row counts by table as one line of text."""
    return ", ".join(f"{name}: {rows} rows" for name, rows in counts.items())


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


def csv_input(
    input_dir: Path, table: TableContract, loader: str
) -> Path | None:
    """The CSV file of a table for a loader that reads CSV only (the
    Postgres and Spark test legs); None when an optional table has none."""
    path = find_input(input_dir, table)
    if path is None and table.required_table:
        raise InputError(
            f"No {table.name}.csv in {input_dir} (see {CONTRACT_DOC})."
        )
    if path is not None and path.suffix != ".csv":
        raise InputError(
            f"{path}: the {loader} loader reads CSV files only "
            f"(see {CONTRACT_DOC})."
        )
    return path


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


def select_list(
    table: TableContract,
    columns: list[str],
    batch: int = 1,
    row_offset: int = 0,
) -> str:
    """Contract columns as text, in contract order; absent ones as null.
    Claim lines also get their load batch, and a row number (after
    row_offset) when the file has none."""
    present = {name.strip().lower(): name for name in columns}
    parts = []
    for name in table.columns:
        if name in present:
            source = '"' + present[name].replace('"', '""') + '"'
            parts.append(f'cast({source} as varchar) as "{name}"')
        elif name == ROW_NUMBER_COLUMN and columns:
            parts.append(
                f"cast(row_number() over () + {int(row_offset)} as varchar) "
                f'as "{name}"'
            )
        else:
            parts.append(f'cast(null as varchar) as "{name}"')
    if table.name == MEDICAL_CLAIM.name:
        parts.append(f"'{int(batch)}' as \"{BATCH_COLUMN}\"")
    return ",\n    ".join(parts)


def read_sql(
    connection: duckdb.DuckDBPyConnection,
    input_dir: Path,
    table: TableContract,
    batch: int = 1,
    row_offset: int = 0,
) -> str | None:
    """The select that reads a table's file as contract columns, after the
    preflight; None when the table is optional and has no file."""
    path = find_input(input_dir, table)
    if path is None:
        if table.required_table:
            raise InputError(
                f"No {table.name}.csv or {table.name}.parquet in {input_dir} "
                f"(see {CONTRACT_DOC})."
            )
        return None
    columns = file_columns(connection, path)
    check_columns(path, table, columns)
    return (
        f"select {select_list(table, columns, batch, row_offset)} "
        f"from {reader_sql(path)}"
    )


def run_load(
    connection: duckdb.DuckDBPyConnection, statement: str, input_dir: Path
) -> None:
    """Run a load statement; a file DuckDB cannot read is an input error."""
    try:
        connection.execute(statement)
    except duckdb.Error as error:
        raise InputError(
            f"Cannot read the input files in {input_dir}: {error} "
            f"(see {CONTRACT_DOC})."
        ) from error


def row_count(connection: duckdb.DuckDBPyConnection, relation: str) -> int:
    """Rows in a relation."""
    rows = connection.execute(f"select count(*) from {relation}").fetchall()
    return int(rows[0][0])


def load_table(
    connection: duckdb.DuckDBPyConnection,
    input_dir: Path,
    table: TableContract,
) -> int:
    """Load one table into the raw schema, replacing it; return its row
    count."""
    target = f'{RAW_SCHEMA}."{table.name}"'
    select = read_sql(connection, input_dir, table)
    if select is None:
        select = f"select {select_list(table, [])} limit 0"
    run_load(
        connection, f"create or replace table {target} as {select}", input_dir
    )
    return row_count(connection, target)


def load_inputs(input_dir: Path, database: Path) -> dict[str, int]:
    """Check and load every input table (a full load, batch 1); return row
    counts by table. Until its build succeeds, the database holds no
    decided state, so a daily load refuses to add to it."""
    if not input_dir.is_dir():
        raise InputError(
            f"Input folder {input_dir} does not exist (see {CONTRACT_DOC})."
        )
    database.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with connect(database) as connection:
        connection.execute(f"create schema if not exists {RAW_SCHEMA}")
        connection.execute(f"drop table if exists {STATE_TABLE}")
        for table in TABLES:
            counts[table.name] = load_table(connection, input_dir, table)
        connection.execute(
            f"create or replace table {RAW_SCHEMA}.{PREVIOUS_AUTHORIZATIONS} "
            f'as select * from {RAW_SCHEMA}."{PRIOR_AUTHORIZATION.name}"'
        )
    return counts


@dataclass(frozen=True)
class DecidedState:
    """What the last successful build decided: every load batch up to
    last_batch, with the settings whose fingerprint is given. settled is
    false while a daily run is under way, and stays false when it does not
    finish: the marts may then reflect authorizations the last successful
    build never saw."""

    last_batch: int
    fingerprint: str
    settled: bool = True


@dataclass(frozen=True)
class DailyLoad:
    """Rows of a daily load, the batch it became and the history size."""

    counts: dict[str, int]
    batch: int
    history_lines: int


def read_state(connection: duckdb.DuckDBPyConnection) -> DecidedState | None:
    """The state written by the last successful build, if any."""
    exists = connection.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = ? and table_name = ?",
        [RAW_SCHEMA, STATE_TABLE.split(".")[1]],
    ).fetchall()
    if not exists[0][0]:
        return None
    rows = connection.execute(
        f"select last_batch, fingerprint, settled from {STATE_TABLE}"
    ).fetchall()
    if not rows:
        return None
    return DecidedState(int(rows[0][0]), str(rows[0][1]), bool(rows[0][2]))


def record_decided(database: Path, fingerprint: str) -> DecidedState:
    """After a successful build: every batch loaded so far is decided, and
    the authorizations as they are now become the ones the next daily run
    compares with."""
    with connect(database) as connection:
        connection.execute("begin transaction")
        rows = connection.execute(
            f"select max(cast({BATCH_COLUMN} as integer)) "
            f'from {RAW_SCHEMA}."{MEDICAL_CLAIM.name}"'
        ).fetchall()
        state = DecidedState(int(rows[0][0] or 0), fingerprint)
        connection.execute(
            f"create or replace table {RAW_SCHEMA}.{PREVIOUS_AUTHORIZATIONS} "
            f'as select * from {RAW_SCHEMA}."{PRIOR_AUTHORIZATION.name}"'
        )
        connection.execute(
            f"create or replace table {STATE_TABLE} as select "
            "? as last_batch, ? as fingerprint, true as settled",
            [state.last_batch, state.fingerprint],
        )
        connection.execute("commit")
    return state


def mark_unsettled(database: Path) -> None:
    """Before a daily build changes the marts: until record_decided runs,
    the next daily run must check every authorization again."""
    with connect(database) as connection:
        connection.execute(f"update {STATE_TABLE} set settled = false")


def previous_build(database: Path) -> DecidedState:
    """The state of the last successful build; a daily load needs one."""
    if not database.is_file():
        raise InputError(
            f"{database} does not exist: a daily load adds to the claims of "
            "a full run, so run once without --daily first."
        )
    with connect(database, read_only=True) as connection:
        state = read_state(connection)
    if state is None:
        raise InputError(
            f"{database} holds no successful full run: run once without "
            "--daily first."
        )
    return state


def history_numbers(connection: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """The next load batch and the highest row number in the history."""
    rows = connection.execute(
        f"select coalesce(max(cast({BATCH_COLUMN} as integer)), 0) + 1, "
        f"coalesce(max(try_cast({ROW_NUMBER_COLUMN} as bigint)), 0) "
        f'from {RAW_SCHEMA}."{MEDICAL_CLAIM.name}"'
    ).fetchall()
    return int(rows[0][0]), int(rows[0][1])


def load_daily(
    input_dir: Path, database: Path, settled: bool = True
) -> DailyLoad:
    """Append a day's claim lines to the history as a new load batch, and
    replace the authorizations when the folder has a file for them (a
    folder may hold either or both). All or nothing: a file that fails its
    checks changes nothing."""
    if not input_dir.is_dir():
        raise InputError(
            f"Input folder {input_dir} does not exist (see {CONTRACT_DOC})."
        )
    if not any(find_input(input_dir, table) for table in TABLES):
        raise InputError(
            f"{input_dir} holds no medical_claim or prior_authorization "
            f"file: nothing to load (see {CONTRACT_DOC})."
        )
    history = f'{RAW_SCHEMA}."{MEDICAL_CLAIM.name}"'
    authorizations = f'{RAW_SCHEMA}."{PRIOR_AUTHORIZATION.name}"'
    with connect(database) as connection:
        batch, last_row = history_numbers(connection)
        claims = None
        if find_input(input_dir, MEDICAL_CLAIM) is not None:
            claims = read_sql(
                connection, input_dir, MEDICAL_CLAIM, batch, last_row
            )
        authorization_select = read_sql(
            connection, input_dir, PRIOR_AUTHORIZATION
        )
        before = row_count(connection, history)
        connection.execute("begin transaction")
        if claims is not None:
            run_load(
                connection,
                f"insert into {history} by name {claims}",
                input_dir,
            )
        if authorization_select is not None:
            if not settled:
                # A daily run that did not finish may have decided with the
                # authorizations being replaced: keep them for the
                # comparison until a build succeeds.
                connection.execute(
                    f"insert into {RAW_SCHEMA}.{PREVIOUS_AUTHORIZATIONS} "
                    f"by name select * from {authorizations}"
                )
            run_load(
                connection,
                f"create or replace table {authorizations} as "
                f"{authorization_select}",
                input_dir,
            )
        connection.execute("commit")
        history_lines = row_count(connection, history)
        counts = {
            MEDICAL_CLAIM.name: history_lines - before,
            PRIOR_AUTHORIZATION.name: row_count(connection, authorizations),
        }
    return DailyLoad(counts, batch, history_lines)
