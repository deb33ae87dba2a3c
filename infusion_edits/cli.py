"""Command line: load input files, build with dbt, export the decisions.

    python -m infusion_edits.cli run [--input-dir DIR] [--output-dir DIR]
        [--vars '{...}'] [--database FILE]

Without --input-dir it writes the demo claims and runs on them.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from infusion_edits.demo_data import DEMO_VARS, write_demo
from infusion_edits.export import (
    export_decisions,
    export_paths,
    format_accounting,
    format_summary,
    input_accounting,
    summary_rows,
)
from infusion_edits.loader import InputError, load_inputs
from infusion_edits.settings import (
    SettingsError,
    parse_vars,
    project_defaults,
    validate_vars,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = PROJECT_DIR / "target" / "infusion_edits.duckdb"
DEMO_INPUT_DIR = PROJECT_DIR / "build" / "demo"


@contextmanager
def exclusive_database(database: Path) -> Iterator[None]:
    """Hold a lock beside the database for the whole run, so that two runs
    never load and build the same database at once."""
    database.parent.mkdir(parents=True, exist_ok=True)
    lock_path = database.with_name(database.name + ".lock")
    with lock_path.open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise InputError(
                f"Another run is using {database}; wait for it to finish "
                "or pass --database with another file."
            ) from error
        yield


def dbt_build(
    database: Path, dbt_vars: dict[str, object], with_tests: bool = True
) -> int:
    """Run dbt build (models, seeds and, unless told not to, every data and
    unit test) on the database."""
    env = dict(
        os.environ,
        INFUSION_EDITS_DUCKDB_PATH=str(database),
        INFUSION_EDITS_TARGET="duckdb",
    )
    # --full-refresh recreates the seeds, so a database built by an older
    # version of the project takes the seeds' new columns.
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "build",
        "--full-refresh",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--vars",
        json.dumps(dbt_vars),
    ]
    if not with_tests:
        command += ["--exclude-resource-type", "test", "unit_test"]
    return subprocess.call(command, cwd=PROJECT_DIR, env=env)


def run(args: argparse.Namespace) -> int:
    """Load, build, export and print the summary."""
    database = Path(args.database).resolve()
    dbt_vars = validate_vars(
        parse_vars(args.vars), project_defaults(PROJECT_DIR)
    )
    input_dir = Path(args.input_dir) if args.input_dir else None
    if input_dir is None:
        input_dir = DEMO_INPUT_DIR
        write_demo(input_dir)
        dbt_vars = {**DEMO_VARS, **dbt_vars}
        print(f"Demo claims written to {input_dir}")
    dbt_vars.setdefault(
        "run_started_at", datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    )
    output_dir = Path(args.output_dir)
    for stale in export_paths(output_dir).values():
        stale.unlink(missing_ok=True)
    with exclusive_database(database):
        counts = load_inputs(input_dir, database)
        print(
            "Loaded "
            + ", ".join(f"{name}: {rows} rows" for name, rows in counts.items())
        )
        status = dbt_build(database, dbt_vars, with_tests=not args.no_tests)
        if status != 0:
            print("dbt build failed: nothing was exported.", file=sys.stderr)
            return status
        paths = export_decisions(database, output_dir)
    print(format_summary(summary_rows(database)))
    print(
        format_accounting(counts["medical_claim"], input_accounting(database))
    )
    print("Written: " + ", ".join(str(p) for p in paths.values()))
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser of the command line."""
    root = argparse.ArgumentParser(prog="infusion_edits")
    commands = root.add_subparsers(dest="command", required=True)
    run_command = commands.add_parser("run", help="load, build and export")
    run_command.add_argument(
        "--input-dir",
        default="",
        help="folder with medical_claim and prior_authorization files; "
        "empty: generate and use the demo claims",
    )
    run_command.add_argument("--output-dir", default="output")
    run_command.add_argument("--vars", default="{}")
    run_command.add_argument("--database", default=str(DEFAULT_DATABASE))
    run_command.add_argument(
        "--no-tests",
        action="store_true",
        help="build models and seeds only (faster; for repeated runs)",
    )
    run_command.set_defaults(handler=run)
    return root


def main(argv: list[str] | None = None) -> int:
    """Entry point; input problems end with one clear message, exit 2."""
    args = parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (InputError, SettingsError) as error:
        print(f"Input error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
