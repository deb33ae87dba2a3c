"""Benchmark of a daily run against a year of history.

Generates HISTORY + DAY claim lines with infusion_edits.volume (cached in
build/bench/daily/), splits them by claim: the claims that hold the first
HISTORY lines are the history, the rest are the day (random persons and
service dates across the year, so most are late arrivals). Then, in one
run: a full run of the runner on the history (models only), a daily run
(--daily) with the day, and for comparison a full run on history + day.
Writes docs/performance-daily.md.

    .venv/bin/python scripts/bench_daily.py [--history 10000000]
        [--day 100000] [--memory-limit 1500MB]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench" / "daily"
DOC = ROOT / "docs" / "performance-daily.md"
LOCK = ROOT / "build" / "bench" / ".lock"
THREADS = 2
TARGET_SHARE = 0.10


@dataclass(frozen=True)
class Timed:
    """One runner run: wall time and exit status."""

    label: str
    seconds: float
    returncode: int
    load_before: float
    dbt_seconds: float | None


def generate(history: int, day: int, seed: int) -> tuple[Path, Path, Path]:
    """History, day and history-plus-day folders (kept between runs)."""
    folders = tuple(
        WORK / f"{name}_{history}_{day}" for name in ("history", "day", "all")
    )
    if all((f / "medical_claim.parquet").is_file() for f in folders):
        return folders
    source = WORK / f"generated_{history + day}"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "infusion_edits.volume",
            "--lines",
            str(history + day),
            "--out",
            str(source),
            "--seed",
            str(seed),
        ],
        cwd=ROOT,
        check=True,
    )
    split(source, folders, history)
    shutil.rmtree(source)
    return folders


def split(source: Path, folders: tuple[Path, ...], history: int) -> None:
    """Write the history (claims of the first lines), the day (the other
    claims) and both together, each with the authorizations."""
    claims = str(source / "medical_claim.parquet")
    with duckdb.connect() as connection:
        connection.execute("set threads = 1")
        boundary = connection.execute(
            f"select claim_id from read_parquet('{claims}') "
            f"limit 1 offset {history}"
        ).fetchall()[0][0]
        wheres = (
            f"claim_id < '{boundary}'",
            f"claim_id >= '{boundary}'",
            "true",
        )
        for folder, where in zip(folders, wheres, strict=True):
            folder.mkdir(parents=True, exist_ok=True)
            connection.execute(
                f"copy (select * from read_parquet('{claims}') "
                f"where {where}) to '{folder / 'medical_claim.parquet'}' "
                "(format parquet)"
            )
            if folder != folders[1]:
                shutil.copy(
                    source / "prior_authorization.parquet",
                    folder / "prior_authorization.parquet",
                )


def run_runner(
    label: str, data: Path, database: Path, memory_limit: str, daily: bool
) -> Timed:
    """Time one runner run (models only) on the database."""
    command = [
        sys.executable,
        "-m",
        "infusion_edits.cli",
        "run",
        "--input-dir",
        str(data),
        "--output-dir",
        str(database.parent / f"output_{label}"),
        "--database",
        str(database),
        "--no-tests",
        "--vars",
        '{run_started_at: "2026-12-01 00:00:00"}',
    ]
    if daily:
        command.append("--daily")
    env = dict(
        os.environ,
        INFUSION_EDITS_THREADS=str(THREADS),
        INFUSION_EDITS_MEMORY_LIMIT=memory_limit,
        DBT_TARGET_PATH=str(database.parent / f"target_{label}"),
        DBT_LOG_PATH=str(database.parent / f"logs_{label}"),
    )
    log = database.parent / f"{label}.log"
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with log.open("w") as handle:
        returncode = subprocess.call(
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.1f} s (exit {returncode}; log {log})")
    results = database.parent / f"target_{label}" / "run_results.json"
    dbt_seconds = (
        float(json.loads(results.read_text())["elapsed_time"])
        if results.is_file()
        else None
    )
    return Timed(label, seconds, returncode, load_before, dbt_seconds)


def scope_size(database: Path) -> tuple[int, int, int]:
    """Claims in the daily scope, claims in all, lines decided again."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return tuple(  # type: ignore[return-value]
            connection.execute(sql).fetchall()[0][0]
            for sql in (
                "select count(*) from main.stg_claims__daily_scope",
                "select count(distinct claim_key) "
                "from main.stg_claims__daily_claim_days",
                "select count(*) from main.base_claims__medical_claim",
            )
        )


