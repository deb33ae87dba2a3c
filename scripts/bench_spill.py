"""A bounded-memory run on a large claim volume (100M lines by default).

Generates the claims with infusion_edits.volume (cached in
build/bench/<N>/data, shared with scripts/bench.py), runs the runner once
with --no-tests on a fresh database under INFUSION_EDITS_MEMORY_LIMIT, and
records the wall time, the peak resident memory of the whole process tree,
the peak size of DuckDB's spill folder (<database>.tmp), the least free
disk seen, the database size and the slowest models. Writes
docs/performance-spill.md. A documented run, not a CI step: at 100M lines
it takes the whole machine for about 28 minutes (7 of them generating)
and about 45 GB of disk (Parquet input, database, spill files).

    .venv/bin/python scripts/bench_spill.py [--lines 100000000]
        [--memory-limit 12GB] [--report-only]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import shutil
import sys
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance-spill.md"
DISK_SAMPLE_SECONDS = 2.0
MACHINE_MEMORY_GB = 24


def load_bench() -> ModuleType:
    """scripts/bench.py as a module: its generator call, runner run,
    memory sampler and run_results readers are reused here."""
    spec = importlib.util.spec_from_file_location(
        "bench", ROOT / "scripts" / "bench.py"
    )
    if spec is None or spec.loader is None:
        raise SystemExit("scripts/bench.py is missing")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module
    spec.loader.exec_module(module)
    return module


bench = load_bench()


def tree_bytes(folder: Path) -> int:
    """Bytes of every file under a folder (0 when it is gone)."""
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file():
                total += path.stat().st_size
        except OSError:
            continue
    return total


class DiskSampler(threading.Thread):
    """Samples the spill folders' size and the free disk until stopped."""

    def __init__(self, run_dir: Path) -> None:
        super().__init__(daemon=True)
        self.run_dir = run_dir
        self.peak_spill = 0
        self.least_free = shutil.disk_usage(run_dir.parent).free
        self.stop_event = threading.Event()

    def sample(self) -> None:
        spill = sum(
            tree_bytes(folder)
            for folder in self.run_dir.glob("*.tmp")
            if folder.is_dir()
        )
        self.peak_spill = max(self.peak_spill, spill)
        # The parent: the run folder is removed and made again at the start.
        free = shutil.disk_usage(self.run_dir.parent).free
        self.least_free = min(self.least_free, free)

    def run(self) -> None:
        while not self.stop_event.is_set():
            # A spill file may be removed while it is read.
            with contextlib.suppress(OSError):
                self.sample()
            self.stop_event.wait(DISK_SAMPLE_SECONDS)

    def stop(self) -> None:
        self.stop_event.set()
        self.join()


@dataclass
class SpillResult:
    """What one bounded-memory run measured."""

    lines: int
    memory_limit: str
    generate_seconds: float | None
    seconds: float
    returncode: int
    peak_mb: float
    load_seconds: float | None
    dbt_seconds: float | None
    export_seconds: float | None
    load_before: float
    peak_spill_gb: float
    least_free_gb: float
    free_before_gb: float
    database_gb: float
    decisions: int
    rejected: int
    floor_seconds: float
    slowest: list[tuple[str, float]]
    dbt_elapsed: float | None
    failures: list[tuple[str, str]]


def output_rows(path: Path) -> int:
    """Rows of an exported Parquet file (0 when it is missing)."""
    if not path.is_file():
        return 0
    with duckdb.connect() as connection:
        row = connection.execute(
            "select count(*) from read_parquet(?)", [str(path)]
        ).fetchone()
    return int(row[0]) if row else 0


