"""Benchmark of the runner on generated claim volumes.

For each size: generate the claims with infusion_edits.volume (cached in
build/bench/<N>/ unless --regenerate), run the runner on a fresh database
with --no-tests (models and seeds) and again with every test, sample the
memory of the whole process tree, time a "floor query" (one DuckDB pass
that joins administration lines to same-day E/M lines of the same person
and billing provider) and write the results to docs/performance.md.

    .venv/bin/python scripts/bench.py [--sizes 1000000,10000000]
        [--memory-limit 1500MB] [--regenerate]
"""

from __future__ import annotations

import argparse
import csv
import fcntl
import importlib.util
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "build" / "bench"
DOC = ROOT / "docs" / "performance.md"
EM_SEED = ROOT / "seeds" / "em_element_services.csv"
DEFAULT_SIZES = "1000000,10000000"
# Below the profile's default (4GB): with it the 10M build stays under the
# 3 GB target, DuckDB spilling what does not fit.
DEFAULT_MEMORY_LIMIT = "1500MB"
THREADS = 2
SAMPLE_SECONDS = 0.2
FLOOR_REPEATS = 3
RATIO_TARGET = 3.0
RATIO_TARGET_LINES = 10_000_000
MEMORY_TARGET_MB = 3000.0  # 3 GB; 1 MB = 10**6 bytes
SLOWEST = 5
SLOW_COMMIT_SECONDS = 5.0
# A line of dbt's debug log: time, level, thread, message.
DBT_LOG_LINE = re.compile(
    r"^(\d\d):(\d\d):(\d\d\.\d+) \[\w+\s*\] \[(Thread-\d+)[^\]]*\]: (.*)$"
)
COMMIT = re.compile(r"^On model\.[\w-]+\.(\w+): COMMIT$")
# Lines of the runner's output that end a phase: the load of the input
# files, and dbt's last model or test.
LOG_MARKERS = {"loaded": "Loaded medical_claim", "dbt_done": "Finished running"}
BYTES_PER_MB = 1_000_000

# Why a model costs what it costs at volume, from reading its SQL. Printed
# beside the slowest models when a target is missed.
MODEL_NOTES: dict[str, str] = {
    "base_claims__medical_claim": (
        "It cleans and casts every column of every input line, keeps the "
        "raw text values beside them (about 80 columns) and writes them "
        "all as a table. Copies, voids and replacements are found on "
        "narrow reads of the key columns (the window ranks only the lines "
        "sent more than once), so the time is the cleaning of every value "
        "and the write of the wide table."
    ),
    "int_claim_lines_classified": (
        "It writes a table of about 75 columns for every accepted line. "
        "The seed lookups run on the distinct code combinations, read "
        "narrow, so the time is moving and writing the wide rows."
    ),
    "stg_claims__daily_claim_days": (
        "It cleans the claim, person and date of every line and keeps the "
        "distinct claim-day rows with their link numbers, so that daily "
        "runs need not clean the history again: a cost of full runs paid "
        "for daily ones."
    ),
    "rejected_claim_lines": (
        "It reads base_claims__medical_claim and keeps the lines that are "
        "not accepted."
    ),
    "admin_line_decisions": (
        "Besides the decided lines it groups every classified line by "
        "person and claim (claim_files, a narrow read) to date the "
        "evidence claims, and builds the explanation strings."
    ),
    "int_rule_hits": (
        "Its own SQL is small (a union of the rule models' hits); when it "
        "is slow, the time is its COMMIT (see the slow COMMITs below)."
    ),
    "int_rule_scope": (
        "It writes one row per out-of-scope administration or drug line "
        "with a concatenated evidence string."
    ),
    "int_rule_em_bundled": (
        "It joins administration lines to E/M-element lines on person, "
        "date and billing provider and ranks the matches with a window: "
        "the floor query's join plus a sort."
    ),
    "int_admin_encounters": (
        "It aggregates drug and administration lines by encounter and joins "
        "administrations to drugs with a LIKE on the route list."
    ),
    "int_rule_prior_auth": (
        "It joins drug lines to authorizations on date ranges and runs a "
        "window of units over each authorization."
    ),
    "int_rule_duplicate_line": (
        "It builds a long text key for every administration and drug line "
        "and ranks all of them with a window over that key."
    ),
    "int_rule_units_over_max": (
        "A running sum of units per person, date and code over the capped "
        "codes. Small by itself: a long time is its COMMIT (see the slow "
        "COMMITs below) or waiting on a model running beside it."
    ),
    "int_rule_drug_fit": (
        "Three filters over int_admin_encounters. Small by itself: a long "
        "time is its COMMIT (see the slow COMMITs below) or waiting on a "
        "model running beside it."
    ),
    "int_rule_exclusions": (
        "It joins administration and drug lines to int_admin_encounters and "
        "looks for home-health lines. Small by itself: a long time is its "
        "COMMIT (see the slow COMMITs below) or waiting on a model running "
        "beside it."
    ),
}

