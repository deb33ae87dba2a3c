"""Input integrity on real data: a malformed copy of the Tuva synthetic
claims (blank and spaced codes, a bad date, a line loaded twice, a void and
a replacement) must build, account for every line and decide none twice."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from pytests.conftest import TUVA_DIR, RunResult, run_cli

Row = dict[str, str]


def read_rows(path: Path) -> tuple[list[str], list[Row]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, columns: list[str], rows: list[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def line(rows: list[Row], claim_id: str, number: str) -> Row:
    return next(
        r
        for r in rows
        if r["claim_id"] == claim_id and r["claim_line_number"] == number
    )


def claim_copy(rows: list[Row], source: str, **changes: str) -> list[Row]:
    return [{**r, **changes} for r in rows if r["claim_id"] == source]


def malform(rows: list[Row]) -> list[Row]:
    """The changes the tests then look for, each on a named Tuva line."""
    line(rows, "1171128", "1")["hcpcs_code"] = "96 372"
    line(rows, "457138", "1")["hcpcs_code"] = "  "
    bad_date = line(rows, "794622", "4")
    bad_date["claim_start_date"] = "02/09/2017"
    bad_date["claim_line_start_date"] = "02/09/2017"
    again = {**line(rows, "556897", "1"), "file_date": "2019-01-31"}
    void = claim_copy(
        rows,
        "1180949",
        claim_id="V1180949",
        bill_type_code="138",
        original_claim_id="1180949",
    )
    replacement = claim_copy(
        rows,
        "291769",
        claim_id="R291769",
        bill_type_code="137",
        original_claim_id="291769",
    )
    return [*rows, again, *void, *replacement]


@pytest.fixture(scope="module")
def malformed_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    if not (TUVA_DIR / "medical_claim.csv").is_file():
        pytest.skip(f"Tuva synthetic claims not found at {TUVA_DIR}")
    tmp = tmp_path_factory.mktemp("malformed")
    columns, rows = read_rows(TUVA_DIR / "medical_claim.csv")
    write_rows(
        tmp / "in" / "medical_claim.csv",
        [*columns, "original_claim_id"],
        malform(rows),
    )
    result = run_cli(
        tmp,
        "--input-dir",
        str(tmp / "in"),
        "--vars",
        "{apply_policy_to_all_dates: true}",
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    return result


def query(run: RunResult, sql: str) -> list[tuple]:
    with duckdb.connect(str(run.database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_every_input_line_is_staged_or_reported(
    malformed_run: RunResult,
) -> None:
    (loaded,) = query(malformed_run, "select count(*) from raw.medical_claim")[
        0
    ]
    (staged,) = query(
        malformed_run, "select count(*) from main.stg_claims__medical_claim"
    )[0]
    (reported,) = query(
        malformed_run, "select count(*) from main.rejected_claim_lines"
    )[0]
    assert loaded == staged + reported
    assert f"Input lines: {loaded};" in malformed_run.stdout


def test_unreadable_administration_lines_are_reviewed(
    malformed_run: RunResult,
) -> None:
    rows = {
        (r["claim_id"], r["claim_line_number"]): r
        for r in malformed_run.decisions()
        if r["rule_id"] == "INVALID_INPUT"
    }
    spaced = rows[("1171128", "1")]
    assert spaced["decision"] == "review"
    assert spaced["hcpcs_code"] == "96372"
    assert "not 5 characters" in spaced["explanation"]
    dated = rows[("794622", "4")]
    assert "02/09/2017" in dated["explanation"]


def test_blank_code_line_is_reported_not_decided(
    malformed_run: RunResult,
) -> None:
    decided = {
        (r["claim_id"], r["claim_line_number"])
        for r in malformed_run.decisions()
    }
    assert ("457138", "1") not in decided
    reasons = query(
        malformed_run,
        "select reason_code from main.rejected_claim_lines "
        "where claim_id = '457138' and claim_line_number = 1",
    )
    assert reasons == [("missing_code",)]


def test_a_line_loaded_twice_is_decided_once(malformed_run: RunResult) -> None:
    decided = [
        r
        for r in malformed_run.decisions()
        if (r["claim_id"], r["claim_line_number"]) == ("556897", "1")
    ]
    assert len(decided) == 1
    older = query(
        malformed_run,
        "select count(*) from main.rejected_claim_lines "
        "where claim_id = '556897' and reason_code = 'older_copy'",
    )
    assert older == [(1,)]


def test_voided_claim_is_left_out_and_reported(
    malformed_run: RunResult,
) -> None:
    claims = {r["claim_id"] for r in malformed_run.decisions()}
    assert "1180949" not in claims
    assert "V1180949" not in claims
    voided = query(
        malformed_run,
        "select distinct reason_code, superseded_by_claim_id "
        "from main.rejected_claim_lines where claim_id = '1180949'",
    )
    assert voided == [("voided_claim", "V1180949")]


def test_replacement_is_decided_instead_of_original(
    malformed_run: RunResult,
) -> None:
    claims = {r["claim_id"] for r in malformed_run.decisions()}
    assert "291769" not in claims
    assert "R291769" in claims
