"""Every other warehouse gives the same decisions as DuckDB on the demo
claims.

Each warehouse export is the CSV of admin_line_decisions from a build of the
demo claims on that warehouse, named by an environment variable: PG_EXPORT
for Postgres (scripts/postgres_leg.sh writes it), SPARK_EXPORT for Spark
(scripts/spark_leg.sh). Each one that is set is compared with DuckDB row by
row; the DuckDB side is built here once on the same demo claims with the
same vars. Without any of them the tests skip.
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
# The environment variable that names each warehouse's export.
EXPORT_VARS = {"postgres": "PG_EXPORT", "spark": "SPARK_EXPORT"}


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


def given_exports() -> dict[str, Path]:
    """The warehouse exports named in the environment, by warehouse."""
    return {
        warehouse: Path(os.environ[name])
        for warehouse, name in EXPORT_VARS.items()
        if os.environ.get(name, "")
    }


@pytest.fixture(params=sorted(EXPORT_VARS))
def warehouse(request: pytest.FixtureRequest) -> str:
    """One warehouse whose export is compared with DuckDB (skipped when
    its environment variable is not set)."""
    name: str = request.param
    if name not in given_exports():
        pytest.skip(
            f"{EXPORT_VARS[name]} is not set: run scripts/{name}_leg.sh "
            f"(make test-{name}) to build on {name} and compare."
        )
    return name


@pytest.fixture
def warehouse_export(warehouse: str) -> Path:
    """The export of the warehouse under test."""
    path = given_exports()[warehouse]
    assert path.is_file(), f"{EXPORT_VARS[warehouse]}={path} is not a file"
    return path


@pytest.fixture(scope="module")
def duckdb_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """admin_line_decisions.csv of a DuckDB run on the demo claims, built
    once for every warehouse compared."""
    if not given_exports():
        pytest.skip(
            f"None of {', '.join(EXPORT_VARS.values())} is set: nothing to "
            "compare."
        )
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
        # The legs export INFUSION_EDITS_TARGET; this side is DuckDB.
        env={**os.environ, "INFUSION_EDITS_TARGET": "duckdb"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    return tmp / "output" / "admin_line_decisions.csv"


def test_same_lines(
    warehouse: str, warehouse_export: Path, duckdb_export: Path
) -> None:
    """The warehouse and DuckDB decide the same claim lines."""
    other = decisions_by_line(warehouse_export)
    duckdb = decisions_by_line(duckdb_export)
    assert sorted(set(other) - set(duckdb)) == [], f"only on {warehouse}"
    assert sorted(set(duckdb) - set(other)) == [], f"missing on {warehouse}"
    assert len(other) > 0


def test_same_decisions(
    warehouse: str, warehouse_export: Path, duckdb_export: Path
) -> None:
    """Every compared column agrees on every claim line."""
    other = decisions_by_line(warehouse_export)
    duckdb = decisions_by_line(duckdb_export)
    differences = [
        f"{line} {column}: {warehouse} {row[column]!r} != duckdb "
        f"{duckdb[line][column]!r}"
        for line, row in sorted(other.items())
        if line in duckdb
        for column in COMPARED
        if row[column] != duckdb[line][column]
    ]
    assert differences == [], (
        f"{len(differences)} differences, first ones:\n"
        + "\n".join(differences[:20])
    )
