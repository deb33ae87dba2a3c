"""Shared fixtures: end-to-end runs of the project in a subprocess."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(
    os.environ.get("INFUSION_EDITS_SHARED_DIR", ROOT.parent / "shared")
)
TUVA_DIR = SHARED / "data" / "tuva_synthetic"


@dataclass(frozen=True)
class RunResult:
    """What one end-to-end run printed and wrote."""

    returncode: int
    stdout: str
    stderr: str
    output_dir: Path
    database: Path

    def decisions(self) -> list[dict[str, str]]:
        path = self.output_dir / "admin_line_decisions.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def by_line(self) -> dict[tuple[str, str], dict[str, str]]:
        return {
            (row["claim_id"], row["claim_line_number"]): row
            for row in self.decisions()
        }


def run_cli(tmp: Path, *args: str) -> RunResult:
    """Run `python -m infusion_edits.cli run` with its own database."""
    output_dir = tmp / "output"
    database = tmp / "run.duckdb"
    command = [
        sys.executable,
        "-m",
        "infusion_edits.cli",
        "run",
        "--output-dir",
        str(output_dir),
        "--database",
        str(database),
        *args,
    ]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False
    )
    return RunResult(
        done.returncode, done.stdout, done.stderr, output_dir, database
    )


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """The demo run (what `make run` does), once per test session."""
    result = run_cli(tmp_path_factory.mktemp("demo"))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    return result


@pytest.fixture(scope="session")
def tuva_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """A run on the Tuva synthetic claims over all dates (skipped when the
    shared data is absent)."""
    if not (TUVA_DIR / "medical_claim.csv").is_file():
        pytest.skip(f"Tuva synthetic claims not found at {TUVA_DIR}")
    result = run_cli(
        tmp_path_factory.mktemp("tuva"),
        "--input-dir",
        str(TUVA_DIR),
        "--vars",
        "{apply_policy_to_all_dates: true}",
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    return result
