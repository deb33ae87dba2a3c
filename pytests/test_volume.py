"""Tests of the volume claim generator (infusion_edits.volume) at 20,000
lines, and one run of the runner on what it writes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from infusion_edits.contract import MEDICAL_CLAIM, PRIOR_AUTHORIZATION
from infusion_edits.volume import write_volume
from pytests.conftest import RunResult, run_cli

LINES = 20_000
SEED = 7
NPI = re.compile(r"^[0-9]{10}$")
ADMIN_CODE = (
    "try_cast(hcpcs_code as integer) between 96360 and 96379 "
    "or try_cast(hcpcs_code as integer) between 96401 and 96549"
)


def claims_path(folder: Path) -> str:
    return str(folder / "medical_claim.parquet")


def query(sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect() as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def volume(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 generated lines, written once for the module."""
    folder = tmp_path_factory.mktemp("volume")
    counts = write_volume(folder, LINES, SEED)
    assert counts[MEDICAL_CLAIM.name] == LINES
    return folder


def test_same_seed_gives_the_same_rows(volume: Path, tmp_path: Path) -> None:
    write_volume(tmp_path, LINES, SEED)
    for name in ("medical_claim", "prior_authorization"):
        first = (volume / f"{name}.parquet").read_bytes()
        assert (tmp_path / f"{name}.parquet").read_bytes() == first


def test_another_seed_gives_other_rows(volume: Path, tmp_path: Path) -> None:
    write_volume(tmp_path, 2_000, SEED + 1)
    differing = query(
        "select count(*) from ("
        f"select * from read_parquet('{claims_path(tmp_path)}') except "
        f"select * from read_parquet('{claims_path(volume)}'))"
    )
    assert differing[0][0] > 1_000


def test_columns_are_the_contract(volume: Path) -> None:
    for table in (MEDICAL_CLAIM, PRIOR_AUTHORIZATION):
        path = str(volume / f"{table.name}.parquet")
        rows = query(f"describe select * from read_parquet('{path}')")
        assert tuple(row[0] for row in rows) == table.columns


def test_administration_lines_are_about_five_percent(volume: Path) -> None:
    share = query(
        f"select avg(case when {ADMIN_CODE} then 1.0 else 0.0 end) "
        f"from read_parquet('{claims_path(volume)}')"
    )[0][0]
    assert 0.03 <= float(share) <= 0.08


def test_every_line_key_is_unique(volume: Path) -> None:
    rows, keys, claims = query(
        "select count(*), count(distinct (claim_id, claim_line_number)), "
        "count(distinct claim_id) "
        f"from read_parquet('{claims_path(volume)}')"
    )[0]
    assert rows == keys == LINES
    # 2 to 5 lines a claim
    assert LINES / 5 <= claims <= LINES / 2


def test_npis_have_ten_digits(volume: Path) -> None:
    values = query(
        "select distinct unnest([billing_npi, rendering_npi, facility_npi]) "
        f"from read_parquet('{claims_path(volume)}')"
    )
    npis = [row[0] for row in values if row[0] is not None]
    assert npis
    assert all(NPI.match(str(npi)) for npi in npis)


def test_persons_have_many_claims_over_a_year(volume: Path) -> None:
    first, last, claims_per_person = query(
        "select min(claim_start_date), max(claim_start_date), "
        "count(distinct claim_id) / count(distinct person_id) "
        f"from read_parquet('{claims_path(volume)}')"
    )[0]
    assert first == "2026-06-01"
    assert last == "2027-05-31"
    assert claims_per_person >= 5


@pytest.fixture(scope="module")
def volume_run(
    volume: Path, tmp_path_factory: pytest.TempPathFactory
) -> RunResult:
    """The runner, models and seeds only, on the generated lines."""
    result = run_cli(
        tmp_path_factory.mktemp("volume_run"),
        "--input-dir",
        str(volume),
        "--no-tests",
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    return result


def test_the_runner_decides_the_generated_lines(
    volume: Path, volume_run: RunResult
) -> None:
    assert f"Input lines: {LINES}; evaluated: {LINES};" in volume_run.stdout
    decided = query(
        f"select count(*) from read_parquet('{claims_path(volume)}') "
        f"where {ADMIN_CODE} or hcpcs_code like 'J%'"
    )[0][0]
    decisions = volume_run.decisions()
    assert len(decisions) == decided
    fired = {row["rule_id"] for row in decisions}
    assert fired >= {
        "EM_BUNDLED",
        "FACILITY_NOT_PRIMARY",
        "PA_MISSING",
        "PA_UNITS_EXCEEDED",
        "ADDON_NO_PRIMARY",
        "SECOND_INITIAL",
        "DUPLICATE_LINE",
        "NDC_INVALID",
        "",  # pay
    }
