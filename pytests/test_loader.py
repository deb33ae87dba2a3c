"""Preflight of the input files: one clear message, nothing half-loaded."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from infusion_edits.cli import main
from infusion_edits.contract import MEDICAL_CLAIM, PRIOR_AUTHORIZATION
from infusion_edits.loader import (
    BATCH_COLUMN,
    InputError,
    connect,
    load_inputs,
)
from infusion_edits.settings import SettingsError, parse_vars

HEADER = "claim_id,claim_line_number,person_id,claim_start_date,hcpcs_code"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_medical_claim_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    with pytest.raises(InputError, match=r"No medical_claim\.csv"):
        load_inputs(tmp_path / "in", tmp_path / "db.duckdb")


def test_missing_required_columns_are_listed(tmp_path: Path) -> None:
    write(tmp_path / "in" / "medical_claim.csv", "claim_id,person_id\nC1,P1\n")
    with pytest.raises(InputError) as error:
        load_inputs(tmp_path / "in", tmp_path / "db.duckdb")
    message = str(error.value)
    assert "medical_claim.csv" in message
    assert "claim_line_number, claim_start_date, hcpcs_code" in message
    assert "README.md#input-contract" in message


def test_extra_columns_are_ignored_and_absent_optional_ones_are_null(
    tmp_path: Path,
) -> None:
    write(
        tmp_path / "in" / "medical_claim.csv",
        HEADER + ",my_extra\nC1,1,P1,2026-07-01,96372,x\n",
    )
    counts = load_inputs(tmp_path / "in", tmp_path / "db.duckdb")
    assert counts == {"medical_claim": 1, "prior_authorization": 0}
    with duckdb.connect(str(tmp_path / "db.duckdb")) as connection:
        columns = [
            row[0]
            for row in connection.execute(
                "describe raw.medical_claim"
            ).fetchall()
        ]
        ndc = connection.execute("select ndc_code from raw.medical_claim")
        assert ndc.fetchall() == [(None,)]
    # The contract's columns, then the load batch the loader adds.
    assert columns == [*MEDICAL_CLAIM.columns, BATCH_COLUMN]


def test_codes_keep_leading_zeros(tmp_path: Path) -> None:
    write(
        tmp_path / "in" / "medical_claim.csv",
        HEADER + ",revenue_center_code,place_of_service_code\n"
        "C1,1,P1,2026-07-01,96372,0450,02\n",
    )
    load_inputs(tmp_path / "in", tmp_path / "db.duckdb")
    with duckdb.connect(str(tmp_path / "db.duckdb")) as connection:
        row = connection.execute(
            "select revenue_center_code, place_of_service_code "
            "from raw.medical_claim"
        ).fetchall()
    assert row == [("0450", "02")]


def test_authorization_file_missing_a_column_is_named(tmp_path: Path) -> None:
    write(tmp_path / "in" / "medical_claim.csv", HEADER + "\n")
    write(
        tmp_path / "in" / "prior_authorization.csv",
        "authorization_id,person_id\nA1,P1\n",
    )
    with pytest.raises(InputError, match=r"prior_authorization\.csv lacks"):
        load_inputs(tmp_path / "in", tmp_path / "db.duckdb")


def test_two_files_for_one_table_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "in" / "medical_claim.csv", HEADER + "\n")
    write(tmp_path / "in" / "medical_claim.parquet", "not parquet")
    with pytest.raises(InputError, match="keep one input file"):
        load_inputs(tmp_path / "in", tmp_path / "db.duckdb")


def test_unreadable_parquet_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "in" / "medical_claim.parquet", "not parquet")
    with pytest.raises(InputError, match="Cannot read"):
        load_inputs(tmp_path / "in", tmp_path / "db.duckdb")


def test_parquet_input_is_read(tmp_path: Path) -> None:
    source = tmp_path / "in" / "medical_claim.parquet"
    source.parent.mkdir()
    with duckdb.connect() as connection:
        connection.execute(
            "copy (select 'C1' as claim_id, 1 as claim_line_number, "
            "'P1' as person_id, date '2026-07-01' as claim_start_date, "
            f"'96372' as hcpcs_code) to '{source}' (format parquet)"
        )
    counts = load_inputs(tmp_path / "in", tmp_path / "db.duckdb")
    assert counts["medical_claim"] == 1


def test_cli_reports_input_error_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        [
            "run",
            "--input-dir",
            str(tmp_path / "nowhere"),
            "--database",
            str(tmp_path / "db.duckdb"),
        ]
    )
    assert status == 2
    assert "does not exist" in capsys.readouterr().err


def test_vars_must_be_a_mapping() -> None:
    assert parse_vars("{apply_policy_to_all_dates: true}") == {
        "apply_policy_to_all_dates": True
    }
    assert parse_vars("") == {}
    with pytest.raises(SettingsError):
        parse_vars("[1, 2]")
    with pytest.raises(SettingsError, match="not valid YAML"):
        parse_vars("{a: [")


def test_contract_tables_name_their_required_columns() -> None:
    assert "hcpcs_code" in MEDICAL_CLAIM.required
    assert not PRIOR_AUTHORIZATION.required_table


def test_loader_connection_takes_the_profile_memory_limit_and_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INFUSION_EDITS_MEMORY_LIMIT", "300MB")
    monkeypatch.setenv("INFUSION_EDITS_THREADS", "1")
    with connect(tmp_path / "db.duckdb") as connection:
        limit, threads = connection.execute(
            "select current_setting('memory_limit'), current_setting('threads')"
        ).fetchone()
    assert threads == 1
    assert limit.startswith("286.")  # 300 MB is 286.1 MiB


@pytest.mark.parametrize(
    ("variable", "value"),
    [("INFUSION_EDITS_MEMORY_LIMIT", "lots"), ("INFUSION_EDITS_THREADS", "x")],
)
def test_unusable_duckdb_settings_are_an_input_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InputError, match=variable):
        connect(tmp_path / "db.duckdb")
