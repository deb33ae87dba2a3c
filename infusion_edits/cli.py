"""Command line: load input files, build with dbt, export the decisions.

    python -m infusion_edits.cli run [--input-dir DIR] [--output-dir DIR]
        [--vars '{...}'] [--database FILE] [--no-tests] [--daily]

Without --input-dir it writes the demo claims and runs on them. With
--daily the files in --input-dir are a day's new claim lines: they are
added to the claims already in --database and only the claims they can
change are decided again (see README.md#daily-runs).
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
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
from infusion_edits.loader import (
    DecidedState,
    InputError,
    counts_text,
    load_daily,
    load_inputs,
    mark_unsettled,
    previous_build,
    record_decided,
)
from infusion_edits.settings import (
    SettingsError,
    parse_vars,
    project_defaults,
    validate_vars,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = PROJECT_DIR / "target" / "infusion_edits.duckdb"
DEMO_INPUT_DIR = PROJECT_DIR / "build" / "demo"
# What decides a line besides the claims: a daily run refuses to add to
# decisions made with other settings, seeds or SQL.
FINGERPRINTED = ("dbt_project.yml", "seeds", "models", "macros")
RUN_VARS = frozenset(
    {"run_started_at", "daily_after_batch", "daily_recheck_authorizations"}
)
# Engines whose version takes part too: a new engine may cast, order or
# hash values differently, and the daily key table keeps what the last
# full run computed.
ENGINES = ("duckdb", "dbt-core", "dbt-duckdb")


def engine_versions() -> dict[str, str]:
    """The installed version of each engine ("absent" when it is not)."""
    versions = {}
    for name in ENGINES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


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


def fingerprint(dbt_vars: dict[str, object]) -> str:
    """A digest of the vars (but the run's own), of the engines' versions
    and of every file of the project that takes part in a decision."""
    digest = hashlib.sha256()
    # The vars in effect (defaults included), lists in sorted order: the
    # same settings spelt differently give the same digest.
    effective = {**project_defaults(PROJECT_DIR), **dbt_vars}
    kept = {
        name: sorted(map(str, value)) if isinstance(value, list) else value
        for name, value in effective.items()
        if name not in RUN_VARS
    }
    digest.update(json.dumps(kept, sort_keys=True, default=str).encode())
    digest.update(json.dumps(engine_versions(), sort_keys=True).encode())
    for name in FINGERPRINTED:
        root = PROJECT_DIR / name
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file():
                digest.update(str(path.relative_to(PROJECT_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def dbt_build(
    database: Path,
    dbt_vars: dict[str, object],
    with_tests: bool = True,
    full_refresh: bool = True,
) -> int:
    """Run dbt build (models, seeds and, unless told not to, every data and
    unit test) on the database."""
    env = dict(
        os.environ,
        INFUSION_EDITS_DUCKDB_PATH=str(database),
        INFUSION_EDITS_TARGET="duckdb",
    )
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "build",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--vars",
        json.dumps(dbt_vars),
    ]
    if full_refresh:
        # Recreates the seeds, so a database built by an older version of
        # the project takes the seeds' new columns. A daily run keeps the
        # marts' rows (they are incremental models then).
        command.append("--full-refresh")
    if not with_tests:
        command += ["--exclude-resource-type", "test", "unit_test"]
    return subprocess.call(command, cwd=PROJECT_DIR, env=env)


def checked_vars(args: argparse.Namespace) -> dict[str, object]:
    """The run's vars: validated, with the demo's when there is no input
    folder, and the time the run started."""
    given = parse_vars(args.vars)
    reserved = sorted((RUN_VARS - {"run_started_at"}) & set(given))
    if reserved:
        raise SettingsError(
            f"Var {reserved[0]} is set by the runner: use --daily."
        )
    dbt_vars = validate_vars(given, project_defaults(PROJECT_DIR))
    if not args.input_dir:
        dbt_vars = {**DEMO_VARS, **dbt_vars}
    dbt_vars.setdefault(
        "run_started_at", datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    )
    return dbt_vars


def input_folder(args: argparse.Namespace) -> Path:
    """The folder to load: --input-dir, or the demo claims written now."""
    if args.input_dir:
        return Path(args.input_dir)
    write_demo(DEMO_INPUT_DIR)
    print(f"Demo claims written to {DEMO_INPUT_DIR}")
    return DEMO_INPUT_DIR


def daily_state(database: Path, digest: str) -> DecidedState:
    """The state a daily run adds to; refuse when there is none or when it
    was decided with other vars, seeds or models."""
    state = previous_build(database)
    if state.fingerprint != digest:
        raise InputError(
            "The vars, seeds or models differ from those of the last "
            f"full run on {database}: run without --daily to decide "
            "every claim again with the new ones."
        )
    return state


def load(
    args: argparse.Namespace,
    database: Path,
    input_dir: Path,
    state: DecidedState | None,
) -> tuple[dict[str, int], int, dict[str, object]]:
    """Load the input (full, or daily onto state); return the row counts,
    the claim lines on file and the vars a daily build adds."""
    if state is None:
        counts = load_inputs(input_dir, database)
        return counts, counts["medical_claim"], {}
    daily = load_daily(input_dir, database, state.settled)
    print(
        f"Daily load {daily.batch}: decided up to load "
        f"{state.last_batch}; the new lines join {daily.history_lines} in all"
    )
    if not state.settled:
        print(
            "The last daily run did not finish: every authorization is "
            "checked again."
        )
    mark_unsettled(database)
    daily_vars = {
        "daily_after_batch": state.last_batch,
        "daily_recheck_authorizations": not state.settled,
    }
    return daily.counts, daily.history_lines, daily_vars


def load_and_build(
    args: argparse.Namespace,
    database: Path,
    dbt_vars: dict[str, object],
    state: DecidedState | None,
) -> tuple[int, int]:
    """Load the input and build; return dbt's exit status and the number
    of claim lines the decisions cover."""
    counts, history_lines, daily_vars = load(
        args, database, input_folder(args), state
    )
    print("Loaded " + counts_text(counts))
    status = dbt_build(
        database,
        {**dbt_vars, **daily_vars},
        with_tests=not args.no_tests,
        full_refresh=state is None,
    )
    if status == 0:
        record_decided(database, fingerprint(dbt_vars))
    elif state is not None:
        print(
            "The day's lines stay loaded; the next --daily run decides "
            "them with any later ones.",
            file=sys.stderr,
        )
    return status, history_lines


def run(args: argparse.Namespace) -> int:
    """Load, build, export and print the summary."""
    database = Path(args.database).resolve()
    dbt_vars = checked_vars(args)
    if args.daily and not args.input_dir:
        raise InputError("--daily needs --input-dir with the day's files.")
    output_dir = Path(args.output_dir)
    with exclusive_database(database):
        state = (
            daily_state(database, fingerprint(dbt_vars)) if args.daily else None
        )
        # Only once the run is sure to start: a failed run leaves no stale
        # decisions behind, a refused one leaves the last ones in place.
        for stale in export_paths(output_dir).values():
            stale.unlink(missing_ok=True)
        status, history_lines = load_and_build(args, database, dbt_vars, state)
        if status != 0:
            print("dbt build failed: nothing was exported.", file=sys.stderr)
            return status
        paths = export_decisions(database, output_dir)
    print(format_summary(summary_rows(database)))
    print(format_accounting(history_lines, input_accounting(database)))
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
    run_command.add_argument(
        "--daily",
        action="store_true",
        help="add the files in --input-dir to the claims in --database "
        "and decide again only the claims they can change",
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
