"""Load the input CSV files into the raw schema of a PostgreSQL database.

The Postgres counterpart of `infusion_edits.loader`: each input table gets
every contract column as text, in contract order. A column the file lacks is
null, except `source_row_number`, which is filled with the row's position in
the file (1 for the first data row). Empty fields are loaded as null. The
connection settings come from the same environment variables as the
`postgres` output of profiles.yml.

    python -m infusion_edits.pg_loader --input-dir DIR [--schema raw]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import psycopg2
from psycopg2 import sql
from psycopg2.extensions import connection as PgConnection

from infusion_edits.contract import CONTRACT_DOC, TABLES, TableContract
from infusion_edits.loader import (
    RAW_SCHEMA,
    InputError,
    contract_rows,
    counts_text,
    csv_input,
)

# Rows are staged in memory up to this size, then on disk.
SPOOL_BYTES = 16 * 1024 * 1024


def connect() -> PgConnection:
    """A connection with the settings of the `postgres` profile output."""
    return psycopg2.connect(
        host=os.environ.get("INFUSION_EDITS_PG_HOST", "127.0.0.1"),
        port=int(os.environ.get("INFUSION_EDITS_PG_PORT", "5432")),
        user=os.environ.get("INFUSION_EDITS_PG_USER", "postgres"),
        password=os.environ.get("INFUSION_EDITS_PG_PASSWORD", ""),
        dbname=os.environ.get("INFUSION_EDITS_PG_DBNAME", "postgres"),
    )


def copy_rows(
    connection: PgConnection,
    target: sql.Composable,
    table: TableContract,
    rows: Iterator[list[str | None]],
) -> None:
    """COPY the rows into the target table; None becomes null."""
    with tempfile.SpooledTemporaryFile(
        max_size=SPOOL_BYTES, mode="w+", newline="", encoding="utf-8"
    ) as spool:
        # An unquoted empty field is null in COPY's CSV format; the rows
        # carry no empty strings, since those were turned into None.
        csv.writer(spool, lineterminator="\n").writerows(rows)
        spool.seek(0)
        statement = sql.SQL("copy {} ({}) from stdin with (format csv)").format(
            target,
            sql.SQL(", ").join(sql.Identifier(name) for name in table.columns),
        )
        with connection.cursor() as cursor:
            cursor.copy_expert(statement.as_string(connection), spool)


def load_table(
    connection: PgConnection,
    input_dir: Path,
    table: TableContract,
    schema: str,
) -> int:
    """Recreate one raw table and load its file; return its row count."""
    path = csv_input(input_dir, table, "Postgres")
    target = sql.Identifier(schema, table.name)
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("drop table if exists {}").format(target))
        cursor.execute(
            sql.SQL("create table {} ({})").format(
                target,
                sql.SQL(", ").join(
                    sql.SQL("{} text").format(sql.Identifier(name))
                    for name in table.columns
                ),
            )
        )
    if path is None:
        return 0
    copy_rows(connection, target, table, contract_rows(path, table))
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("select count(*) from {}").format(target))
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def load_inputs(
    input_dir: Path, connection: PgConnection, schema: str = RAW_SCHEMA
) -> dict[str, int]:
    """Check and load every input table in one transaction; return row
    counts by table."""
    if not input_dir.is_dir():
        raise InputError(
            f"Input folder {input_dir} does not exist (see {CONTRACT_DOC})."
        )
    counts: dict[str, int] = {}
    with connection:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("create schema if not exists {}").format(
                    sql.Identifier(schema)
                )
            )
        for table in TABLES:
            counts[table.name] = load_table(
                connection, input_dir, table, schema
            )
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; input problems end with one clear message, exit 2."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input-dir", type=Path, required=True)
    parser.add_argument("--schema", default=RAW_SCHEMA)
    args = parser.parse_args(argv)
    connection = connect()
    try:
        counts = load_inputs(args.input_dir, connection, args.schema)
    except InputError as error:
        print(f"Input error: {error}", file=sys.stderr)
        return 2
    finally:
        connection.close()
    print("Loaded into Postgres " + counts_text(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
