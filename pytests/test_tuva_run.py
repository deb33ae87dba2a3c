"""End to end on The Tuva Project's synthetic claims (Apache-2.0), read in
place from ../shared; skipped when they are absent."""

from __future__ import annotations

from pytests.conftest import RunResult


def admin_lines(run: RunResult) -> list[dict[str, str]]:
    return [r for r in run.decisions() if r["line_kind"] == "administration"]


def test_all_13_administration_lines_are_decided_and_explained(
    tuva_run: RunResult,
) -> None:
    lines = admin_lines(tuva_run)
    assert len(lines) == 13
    for row in lines:
        assert row["decision"] in {"pay", "deny", "review", "not_applied"}
        assert len(row["explanation"]) > 40


def test_named_tuva_lines(tuva_run: RunResult) -> None:
    decided = tuva_run.by_line()
    # ED claim: 99284 on revenue code 0450 makes the push secondary.
    assert decided[("1180949", "2")]["rule_id"] == "FACILITY_NOT_PRIMARY"
    # Hydration add-on on an institutional claim is excluded.
    assert decided[("1365980", "1")]["rule_id"] == "EXCLUDED_HYDRATION"
    # Denosumab needs authorization and there is no authorization file.
    assert decided[("556897", "1")]["rule_id"] == "PA_MISSING"
    assert decided[("556897", "2")]["rule_id"] == "PA_MISSING"
    # A professional injection with no same-day E/M from that provider.
    assert decided[("457138", "1")]["decision"] == "pay"


def test_three_character_bill_types_are_read_as_outpatient(
    tuva_run: RunResult,
) -> None:
    infusion = tuva_run.by_line()[("1466665", "7")]
    assert infusion["hcpcs_code"] == "96365"
    assert infusion["decision"] == "pay"
    assert "primary reason for the facility visit" in infusion["explanation"]