# Tests on a view recompute the view for each test.
VIEW_TEST_NOTE = (
    "Tests on `stg_claims__medical_claim`, a view, read and filter "
    "`base_claims__medical_claim` again for each test."
)
VIEW_NAMES = ("stg_claims__medical_claim",)


@dataclass
class RunMeasure:
    """One run of the runner."""

    seconds: float
    peak_mb: float
    returncode: int
    log: Path
    run_results: Path
    load_before: float
    load_seconds: float | None = None
    dbt_seconds: float | None = None
    export_seconds: float | None = None

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass
class SizeResult:
    """Everything measured for one size."""

    lines: int
    generate_seconds: float | None
    models: RunMeasure
    tests: RunMeasure
    floor_seconds: float
    floor_matches: int
    slowest: list[tuple[str, float]] = field(default_factory=list)
    slowest_tests: list[tuple[str, float]] = field(default_factory=list)
    slow_commits: list[tuple[str, float]] = field(default_factory=list)
    dbt_elapsed: float | None = None

    @property
    def lines_per_second(self) -> float:
        return self.lines / self.models.seconds

    @property
    def ratio(self) -> float:
        return self.models.seconds / self.floor_seconds


# --------------------------------------------------------------------------
# Memory of a process tree
# --------------------------------------------------------------------------


def proc_children() -> dict[int, list[int]]:
    """Child pids of every process, from /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces; fields resume after ')'.
        fields = stat.rsplit(")", 1)[1].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def proc_rss_bytes(pid: int) -> int:
    """Resident memory of one process from /proc/<pid>/status."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def tree_rss_proc(root: int) -> int:
    """Resident memory of a process and all its descendants (/proc)."""
    children = proc_children()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += proc_rss_bytes(pid)
        stack.extend(children.get(pid, []))
    return total


def tree_rss_psutil(root: int) -> int:
    """Resident memory of a process and all its descendants (psutil)."""
    import psutil  # optional: only when installed

    try:
        process = psutil.Process(root)
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def has_psutil() -> bool:
    """Whether psutil is installed in this interpreter."""
    return importlib.util.find_spec("psutil") is not None


class TreeSampler(threading.Thread):
    """Samples the resident memory of a process tree until stopped, and
    notes when each marker first shows in the runner's log."""

    def __init__(self, pid: int, log: Path) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.log = log
        self.started = time.perf_counter()
        self.peak = 0
        self.marks: dict[str, float] = {}
        self.stop_event = threading.Event()
        self.measure = tree_rss_psutil if has_psutil() else tree_rss_proc

    def note_marks(self) -> None:
        """Record the seconds since the start at which a marker appears."""
        pending = {k: v for k, v in LOG_MARKERS.items() if k not in self.marks}
        if not pending:
            return
        text = self.log.read_text(errors="replace")
        for name, marker in pending.items():
            if marker in text:
                self.marks[name] = time.perf_counter() - self.started

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.peak = max(self.peak, self.measure(self.pid))
            self.note_marks()
            self.stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> int:
        self.stop_event.set()
        self.join()
        self.note_marks()
        return self.peak


# --------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------


