"""Load the input CSV files into Spark tables, and export a mart as CSV.

The Spark counterpart of `infusion_edits.pg_loader`, for the Spark test leg
(scripts/spark_leg.sh). Each input table becomes a Spark table in the Hive
metastore with every contract column as string, in contract order; a column
the file lacks is null, except `source_row_number`, which is the row's
position in the file. Empty fields are null. The session uses the settings
of the `spark` output of profiles.yml, read from the same environment
variables with the same defaults, so that dbt finds the tables later in
the same warehouse folder and Derby metastore.

    python -m infusion_edits.spark_loader load --input-dir DIR [--schema raw]
    python -m infusion_edits.spark_loader export --relation SCHEMA.TABLE \\
        --order-by "col_a, col_b" --out FILE
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pyspark.sql import Row, SparkSession
from pyspark.sql.types import StringType, StructField, StructType

from infusion_edits.contract import CONTRACT_DOC, TABLES, TableContract
from infusion_edits.loader import (
    RAW_SCHEMA,
    InputError,
    contract_rows,
    counts_text,
    csv_input,
)

DEFAULT_HOME = "/tmp/infusion_edits_spark"


def spark_settings() -> dict[str, str]:
    """The server_side_parameters of the `spark` output in profiles.yml."""
    threads = os.environ.get("INFUSION_EDITS_THREADS", "2")
    metastore = os.environ.get(
        "INFUSION_EDITS_SPARK_METASTORE", f"{DEFAULT_HOME}/metastore"
    )
    # Hive's per-session resource folders go to the JVM's temporary folder.
    tmpdir = os.environ.get("INFUSION_EDITS_SPARK_TMPDIR", "/tmp")
    return {
        "spark.master": f"local[{threads}]",
        "spark.ui.enabled": "false",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.memory": os.environ.get(
            "INFUSION_EDITS_SPARK_DRIVER_MEMORY", "2g"
        ),
        "spark.sql.shuffle.partitions": os.environ.get(
            "INFUSION_EDITS_SPARK_SHUFFLE_PARTITIONS", "4"
        ),
        "spark.sql.warehouse.dir": os.environ.get(
            "INFUSION_EDITS_SPARK_WAREHOUSE", f"{DEFAULT_HOME}/warehouse"
        ),
        "spark.driver.extraJavaOptions": (
            f"-Dderby.system.home={metastore} -Djava.io.tmpdir={tmpdir}"
        ),
        # dbt-spark sets this on every session; the loader does the same.
        "spark.sql.ansi.enabled": "false",
    }


def spark_session() -> SparkSession:
    """A local session with Hive support and the profile's settings."""
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in spark_settings().items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def string_schema(table: TableContract) -> StructType:
    """Every contract column as a nullable string, in contract order."""
    return StructType(
        [StructField(name, StringType(), True) for name in table.columns]
    )


def load_table(
    spark: SparkSession, input_dir: Path, table: TableContract, schema: str
) -> int:
    """Recreate one raw table and load its file; return its row count."""
    path = csv_input(input_dir, table, "Spark")
    rows = [] if path is None else list(contract_rows(path, table))
    target = f"`{schema}`.`{table.name}`"
    spark.sql(f"drop table if exists {target}")
    frame = spark.createDataFrame(rows, string_schema(table))
    frame.write.format("parquet").saveAsTable(target)
    return spark.table(target).count()


def load_inputs(
    spark: SparkSession, input_dir: Path, schema: str = RAW_SCHEMA
) -> dict[str, int]:
    """Check and load every input table; return row counts by table."""
    if not input_dir.is_dir():
        raise InputError(
            f"Input folder {input_dir} does not exist (see {CONTRACT_DOC})."
        )
    spark.sql(f"create database if not exists `{schema}`")
    return {
        table.name: load_table(spark, input_dir, table, schema)
        for table in TABLES
    }


def csv_text(value: object) -> str:
    """A value as CSV text: null empty, booleans true/false, timestamps
    with a space before the time."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def export_csv(
    spark: SparkSession, relation: str, order_by: str, out: Path
) -> int:
    """Write a relation as CSV with a header, in a stable row order;
    return the row count."""
    frame = spark.sql(f"select * from {relation} order by {order_by}")
    rows: list[Row] = frame.collect()
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    with part.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(frame.columns)
        writer.writerows([csv_text(value) for value in row] for row in rows)
    part.replace(out)
    return len(rows)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: `load` or `export`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="load the input CSV files")
    load.add_argument("--input-dir", type=Path, required=True)
    load.add_argument("--schema", default=RAW_SCHEMA)
    export = commands.add_parser("export", help="write a relation as CSV")
    export.add_argument("--relation", required=True)
    export.add_argument("--order-by", required=True)
    export.add_argument("--out", type=Path, required=True)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; input problems end with one clear message, exit 2."""
    args = parse_args(argv)
    spark = spark_session()
    try:
        if args.command == "export":
            rows = export_csv(spark, args.relation, args.order_by, args.out)
            print(f"Exported {rows} rows to {args.out}")
            return 0
        counts = load_inputs(spark, args.input_dir, args.schema)
    except InputError as error:
        print(f"Input error: {error}", file=sys.stderr)
        return 2
    finally:
        spark.stop()
    print("Loaded into Spark " + counts_text(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
