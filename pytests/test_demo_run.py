"""End to end on the demo claims: every line decided as its scenario says."""

from __future__ import annotations

import csv

import duckdb

from pytests.conftest import ROOT, RunResult

RULE_IDS = {
    "OUT_OF_SCOPE_DATE",
    "OUT_OF_SCOPE_PLAN",
    "OUT_OF_SCOPE_SETTING",
    "EXCLUDED_CHEMO",
    "EXCLUDED_HYDRATION",
    "EXCLUDED_HOME_HEALTH",
    "EM_BUNDLED",
    "FACILITY_NOT_PRIMARY",
    "PA_MISSING",
    "PA_UNITS_EXCEEDED",
}


def manifest() -> list[dict[str, str]]:
    path = ROOT / "build" / "demo" / "expected_decisions.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_line_gets_the_decision_of_its_scenario(
    demo_run: RunResult,
) -> None:
    decided = demo_run.by_line()
    expected = manifest()
    assert len(decided) == len(expected)
    wrong = []
    for row in expected:
        line = decided[(row["claim_id"], row["claim_line_number"])]
        got = (line["decision"], line["rule_id"])
        want = (row["expected_decision"], row["expected_rule_id"])
        if got != want:
            wrong.append((row["scenario"], row["claim_id"], got, want))
    assert wrong == []


def test_every_rule_id_appears_in_the_demo_output(demo_run: RunResult) -> None:
    fired = {row["rule_id"] for row in demo_run.decisions()}
    assert fired >= RULE_IDS


def test_every_decision_is_explained_and_coded(demo_run: RunResult) -> None:
    for row in demo_run.decisions():
        assert row["explanation"].strip(), row["claim_line_id"]
        assert row["policy_id"] == "MP-PY-1771"
        if row["decision"] == "deny":
            assert row["carc"], row["claim_line_id"]
            assert row["explanation"].startswith(
                ("No separate", "Not separately", "Prior auth", "Authorized")
            )
        if row["decision"] == "pay":
            assert row["rule_id"] == ""
            assert row["explanation"].startswith("Payable")


def test_em_bundled_explanation_names_the_em_line(demo_run: RunResult) -> None:
    bundled = [r for r in demo_run.decisions() if r["rule_id"] == "EM_BUNDLED"]
    assert bundled
    for row in bundled:
        assert (
            f"on claim {row['evidence_claim_id']} line " in row["explanation"]
        )
        assert row["carc"] == "97"


def test_parquet_and_csv_exports_agree(demo_run: RunResult) -> None:
    parquet = demo_run.output_dir / "admin_line_decisions.parquet"
    with duckdb.connect() as connection:
        rows = connection.execute(
            "select claim_line_id, decision, coalesce(rule_id, '') "
            f"from read_parquet('{parquet}') order by claim_line_id"
        ).fetchall()
    from_csv = sorted(
        (r["claim_line_id"], r["decision"], r["rule_id"])
        for r in demo_run.decisions()
    )
    assert [tuple(r) for r in rows] == from_csv


def test_summary_prints_no_member_identifiers(demo_run: RunResult) -> None:
    persons = {row["person_id"] for row in demo_run.decisions()}
    assert "EM_BUNDLED" in demo_run.stdout
    for person in persons:
        assert person not in demo_run.stdout
        assert person not in demo_run.stderr