def generate(
    lines: int, data_dir: Path, seed: int, regenerate: bool
) -> float | None:
    """Write the claims unless cached; return the seconds it took, or
    None when the cached files were used."""
    files = [data_dir / "medical_claim.parquet"]
    files.append(data_dir / "prior_authorization.parquet")
    if not regenerate and all(path.is_file() for path in files):
        return None
    shutil.rmtree(data_dir, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "infusion_edits.volume",
        "--lines",
        str(lines),
        "--out",
        str(data_dir),
        "--seed",
        str(seed),
    ]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True)
    return time.perf_counter() - started


def fresh_database(path: Path) -> None:
    """Remove a database file and its companions."""
    for suffix in ("", ".wal", ".lock"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def run_env(run_dir: Path, memory_limit: str) -> dict[str, str]:
    """Environment of one runner run: DuckDB settings and its own dbt
    target and log folders (run_results.json lands there)."""
    return dict(
        os.environ,
        INFUSION_EDITS_THREADS=str(THREADS),
        INFUSION_EDITS_MEMORY_LIMIT=memory_limit,
        DBT_TARGET_PATH=str(run_dir / "target"),
        DBT_LOG_PATH=str(run_dir / "logs"),
        PYTHONUNBUFFERED="1",
    )


def run_runner(
    data_dir: Path, run_dir: Path, memory_limit: str, with_tests: bool
) -> RunMeasure:
    """Run the runner once on a fresh database; time it and sample the
    memory of its process tree."""
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    database = run_dir / "bench.duckdb"
    fresh_database(database)
    command = [
        sys.executable,
        "-m",
        "infusion_edits.cli",
        "run",
        "--input-dir",
        str(data_dir),
        "--output-dir",
        str(run_dir / "output"),
        "--database",
        str(database),
    ]
    if not with_tests:
        command.append("--no-tests")
    log = run_dir / "runner.log"
    load_before = os.getloadavg()[0]
    with log.open("w") as handle:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=run_env(run_dir, memory_limit),
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        sampler = TreeSampler(process.pid, log)
        sampler.start()
        returncode = process.wait()
        seconds = time.perf_counter() - started
        peak = sampler.stop()
    loaded = sampler.marks.get("loaded")
    dbt_done = sampler.marks.get("dbt_done")
    return RunMeasure(
        seconds=seconds,
        peak_mb=peak / BYTES_PER_MB,
        returncode=returncode,
        log=log,
        run_results=run_dir / "target" / "run_results.json",
        load_before=load_before,
        load_seconds=loaded,
        dbt_seconds=dbt_done - loaded if loaded and dbt_done else None,
        export_seconds=seconds - dbt_done if dbt_done else None,
    )


def em_codes() -> list[str]:
    """The codes with an E/M element, from the project's seed."""
    with EM_SEED.open(newline="", encoding="utf-8") as handle:
        return [row["hcpcs_code"] for row in csv.DictReader(handle)]


def floor_sql(claims: Path) -> str:
    """One pass: administration lines joined to same-day E/M lines of the
    same person and billing provider, counted."""
    path = str(claims).replace("'", "''")
    codes = ", ".join(f"'{code}'" for code in em_codes())
    return f"""
        with lines as (
            select
                person_id,
                coalesce(claim_line_start_date, claim_start_date)
                    as service_date,
                coalesce(billing_npi, billing_tin, rendering_npi)
                    as billing_provider_key,
                hcpcs_code,
                try_cast(hcpcs_code as integer) as code_number
            from read_parquet('{path}')
        ),
        administrations as (
            select * from lines
            where code_number between 96360 and 96379
                or code_number between 96401 and 96549
        ),
        em_lines as (
            select * from lines where hcpcs_code in ({codes})
        )
        select count(*)
        from administrations
        inner join em_lines
            on administrations.person_id = em_lines.person_id
            and administrations.service_date = em_lines.service_date
            and administrations.billing_provider_key
                = em_lines.billing_provider_key
    """


def floor_query(claims: Path, memory_limit: str) -> tuple[float, int]:
    """Median seconds of the floor query, with the build's threads and
    memory limit, and the number of matches."""
    timings = []
    matches = 0
    with duckdb.connect() as connection:
        connection.execute(f"set threads = {THREADS}")
        connection.execute(f"set memory_limit = '{memory_limit}'")
        for _ in range(FLOOR_REPEATS):
            started = time.perf_counter()
            row = connection.execute(floor_sql(claims)).fetchone()
            timings.append(time.perf_counter() - started)
            matches = int(row[0]) if row else 0
    return statistics.median(timings), matches


def read_run_results(path: Path) -> dict[str, Any] | None:
    """The run_results.json of a dbt run, or None when there is none."""
    if not path.is_file():
        return None
    return json.loads(path.read_text())


def slowest_nodes(
    results: dict[str, Any], kind: str = "model", count: int = SLOWEST
) -> list[tuple[str, float]]:
    """The nodes of a kind (model, test) that took longest, with their
    seconds; tests keep their name without dbt's hash suffix."""
    timed = []
    for row in results.get("results", []):
        parts = str(row["unique_id"]).split(".")
        if parts[0] == kind:
            name = parts[2] if kind == "test" else parts[-1]
            timed.append((name, float(row["execution_time"])))
    return sorted(timed, key=lambda item: item[1], reverse=True)[:count]


def log_seconds(match: re.Match[str]) -> float:
    """Seconds since midnight of a dbt debug log line."""
    hours, minutes, seconds = match.group(1, 2, 3)
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def slow_commits(
    dbt_log: Path, threshold: float = SLOW_COMMIT_SECONDS
) -> list[tuple[str, float]]:
    """Model COMMITs in dbt's debug log that took longer than threshold
    seconds (until the same thread's next line), slowest first."""
    if not dbt_log.is_file():
        return []
    open_commits: dict[str, tuple[str, float]] = {}
    slow = []
    for line in dbt_log.read_text(errors="replace").splitlines():
        match = DBT_LOG_LINE.match(line)
        if match is None:
            continue
        thread, message = match.group(4, 5)
        if thread in open_commits:
            model, started = open_commits.pop(thread)
            seconds = (log_seconds(match) - started) % 86_400
            if seconds > threshold:
                slow.append((model, seconds))
        commit = COMMIT.match(message)
        if commit:
            open_commits[thread] = (commit.group(1), log_seconds(match))
    return sorted(slow, key=lambda item: item[1], reverse=True)


def failed_nodes(results: dict[str, Any]) -> list[tuple[str, str]]:
    """Nodes that ended in error or failure, with dbt's message."""
    rows = results.get("results", [])
    return [
        (str(row["unique_id"]), str(row.get("message") or ""))
        for row in rows
        if row.get("status") in ("error", "fail", "runtime error")
    ]


def measure_size(
    lines: int, seed: int, memory_limit: str, regenerate: bool
) -> SizeResult:
    """Generate (or reuse) the data and take every measure for one size."""
    size_dir = BENCH_DIR / str(lines)
    data_dir = size_dir / "data"
    print(f"[{lines}] generating", flush=True)
    generate_seconds = generate(lines, data_dir, seed, regenerate)
    print(f"[{lines}] models only", flush=True)
    models = run_runner(data_dir, size_dir / "models", memory_limit, False)
    print(f"[{lines}] {models.seconds:.1f} s, rc {models.returncode}")
    print(f"[{lines}] with tests", flush=True)
    tests = run_runner(data_dir, size_dir / "tests", memory_limit, True)
    print(f"[{lines}] {tests.seconds:.1f} s, rc {tests.returncode}")
    claims = data_dir / "medical_claim.parquet"
    floor_seconds, matches = floor_query(claims, memory_limit)
    print(f"[{lines}] floor query {floor_seconds:.2f} s", flush=True)
    result = SizeResult(
        lines=lines,
        generate_seconds=generate_seconds,
        models=models,
        tests=tests,
        floor_seconds=floor_seconds,
        floor_matches=matches,
    )
    result.slow_commits = slow_commits(size_dir / "models" / "logs" / "dbt.log")
    test_results = read_run_results(tests.run_results)
    if test_results is not None:
        result.slowest_tests = slowest_nodes(test_results, "test")
    run_results = read_run_results(models.run_results)
    if run_results is not None:
        result.slowest = slowest_nodes(run_results)
        elapsed = run_results.get("elapsed_time")
        result.dbt_elapsed = float(elapsed) if elapsed else None
    return result


def result_path(lines: int) -> Path:
    """Where the measures of one size are kept."""
    return BENCH_DIR / str(lines) / "result.json"


def save_result(result: SizeResult) -> None:
    """Keep the measures of one size, so that the report can be written
    again (--report-only) without measuring again."""
    data = asdict(result)
    for run in ("models", "tests"):
        for key in ("log", "run_results"):
            data[run][key] = str(data[run][key])
    result_path(result.lines).write_text(json.dumps(data, indent=2))


def load_result(lines: int) -> SizeResult:
    """The kept measures of one size."""
    data = json.loads(result_path(lines).read_text())
    runs = {
        name: RunMeasure(
            **{
                **data[name],
                "log": Path(data[name]["log"]),
                "run_results": Path(data[name]["run_results"]),
            }
        )
        for name in ("models", "tests")
    }
    return SizeResult(
        **{
            **data,
            **runs,
            "slowest": [tuple(item) for item in data["slowest"]],
            "slowest_tests": [
                tuple(item) for item in data.get("slowest_tests", [])
            ],
            "slow_commits": [tuple(item) for item in data["slow_commits"]]
            if "slow_commits" in data
            else slow_commits(runs["models"].log.parent / "logs" / "dbt.log"),
        }
    )


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def total_memory_gb() -> float:
    """Total memory of the machine from /proc/meminfo."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024 / 10**9
    return 0.0


def version(package: str) -> str:
    """Installed version of a package, or 'not installed'."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def seconds_cell(run: RunMeasure) -> str:
    """A run's seconds, or its failure."""
    if run.ok:
        return f"{run.seconds:,.1f}"
    return f"failed (exit {run.returncode}) after {run.seconds:,.1f}"


def table(results: Sequence[SizeResult]) -> list[str]:
    """The Markdown table of results."""
    lines = [
        "| lines | models only (s) | with tests (s) | lines/s (models "
        "only) | peak MB (models only) | peak MB (with tests) | floor "
        "query (s) | ratio models only / floor |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        ok = result.models.ok
        lines.append(
            f"| {result.lines:,} | {seconds_cell(result.models)} "
            f"| {seconds_cell(result.tests)} "
            f"| {f'{result.lines_per_second:,.0f}' if ok else '-'} "
            f"| {result.models.peak_mb:,.0f} | {result.tests.peak_mb:,.0f} "
            f"| {result.floor_seconds:.2f} "
            f"| {f'{result.ratio:,.1f}x' if ok else '-'} |"
        )
    return lines


def phase_cell(seconds: float | None) -> str:
    """Seconds of a phase, or '-' when its marker never showed."""
    return "-" if seconds is None else f"{seconds:,.1f}"


def phase_table(results: Sequence[SizeResult]) -> list[str]:
    """Where each run's wall time went: load, dbt, export."""
    lines = [
        "| lines | run | load inputs (s) | dbt build (s) | export and "
        "summary (s) | total (s) |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for result in results:
        for label, run in (
            ("models only", result.models),
            ("with tests", result.tests),
        ):
            lines.append(
                f"| {result.lines:,} | {label} "
                f"| {phase_cell(run.load_seconds)} "
                f"| {phase_cell(run.dbt_seconds)} "
                f"| {phase_cell(run.export_seconds)} "
                f"| {run.seconds:,.1f} |"
            )
    return lines


def target_checks(results: Sequence[SizeResult]) -> list[tuple[str, bool]]:
    """Each target with whether it was met."""
    checks = []
    at_target = [r for r in results if r.lines == RATIO_TARGET_LINES]
    for result in at_target:
        met = result.models.ok and result.ratio <= RATIO_TARGET
        checks.append(
            (
                f"models-only build at {result.lines:,} lines within "
                f"{RATIO_TARGET:g}x the floor query: "
                + (f"{result.ratio:,.1f}x" if result.models.ok else "failed"),
                met,
            )
        )
    for result in results:
        for label, run in (
            ("models only", result.models),
            ("with tests", result.tests),
        ):
            met = run.ok and run.peak_mb < MEMORY_TARGET_MB
            checks.append(
                (
                    f"peak memory below {MEMORY_TARGET_MB:,.0f} MB at "
                    f"{result.lines:,} lines, {label}: "
                    f"{run.peak_mb:,.0f} MB",
                    met,
                )
            )
    return checks


def ratio_parts(results: Sequence[SizeResult]) -> list[str]:
    """How the phases of the models-only run compare with the floor
    query at the size of the ratio target."""
    lines = []
    for result in results:
        run = result.models
        if result.lines != RATIO_TARGET_LINES or not run.load_seconds:
            continue
        floor = result.floor_seconds
        parts = [
            f"loading the inputs alone is {run.load_seconds / floor:,.0f}x"
        ]
        if run.dbt_seconds:
            parts.append(f"the dbt build {run.dbt_seconds / floor:,.0f}x")
        lines.append(
            f"At {result.lines:,} lines, " + ", ".join(parts) + " the floor "
            "query: the runner copies every input line into DuckDB as text "
            "and dbt then writes several tables of every line, where the "
            "floor query reads a few columns of the Parquet file once."
        )
    return lines


def memory_parts(
    checks: Sequence[tuple[str, bool]], args: argparse.Namespace
) -> list[str]:
    """Why peak memory meets or misses its target."""
    if all(met for label, met in checks if label.startswith("peak memory")):
        return [
            "",
            "The peak follows INFUSION_EDITS_MEMORY_LIMIT "
            f"({args.memory_limit} here; the profile's default is 4GB): "
            "DuckDB keeps up to the limit in buffers and spills the rest "
            "to `<database>.tmp`; the rest of the peak is the dbt and "
            "runner processes themselves.",
        ]
    return [
        "",
        "Most of the peak is the dbt process: its DuckDB keeps up to "
        f"INFUSION_EDITS_MEMORY_LIMIT ({args.memory_limit}) of buffers and "
        "spills the rest to disk, so the limit sets the peak; staying under "
        f"{MEMORY_TARGET_MB / 1000:g} GB needs a lower limit and more "
        "spilling (not measured here).",
    ]


def slowest_section(result: SizeResult) -> list[str]:
    """The five slowest models of a models-only build, with notes."""
    if not result.slowest:
        return [
            f"No run_results.json was written for {result.lines:,} lines "
            f"(see {result.models.log.relative_to(ROOT)})."
        ]
    total = result.dbt_elapsed
    lines = [
        f"Slowest models of the models-only build at {result.lines:,} "
        "lines (`execution_time` in run_results.json"
        + (f"; the whole dbt build took {total:,.1f} s" if total else "")
        + f", the runner {result.models.seconds:,.1f} s):",
        "",
        "| model | seconds |",
        "|---|---:|",
    ]
    lines += [
        f"| `{name}` | {seconds:,.1f} |" for name, seconds in result.slowest
    ]
    if total:
        name, seconds = result.slowest[0]
        lines += [
            "",
            f"`{name}` dominates: {seconds:,.1f} s, "
            f"{100 * seconds / total:.0f}% of the dbt build.",
        ]
    notes = [
        f"- `{name}`: {MODEL_NOTES[name]}"
        for name, _ in result.slowest
        if name in MODEL_NOTES
    ]
    if notes:
        lines += ["", "Why, from the model SQL:", "", *notes]
    return lines + commits_section(result) + tests_section(result)


def commits_section(result: SizeResult) -> list[str]:
    """The model COMMITs that took long in the models-only build."""
    if not result.slow_commits:
        return []
    listed = ", ".join(
        f"`{name}` {seconds:,.1f} s" for name, seconds in result.slow_commits
    )
    return [
        "",
        f"Slow COMMITs in dbt's log at {result.lines:,} lines: {listed}. "
        "DuckDB checkpoints the tables written so far at a commit, but puts "
        "the checkpoint off while another transaction is open; with two "
        "dbt threads the deferred work lands on the first model that "
        "commits alone, often a small one.",
    ]


def tests_section(result: SizeResult) -> list[str]:
    """The five slowest tests of the with-tests build."""
    if not result.slowest_tests:
        return []
    lines = [
        "",
        f"Slowest tests of the with-tests build at {result.lines:,} lines:",
        "",
        "| test | seconds |",
        "|---|---:|",
    ]
    lines += [
        f"| `{name}` | {seconds:,.1f} |"
        for name, seconds in result.slowest_tests
    ]
    if any(
        view in name for name, _ in result.slowest_tests for view in VIEW_NAMES
    ):
        lines += ["", VIEW_TEST_NOTE]
    return lines


def failure_section(result: SizeResult) -> list[str]:
    """What failed in a run, from run_results.json or the runner log."""
    lines: list[str] = []
    for label, run in (
        ("models only", result.models),
        ("with tests", result.tests),
    ):
        if run.ok:
            continue
        lines.append(
            f"The {label} run at {result.lines:,} lines failed with exit "
            f"code {run.returncode}."
        )
        results = read_run_results(run.run_results)
        failures = failed_nodes(results) if results else []
        for node, message in failures[:5]:
            lines.append(f"- `{node}`: {message.strip()[:400]}")
        if not failures:
            tail = run.log.read_text(errors="replace").splitlines()[-8:]
            lines += ["", "```", *tail, "```"]
        lines.append("")
    return lines


def command_line(args: argparse.Namespace) -> str:
    """The command that reruns this benchmark."""
    parts = [
        ".venv/bin/python",
        "scripts/bench.py",
        "--sizes",
        args.sizes,
        "--memory-limit",
        args.memory_limit,
        "--seed",
        str(args.seed),
    ]
    return shlex.join(parts)


def report(results: Sequence[SizeResult], args: argparse.Namespace) -> str:
    """The whole of docs/performance.md."""
    checks = target_checks(results)
    missed = [label for label, met in checks if not met]
    sampler = "psutil" if has_psutil() else "/proc/<pid>/status VmRSS"
    lines = [
        "# Performance",
        "",
        "The runner (`python -m infusion_edits.cli run`: load the Parquet "
        "files into DuckDB, `dbt build --full-refresh`, export the marts) on "
        "claims written by `infusion_edits/volume.py`, each run on a fresh "
        "database file. Written by `scripts/bench.py`; rerun with",
        "",
        "```sh",
        command_line(args),
        "# or: make bench",
        "```",
        "",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {os.cpu_count()} cores (os.cpu_count()), "
        f"{total_memory_gb():.1f} GB memory",
        f"- DuckDB {version('duckdb')}, dbt-core {version('dbt-core')}, "
        f"dbt-duckdb {version('dbt-duckdb')}, Python "
        f"{sys.version.split()[0]}",
        f"- Build settings: INFUSION_EDITS_THREADS={THREADS}, "
        f"INFUSION_EDITS_MEMORY_LIMIT={args.memory_limit}",
        "",
        *table(results),
        "",
        "- models only: wall time of the runner with `--no-tests` (load, "
        "models and seeds, export); with tests: the same plus every data "
        "and unit test.",
        f"- peak MB: the largest sum of resident memory of the runner and "
        f"all its child processes, sampled every {SAMPLE_SECONDS} s "
        f"({sampler}); 1 MB = 10^6 bytes.",
        "- floor query: one DuckDB pass over the same Parquet file, with the "
        "build's threads and memory limit, that joins administration lines "
        "(96360-96379, 96401-96549) to same-day lines with an E/M element "
        "(seed `em_element_services`) of the same person and billing "
        f"provider and counts the matches; median of {FLOOR_REPEATS} runs.",
        "",
        "## Targets",
        "",
        f"- Models-only build at {RATIO_TARGET_LINES:,} lines at most "
        f"{RATIO_TARGET:g}x the floor query; peak memory below "
        f"{MEMORY_TARGET_MB / 1000:g} GB.",
        "",
    ]
    lines += [
        f"- {'met' if met else 'MISSED'}: {label}" for label, met in checks
    ]
    lines += ["", *ratio_parts(results), *memory_parts(checks, args), ""]
    lines += [
        "Daily runs (a 100,000-line day against 10M lines of history, "
        "`scripts/bench_daily.py`) are measured in "
        "[performance-daily.md](performance-daily.md); a run of 100M lines "
        "in bounded memory (`scripts/bench_spill.py`) in "
        "[performance-spill.md](performance-spill.md).",
        "",
    ]
    for result in results:
        lines += failure_section(result)
    lines += [
        "## Where the time goes",
        "",
        "Phases of each run, from the runner's output (load: until the "
        "input files are in DuckDB; dbt build: from there until dbt's last "
        "node, with dbt's start-up and parse; export: the marts written to "
        "Parquet and CSV, and the summary):",
        "",
        *phase_table(results),
        "",
    ]
    if missed:
        lines += [
            f"{len(missed)} target(s) missed; the slowest models of each "
            "models-only build show what dominates.",
            "",
        ]
    for result in results:
        lines += [*slowest_section(result), ""]
    lines += [
        "## Data",
        "",
        "Other work may share the machine's cores: a 1-minute load average "
        "well above 0 before a run means the build did not have the cores "
        "to itself, and its times are longer than on an idle machine.",
        "",
    ]
    for result in results:
        generated = (
            f"generated in {result.generate_seconds:,.1f} s"
            if result.generate_seconds is not None
            else "reused from build/bench (generated earlier)"
        )
        lines.append(
            f"- {result.lines:,} lines (seed {args.seed}): {generated}; "
            f"floor query matches: {result.floor_matches:,}; 1-minute "
            f"load average before the runs: {result.models.load_before:.2f} "
            f"(models only), {result.tests.load_before:.2f} (with tests)."
        )
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    """Sizes from a comma-separated list."""
    sizes = [int(part.replace("_", "")) for part in text.split(",") if part]
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return sizes


def common_options(
    root: argparse.ArgumentParser, memory_limit: str, doc: Path
) -> argparse.ArgumentParser:
    """Options every benchmark script takes (bench_spill.py too)."""
    root.add_argument("--memory-limit", default=memory_limit)
    root.add_argument("--seed", type=int, default=20260601)
    root.add_argument("--doc", type=Path, default=doc)
    root.add_argument(
        "--report-only",
        action="store_true",
        help="write the report from the measures kept in build/bench",
    )
    return root


def parser() -> argparse.ArgumentParser:
    """The argument parser."""
    root = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root.add_argument("--sizes", default=DEFAULT_SIZES)
    root.add_argument("--regenerate", action="store_true")
    return common_options(root, DEFAULT_MEMORY_LIMIT, DOC)


@contextmanager
def bench_lock() -> Iterator[None]:
    """Hold build/bench/.lock for the whole benchmark: two benchmarks at
    once would share the run folders and each other's cores."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    with (BENCH_DIR / ".lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise SystemExit(
                "Another benchmark is running (build/bench/.lock); wait "
                "for it to finish."
            ) from error
        yield


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every size, then write the report."""
    args = parser().parse_args(argv)
    with bench_lock():
        return measure_and_report(args)


def measure_and_report(args: argparse.Namespace) -> int:
    """Measure every size (or load the kept measures), write the report."""
    results = []
    for lines in parse_sizes(args.sizes):
        if args.report_only:
            results.append(load_result(lines))
            continue
        result = measure_size(
            lines, args.seed, args.memory_limit, args.regenerate
        )
        save_result(result)
        results.append(result)
    args.doc.parent.mkdir(parents=True, exist_ok=True)
    args.doc.write_text(report(results, args))
    print(f"Written: {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