def measure(lines: int, seed: int, memory_limit: str) -> SpillResult:
    """Generate (or reuse) the claims and run the runner once."""
    size_dir = bench.BENCH_DIR / str(lines)
    data_dir = size_dir / "data"
    print(f"[{lines}] generating", flush=True)
    generate_seconds = bench.generate(lines, data_dir, seed, False)
    run_dir = size_dir / "spill"
    shutil.rmtree(run_dir, ignore_errors=True)
    free_before = shutil.disk_usage(size_dir).free
    disk = DiskSampler(run_dir)
    disk.start()
    print(f"[{lines}] runner, models only, {memory_limit}", flush=True)
    run = bench.run_runner(data_dir, run_dir, memory_limit, False)
    disk.stop()
    print(f"[{lines}] {run.seconds:.1f} s, rc {run.returncode}", flush=True)
    database = run_dir / "bench.duckdb"
    results = bench.read_run_results(run.run_results) or {}
    elapsed = results.get("elapsed_time")
    print(f"[{lines}] floor query", flush=True)
    floor_seconds, _ = bench.floor_query(
        data_dir / "medical_claim.parquet", memory_limit
    )
    return SpillResult(
        lines=lines,
        memory_limit=memory_limit,
        generate_seconds=generate_seconds,
        seconds=run.seconds,
        returncode=run.returncode,
        peak_mb=run.peak_mb,
        load_seconds=run.load_seconds,
        dbt_seconds=run.dbt_seconds,
        export_seconds=run.export_seconds,
        load_before=run.load_before,
        peak_spill_gb=disk.peak_spill / 1e9,
        least_free_gb=disk.least_free / 1e9,
        free_before_gb=free_before / 1e9,
        database_gb=database.stat().st_size / 1e9
        if database.is_file()
        else 0.0,
        decisions=output_rows(
            run_dir / "output" / "admin_line_decisions.parquet"
        ),
        rejected=output_rows(
            run_dir / "output" / "rejected_claim_lines.parquet"
        ),
        floor_seconds=floor_seconds,
        slowest=bench.slowest_nodes(results) if results else [],
        dbt_elapsed=float(elapsed) if elapsed else None,
        failures=bench.failed_nodes(results) if results else [],
    )


def result_path(lines: int) -> Path:
    """Where the measures of one run are kept for --report-only."""
    return bench.BENCH_DIR / str(lines) / "spill-result.json"


def load_result(lines: int) -> SpillResult:
    """The kept measures of one run."""
    data: dict[str, Any] = json.loads(result_path(lines).read_text())
    for key in ("slowest", "failures"):
        data[key] = [tuple(item) for item in data[key]]
    return SpillResult(**data)


def optional_seconds(value: float | None) -> str:
    """Seconds with one decimal, or a dash when unknown."""
    return "-" if value is None else f"{value:,.1f}"


def lines_per_second(result: SpillResult) -> str:
    """Lines per second of a completed run; a dash for a failed one."""
    if result.returncode != 0:
        return "-"
    return f"{result.lines / result.seconds:,.0f}"


def verdict(result: SpillResult) -> list[str]:
    """Whether the run completed within the machine's memory."""
    finished = result.returncode == 0
    within = result.peak_mb < MACHINE_MEMORY_GB * 1000
    spilled = result.peak_spill_gb > 0
    return [
        f"- Completed: {'yes' if finished else 'NO'} (exit code "
        f"{result.returncode}).",
        f"- Within {MACHINE_MEMORY_GB} GB: {'yes' if within else 'NO'} "
        f"(peak {result.peak_mb:,.0f} MB for the whole process tree).",
        f"- Spilled to disk: {'yes' if spilled else 'no'} (largest "
        f"spill folder seen: {result.peak_spill_gb:,.1f} GB).",
        *(
            [
                f"- The disk ran out: {result.least_free_gb:,.2f} GB free "
                "at the lowest."
            ]
            if result.least_free_gb < 1
            else []
        ),
    ]


