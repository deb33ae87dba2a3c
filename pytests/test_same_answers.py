"""Postgres and DuckDB give the same decisions on the demo claims.

Runs when PG_EXPORT names the CSV export of admin_line_decisions from a
Postgres build of the demo claims (scripts/postgres_leg.sh writes it); the
DuckDB side is built here on the same demo claims with the same vars.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KEY = "claim_line_id"
COMPARED = (
    "decision",
    "rule_id",
    "rule_ids",
    "carc",
    "rarc",
    "explanation",
    "amount_at_risk",
)
NUMERIC = frozenset({"amount_at_risk"})
BOOLEANS = {"t": "true", "true": "true", "f": "false", "false": "false"}
RUN_STARTED_AT = "2026-12-01 00:00:00"


def normalized(column: str, value: str) -> str:
    """The value with purely textual differences removed: numbers compare
    by value (0 and 0.0000 agree), booleans as true/false."""
    if column in NUMERIC and value != "":
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return "0" if number == 0 else format(number.normalize(), "f")
    return BOOLEANS.get(value.lower(), value) if value else value


def decisions_by_line(path: Path) -> dict[str, dict[str, str]]:
    """The compared columns of an export, by claim line id."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_line = {
        row[KEY]: {
            column: normalized(column, row[column]) for column in COMPARED
        }
        for row in rows
    }
    assert len(by_line) == len(rows), f"{path} repeats a {KEY}"
    return by_line


@pytest.fixture(scope="module")
def postgres_export() -> Path:
    """The Postgres export named by PG_EXPORT."""
    value = os.environ.get("PG_EXPORT", "")
    if not value:
        pytest.skip(
            "PG_EXPORT is not set: run scripts/postgres_leg.sh (make "
            "test-postgres) to build on Postgres and compare."
        )
    path = Path(value)
    assert path.is_file(), f"PG_EXPORT={value} is not a file"
    return path


@pytest.fixture(scope="module")
def duckdb_export(
    postgres_export: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """admin_line_decisions.csv of a DuckDB run on the demo claims."""
    tmp = tmp_path_factory.mktemp("duckdb_side")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "infusion_edits.cli",
            "run",
            "--output-dir",
            str(tmp / "output"),
            "--database",
            str(tmp / "run.duckdb"),
            "--vars",
            f'{{run_started_at: "{RUN_STARTED_AT}"}}',
        ],
        cwd=ROOT,
        # The leg exports INFUSION_EDITS_TARGET=postgres; this side is DuckDB.
        env={**os.environ, "INFUSION_EDITS_TARGET": "duckdb"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    return tmp / "output" / "admin_line_decisions.csv"


def test_same_lines(postgres_export: Path, duckdb_export: Path) -> None:
    """Both warehouses decide the same claim lines."""
    postgres = decisions_by_line(postgres_export)
    duckdb = decisions_by_line(duckdb_export)
    assert sorted(set(postgres) - set(duckdb)) == []
    assert sorted(set(duckdb) - set(postgres)) == []
    assert len(postgres) > 0


def test_same_decisions(postgres_export: Path, duckdb_export: Path) -> None:
    """Every compared column agrees on every claim line."""
    postgres = decisions_by_line(postgres_export)
    duckdb = decisions_by_line(duckdb_export)
    differences = [
        f"{line} {column}: postgres {row[column]!r} != duckdb "
        f"{duckdb[line][column]!r}"
        for line, row in sorted(postgres.items())
        if line in duckdb
        for column in COMPARED
        if row[column] != duckdb[line][column]
    ]
    assert differences == [], (
        f"{len(differences)} differences, first ones:\n"
        + "\n".join(differences[:20])
    )