def report(
    runs: Sequence[Timed], scope: tuple[int, int, int], args: argparse.Namespace
) -> str:
    """The text of docs/performance-daily.md."""
    full, daily, both = runs
    share = daily.seconds / full.seconds
    dbt_share = (
        daily.dbt_seconds / full.dbt_seconds
        if daily.dbt_seconds is not None and full.dbt_seconds
        else None
    )

    def verdict(value: float) -> str:
        return "met" if value < TARGET_SHARE else "missed"

    def row(run: Timed, label: str, lines: str) -> str:
        return (
            f"| {label} | {lines} | {run.seconds:.1f} | "
            f"{'-' if run.dbt_seconds is None else f'{run.dbt_seconds:.1f}'} "
            f"| {run.load_before:.2f} |"
        )

    return "\n".join(
        [
            "# Performance of a daily run",
            "",
            "Written by `scripts/bench_daily.py` (also run by `make bench`); "
            "rerun with",
            "",
            "```sh",
            f".venv/bin/python scripts/bench_daily.py --history {args.history}"
            f" --day {args.day} --memory-limit {args.memory_limit}",
            "```",
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on "
            f"{os.cpu_count()} cores, DuckDB threads {THREADS}, memory limit "
            f"{args.memory_limit}; every run builds models and seeds only "
            "(`--no-tests`). Runner: the whole command (load, `dbt build`, "
            "export of both marts, summary). dbt build: dbt's own elapsed "
            "time (`run_results.json`).",
            "",
            "| run | lines | runner (s) | dbt build (s) | "
            "load average before |",
            "|---|---:|---:|---:|---:|",
            row(full, "full run on the history", f"{args.history:,}"),
            row(
                daily, "daily run (`--daily`) with the day", f"{args.day:,} new"
            ),
            row(
                both,
                "full run on history and day",
                f"{args.history + args.day:,}",
            ),
            "",
            f"Daily run / full run on the history, target under "
            f"{TARGET_SHARE:.0%}:",
            "",
            f"- dbt build: **{dbt_share:.1%}** ({verdict(dbt_share)})"
            if dbt_share is not None
            else "- dbt build: not measured (a run left no run_results.json)",
            f"- whole runner: **{share:.1%}** ({verdict(share)}); the "
            "export writes every row of both marts in both runs, and "
            "Python's and dbt's start-up are fixed costs, so they weigh "
            "more in the daily run.",
            "",
            f"The daily run decided again {scope[0]:,} of {scope[1]:,} claims "
            f"({scope[2]:,} lines): the claims of the day and every claim "
            "linked to them by a person and service date, a claim id or an "
            "authorization period (README.md#daily-runs).",
            "",
        ]
    )


@contextmanager
def bench_lock() -> Iterator[None]:
    """One benchmark at a time (the same lock as scripts/bench.py)."""
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with LOCK.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def main(argv: Sequence[str] | None = None) -> int:
    """Generate, run the three runs, write the report."""
    root = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root.add_argument("--history", type=int, default=10_000_000)
    root.add_argument("--day", type=int, default=100_000)
    root.add_argument("--memory-limit", default="1500MB")
    root.add_argument("--seed", type=int, default=20260601)
    root.add_argument("--doc", type=Path, default=DOC)
    args = root.parse_args(argv)
    with bench_lock():
        history, day, both = generate(args.history, args.day, args.seed)
        runs_dir = WORK / "runs"
        shutil.rmtree(runs_dir, ignore_errors=True)
        runs_dir.mkdir(parents=True)
        database = runs_dir / "daily.duckdb"
        runs = [
            run_runner("full", history, database, args.memory_limit, False),
            run_runner("daily", day, database, args.memory_limit, True),
            run_runner(
                "full_all",
                both,
                runs_dir / "all.duckdb",
                args.memory_limit,
                False,
            ),
        ]
        if any(run.returncode for run in runs):
            print("A run failed: see its log.", file=sys.stderr)
            return 1
        scope = scope_size(database)
        args.doc.write_text(report(runs, scope, args))
    print(f"Written: {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
