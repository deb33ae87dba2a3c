"""End to end on the demo claims: every line decided as its scenario says."""

from __future__ import annotations

import csv

import duckdb

from infusion_edits import demo_data
from pytests.conftest import ROOT, RunResult

RULE_IDS = set(demo_data.RULE_IDS)


def manifest() -> list[dict[str, str]]:
    path = ROOT / "build" / "demo" / "expected_decisions.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def catalog_prefixes() -> dict[str, str]:
    """Each rule's message up to the evidence placeholder."""
    path = ROOT / "seeds" / "rule_catalog.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["rule_id"]: row["message_template"].split("{evidence}")[0]
            for row in csv.DictReader(handle)
        }


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
            prefix = catalog_prefixes()[row["rule_id"]]
            assert row["explanation"].startswith(prefix)
        if row["decision"] in {"review", "not_applied"}:
            prefix = catalog_prefixes()[row["rule_id"]]
            assert row["explanation"].startswith(prefix)
            assert "{evidence}" not in row["explanation"]
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


def scenario_lines(run: RunResult, scenario: str) -> list[dict[str, str]]:
    """Decision rows of the first instance of a scenario, by line number."""
    rows = [r for r in manifest() if r["scenario"] == scenario]
    first_claims = sorted({r["claim_id"] for r in rows})
    decided = run.by_line()
    return [
        decided[(r["claim_id"], r["claim_line_number"])]
        for r in rows
        if r["claim_id"] in first_claims[:2]
    ]


def rules_by_code(rows: list[dict[str, str]]) -> dict[str, str]:
    return {row["hcpcs_code"]: row["rule_id"] for row in rows}


def test_96376_on_professional_claim_is_facility_only(
    demo_run: RunResult,
) -> None:
    rules = rules_by_code(scenario_lines(demo_run, "facility_only_96376"))
    assert rules["96376"] == "FACILITY_ONLY_CODE"
    assert rules["96374"] == ""


def test_second_initial_denied_unless_xs(demo_run: RunResult) -> None:
    plain = rules_by_code(scenario_lines(demo_run, "second_initial"))
    assert plain["96374"] == "SECOND_INITIAL"
    assert plain["96365"] == ""
    with_xs = scenario_lines(demo_run, "second_initial_xs")
    assert {row["decision"] for row in with_xs} == {"pay"}


def test_96366_alone_has_no_primary(demo_run: RunResult) -> None:
    rules = rules_by_code(scenario_lines(demo_run, "addon_alone"))
    assert rules["96366"] == "ADDON_NO_PRIMARY"