def report(result: SpillResult, seed: int) -> str:
    """The whole of docs/performance-spill.md."""
    command = (
        f".venv/bin/python scripts/bench_spill.py --lines {result.lines} "
        f"--memory-limit {result.memory_limit} --seed {seed}"
    )
    lines = [
        f"# Bounded memory at {result.lines:,} lines",
        "",
        "One run of the runner (`python -m infusion_edits.cli run "
        "--no-tests`: load the Parquet files into DuckDB, `dbt build "
        "--full-refresh` of every seed and model, export the marts) on "
        f"{result.lines:,} generated claim lines, on a fresh database, with "
        "DuckDB bounded by `INFUSION_EDITS_MEMORY_LIMIT` and "
        "`INFUSION_EDITS_THREADS` (the dbt profile, the loader and the "
        "export read both). Written by `scripts/bench_spill.py`; rerun "
        "with",
        "",
        "```sh",
        command,
        "```",
        "",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {os.cpu_count()} cores, "
        f"{bench.total_memory_gb():.1f} GB memory, no swap",
        f"- DuckDB {bench.version('duckdb')}, dbt-core "
        f"{bench.version('dbt-core')}, dbt-duckdb "
        f"{bench.version('dbt-duckdb')}",
        f"- Settings: INFUSION_EDITS_THREADS={bench.THREADS}, "
        f"INFUSION_EDITS_MEMORY_LIMIT={result.memory_limit}",
        "",
        *verdict(result),
        "",
        "| measure | value |",
        "|---|---:|",
        f"| wall time of the runner (s) | {result.seconds:,.1f} |",
        f"| load inputs (s) | {optional_seconds(result.load_seconds)} |",
        f"| dbt build (s) | {optional_seconds(result.dbt_seconds)} |",
        f"| export and summary (s) | "
        f"{optional_seconds(result.export_seconds)} |",
        f"| lines per second | {lines_per_second(result)} |",
        f"| peak memory, process tree (MB) | {result.peak_mb:,.0f} |",
        f"| largest spill folder (GB) | {result.peak_spill_gb:,.1f} |",
        f"| database file after the run (GB) | {result.database_gb:,.1f} |",
        f"| free disk before / least seen (GB) | "
        f"{result.free_before_gb:,.1f} / {result.least_free_gb:,.1f} |",
        f"| decision rows exported | {result.decisions:,} |",
        f"| rejected or superseded lines exported | {result.rejected:,} |",
        f"| floor query, same Parquet (s) | {result.floor_seconds:,.2f} |",
        "",
        "Peak memory: the largest sum of resident memory of the runner and "
        f"its child processes, sampled every {bench.SAMPLE_SECONDS} s; "
        "1 MB = 10^6 bytes. Spill folder: the size of the files under "
        f"`<database>.tmp`, sampled every {DISK_SAMPLE_SECONDS:g} s. The "
        "floor query is the one of docs/performance.md.",
        "",
    ]
    if result.failures:
        lines += ["Failed nodes:", ""]
        lines += [f"- `{name}`: {message}" for name, message in result.failures]
        lines.append("")
    if result.slowest:
        total = optional_seconds(result.dbt_elapsed)
        lines += [
            f"Slowest models (`execution_time` in run_results.json; the "
            f"whole dbt build took {total} s):",
            "",
            "| model | seconds |",
            "|---|---:|",
            *[f"| `{name}` | {secs:,.1f} |" for name, secs in result.slowest],
            "",
        ]
    generated = (
        f"generated in {result.generate_seconds:,.1f} s"
        if result.generate_seconds is not None
        else "reused from build/bench (generated earlier)"
    )
    lines.append(
        f"Data: {result.lines:,} lines (seed {seed}), {generated}; 1-minute "
        f"load average before the run: {result.load_before:.2f}."
    )
    return "\n".join(lines) + "\n"


def parser() -> argparse.ArgumentParser:
    """The argument parser."""
    root = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root.add_argument("--lines", type=int, default=100_000_000)
    return bench.common_options(root, "12GB", DOC)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure (or load the kept measures) and write the report."""
    args = parser().parse_args(argv)
    if args.report_only:
        result = load_result(args.lines)
    else:
        with bench.bench_lock():
            result = measure(args.lines, args.seed, args.memory_limit)
        result_path(args.lines).write_text(json.dumps(asdict(result), indent=2))
    args.doc.write_text(report(result, args.seed))
    print(f"Written: {args.doc}")
    return 0 if result.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
