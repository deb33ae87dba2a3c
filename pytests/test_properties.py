"""Properties of whole runs on generated claims (hypothesis): one decision
per administration and drug line, the same bytes whatever the row order,
no decision moved by other persons' claims; and a late E/M claim that
changes an earlier decision is named in the mart."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infusion_edits.demo_data import npi_check_digit
from pytests.conftest import RunResult, run_cli

COLUMNS = [
    "claim_id",
    "claim_line_number",
    "claim_type",
    "person_id",
    "claim_start_date",
    "place_of_service_code",
    "hcpcs_code",
    "hcpcs_modifier_1",
    "service_unit_quantity",
    "billing_npi",
    "allowed_amount",
    "file_date",
    "ndc_code",
    "ndc_quantity",
]
CODES = [
    "99213",
    "96372",
    "96374",
    "96365",
    "96366",
    "96413",
    "96360",
    "J1885",
    "J1745",
    "J2405",
    "J9271",
    "J7030",
]
FIXED_TIME = "{run_started_at: '2026-12-01 00:00:00'}"
Row = dict[str, str]


def npi(number: int) -> str:
    base = f"{100000000 + number:09d}"
    return base + npi_check_digit(base)


@st.composite
def claim_sets(draw: st.DrawFn, prefix: str = "P") -> list[Row]:
    """A few claims of a few persons, days and practices."""
    rows: list[Row] = []
    claim_count = draw(st.integers(min_value=1, max_value=8))
    for claim in range(claim_count):
        person = draw(st.integers(min_value=1, max_value=3))
        day = draw(st.integers(min_value=1, max_value=3))
        practice = draw(st.integers(min_value=1, max_value=2))
        codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=4))
        for number, code in enumerate(codes, start=1):
            modifier = draw(st.sampled_from(["", "", "25", "XS"]))
            rows.append(
                {
                    "claim_id": f"{prefix}C{claim:03d}",
                    "claim_line_number": str(number),
                    "claim_type": "professional",
                    "person_id": f"{prefix}{person}",
                    "claim_start_date": f"2026-07-0{day}",
                    "place_of_service_code": "11",
                    "hcpcs_code": code,
                    "hcpcs_modifier_1": modifier,
                    "service_unit_quantity": "1",
                    "billing_npi": npi(practice),
                    "allowed_amount": "25.00",
                    "file_date": f"2026-07-1{day}",
                    "ndc_code": "00006302602" if code.startswith("J") else "",
                    "ndc_quantity": "1" if code.startswith("J") else "",
                }
            )
    return rows


def write_claims(folder: Path, rows: list[Row]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "medical_claim.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def run_on(tmp: Path, name: str, rows: list[Row]) -> RunResult:
    write_claims(tmp / name / "in", rows)
    result = run_cli(
        tmp / name,
        "--input-dir",
        str(tmp / name / "in"),
        "--vars",
        FIXED_TIME,
        "--no-tests",
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    return result


def export_bytes(run: RunResult) -> tuple[bytes, bytes]:
    folder = run.output_dir
    return (
        (folder / "admin_line_decisions.csv").read_bytes(),
        (folder / "admin_line_decisions.parquet").read_bytes(),
    )


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    rows=claim_sets(),
    others=claim_sets(prefix="Q"),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_runs_are_stable_under_shuffles_and_other_persons(
    rows: list[Row], others: list[Row], seed: int
) -> None:
    with TemporaryDirectory() as folder:
        tmp = Path(folder)
        first = run_on(tmp, "first", rows)
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        second = run_on(tmp, "shuffled", shuffled)
        widened = run_on(tmp, "widened", rows + others)

        decidable = [r for r in rows if r["hcpcs_code"] not in {"99213"}]
        assert len(first.decisions()) == len(decidable)
        assert export_bytes(first) == export_bytes(second)
        own = {r["claim_id"] for r in rows}
        kept = [r for r in widened.decisions() if r["claim_id"] in own]
        assert kept == first.decisions()


def test_late_em_claim_changes_the_earlier_decision(tmp_path: Path) -> None:
    injection = [
        {
            **{column: "" for column in COLUMNS},
            "claim_id": "A1",
            "claim_line_number": str(number),
            "claim_type": "professional",
            "person_id": "P1",
            "claim_start_date": "2026-07-01",
            "place_of_service_code": "11",
            "hcpcs_code": code,
            "service_unit_quantity": "1",
            "billing_npi": npi(1),
            "allowed_amount": "20.00",
            "file_date": "2026-07-05",
            "ndc_code": ndc,
            "ndc_quantity": "1" if ndc else "",
        }
        for number, (code, ndc) in enumerate(
            [("96372", ""), ("J1885", "00006302602")], start=1
        )
    ]
    visit = {
        **injection[0],
        "claim_id": "B7",
        "claim_line_number": "1",
        "hcpcs_code": "99213",
        "file_date": "2026-07-25",
    }
    before = run_on(tmp_path, "day1", injection).by_line()[("A1", "1")]
    after = run_on(tmp_path, "day2", [*injection, visit]).by_line()[("A1", "1")]
    assert before["decision"] == "pay"
    assert after["rule_id"] == "EM_BUNDLED"
    assert after["decided_with_claim_ids"] == "B7"
    assert after["is_decided_by_later_claim"] == "true"
