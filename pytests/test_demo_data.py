"""Tests for the deterministic demo claim generator (demo_data)."""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest

# The project is not installed into the venv; make the repo root importable
# when pytest is started as ``.venv/bin/pytest`` from /work/main.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from infusion_edits import demo_data  # noqa: E402

Row = dict[str, str]
Key = tuple[str, str]

FILES = (
    "medical_claim.csv",
    "prior_authorization.csv",
    "expected_decisions.csv",
)
EFFECTIVE = "2026-06-01"
WINDOW_END = "2026-11-30"
WI_PLANS = {
    "WI Marketplace Bronze",
    "WI Marketplace Silver",
    "WI Marketplace Gold",
}
RULE_ORDER = (
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
)
DENY_RULES = set(RULE_ORDER[6:])
EM_RANGES = (
    (99202, 99205),
    (99211, 99215),
    (99281, 99285),
    (99221, 99239),
    (99242, 99245),
    (99252, 99255),
    (99304, 99310),
    (99315, 99316),
    (99341, 99350),
    (99381, 99397),
    (99401, 99412),
)
EM_HCPCS = {"G0463", "G0402", "G0438", "G0439", "T1015"} | {
    f"G04{n}" for n in range(66, 71)
}
HOME_HCPCS = {"99601", "99602", "G0299", "G0300", "S9490"}
HYDRATION = {"96360", "96361", "J7030", "J7040", "J7042", "J7050"} | {
    "J7060",
    "J7070",
    "J7120",
}
PA_REQUIRED = {"J1745", "J3380", "J2350", "J1569", "J0897", "J2357"}


# ---------------------------------------------------------------- helpers


def read_csv(path: Path) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def line_key(row: Row) -> Key:
    return row["claim_id"], row["claim_line_number"]


def numeric(code: str) -> int:
    return int(code) if code.isdigit() else -1


def is_admin(code: str) -> bool:
    value = numeric(code)
    return 96360 <= value <= 96379 or 96401 <= value <= 96549


def is_policy_line(code: str) -> bool:
    """Administration (96360-96549) or drug (J code) line, per the brief."""
    return 96360 <= numeric(code) <= 96549 or code.startswith("J")


def is_em(code: str) -> bool:
    value = numeric(code)
    in_range = any(low <= value <= high for low, high in EM_RANGES)
    return in_range or code in EM_HCPCS


def service_date(row: Row) -> str:
    return row["claim_line_start_date"] or row["claim_start_date"]


def billing_key(row: Row) -> str:
    return row["billing_npi"] or row["billing_tin"] or row["rendering_npi"]


def facility_key(row: Row) -> str:
    return row["facility_npi"] or row["billing_npi"] or row["billing_tin"]


def bill_type(row: Row) -> str:
    code = row["bill_type_code"]
    return code.zfill(4) if code else ""


def luhn_valid(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


# --------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo")
    demo_data.write_demo(path)
    return path


@pytest.fixture(scope="module")
def claims(out_dir: Path) -> list[Row]:
    return read_csv(out_dir / "medical_claim.csv")


@pytest.fixture(scope="module")
def manifest(out_dir: Path) -> list[Row]:
    return read_csv(out_dir / "expected_decisions.csv")


@pytest.fixture(scope="module")
def auths(out_dir: Path) -> list[Row]:
    return read_csv(out_dir / "prior_authorization.csv")


# ------------------------------------------------------------------ tests


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    demo_data.main(["--out", str(tmp_path / "a")])
    demo_data.main(["--out", str(tmp_path / "b"), "--seed", "20260601"])
    for name in FILES:
        first = (tmp_path / "a" / name).read_bytes()
        assert first == (tmp_path / "b" / name).read_bytes(), name


def test_other_seed_gives_other_claims(tmp_path: Path) -> None:
    demo_data.write_demo(tmp_path / "a", seed=1)
    demo_data.write_demo(tmp_path / "b", seed=2)
    name = "medical_claim.csv"
    first = (tmp_path / "a" / name).read_bytes()
    assert first != (tmp_path / "b" / name).read_bytes()


def test_headers_follow_the_contract(out_dir: Path) -> None:
    expected = {
        "medical_claim.csv": demo_data.CLAIM_COLUMNS,
        "prior_authorization.csv": demo_data.AUTH_COLUMNS,
        "expected_decisions.csv": demo_data.MANIFEST_COLUMNS,
    }
    for name, columns in expected.items():
        with (out_dir / name).open(encoding="utf-8") as handle:
            assert handle.readline().rstrip("\n").split(",") == list(columns)


def test_size_is_a_plan_month_or_so(claims: list[Row]) -> None:
    assert 3000 <= len(claims) <= 4000
    assert 550 <= len({row["person_id"] for row in claims}) <= 650


def test_luhn_helper_accepts_known_valid_npi() -> None:
    assert luhn_valid("80840" + "1234567893")
    assert not luhn_valid("80840" + "1234567894")


def test_every_npi_passes_the_luhn_check(claims: list[Row]) -> None:
    npis = {
        row[column]
        for row in claims
        for column in ("rendering_npi", "billing_npi", "facility_npi")
        if row[column]
    }
    assert npis
    for npi in sorted(npis):
        assert re.fullmatch(r"\d{10}", npi), npi
        assert luhn_valid("80840" + npi), npi


def test_every_rule_id_appears(manifest: list[Row]) -> None:
    seen = {row["expected_rule_id"] for row in manifest}
    assert set(RULE_ORDER) <= seen
    assert "pay" in {row["expected_decision"] for row in manifest}


def test_manifest_covers_exactly_the_policy_lines(
    claims: list[Row], manifest: list[Row]
) -> None:
    policy_keys = [
        line_key(r) for r in claims if is_policy_line(r["hcpcs_code"])
    ]
    manifest_keys = [line_key(row) for row in manifest]
    assert len(manifest_keys) == len(set(manifest_keys))
    assert sorted(policy_keys) == sorted(manifest_keys)


def test_line_keys_are_unique(claims: list[Row]) -> None:
    counts = Counter(line_key(row) for row in claims)
    assert [key for key, n in counts.items() if n > 1] == []


def test_in_scope_dates_fall_in_the_window(
    claims: list[Row], manifest: list[Row]
) -> None:
    early = {
        row["claim_id"]
        for row in manifest
        if row["expected_rule_id"] == "OUT_OF_SCOPE_DATE"
    }
    assert early
    for row in claims:
        day = service_date(row)
        if row["claim_id"] in early:
            assert day < EFFECTIVE, line_key(row)
        else:
            assert EFFECTIVE <= day <= WINDOW_END, line_key(row)


def test_decision_matches_rule_class(manifest: list[Row]) -> None:
    for row in manifest:
        rule, decision = row["expected_rule_id"], row["expected_decision"]
        if not rule:
            assert decision == "pay"
        elif rule in DENY_RULES:
            assert decision == "deny"
        else:
            assert decision == "not_applied"


def test_amounts_are_ordered_money(claims: list[Row]) -> None:
    for row in claims:
        amounts = [row[f"{k}_amount"] for k in ("paid", "allowed", "charge")]
        for amount in amounts:
            assert re.fullmatch(r"\d+\.\d\d", amount), line_key(row)
        paid, allowed, charge = (float(a) for a in amounts)
        assert 0 <= paid <= allowed <= charge, line_key(row)


def test_drug_lines_carry_well_formed_ndcs(claims: list[Row]) -> None:
    ndc = re.compile(r"\d{11}|\d{5}-\d{4}-\d{2}")
    for row in claims:
        if row["hcpcs_code"].startswith("J"):
            assert ndc.fullmatch(row["ndc_code"]), line_key(row)
            assert float(row["ndc_quantity"]) > 0
            assert row["ndc_unit"] in {"ML", "UN"}
        else:
            assert row["ndc_code"] == row["ndc_quantity"] == ""


def test_setting_columns_follow_claim_type(claims: list[Row]) -> None:
    for row in claims:
        if row["claim_type"] == "professional":
            assert row["place_of_service_code"], line_key(row)
            assert row["bill_type_code"] == row["revenue_center_code"] == ""
        else:
            assert len(row["bill_type_code"]) in (3, 4), line_key(row)
            assert len(row["revenue_center_code"]) == 4, line_key(row)
            assert row["facility_npi"], line_key(row)


# ------------------------------------------- reference evaluation of rules


def home_health_claims(claims: list[Row]) -> set[str]:
    found = set()
    for row in claims:
        revenue = numeric(row["revenue_center_code"])
        if (
            row["place_of_service_code"] == "12"
            or bill_type(row)[:3] in {"032", "033", "034"}
            or 550 <= revenue <= 599
            or row["hcpcs_code"] in HOME_HCPCS
        ):
            found.add(row["claim_id"])
    return found


def exclusion_rules(row: Row, home: set[str]) -> Iterable[str]:
    code = row["hcpcs_code"]
    checks = {
        "OUT_OF_SCOPE_DATE": service_date(row) < EFFECTIVE,
        "OUT_OF_SCOPE_PLAN": row["plan"] not in WI_PLANS,
        "OUT_OF_SCOPE_SETTING": row["claim_type"] == "institutional"
        and bill_type(row).startswith("011"),
        "EXCLUDED_CHEMO": 96401 <= numeric(code) <= 96549
        or code.startswith("J9"),
        "EXCLUDED_HYDRATION": code in HYDRATION,
        "EXCLUDED_HOME_HEALTH": row["claim_id"] in home,
    }
    return [rule for rule, hit in checks.items() if hit]


def is_primary_reason(row: Row) -> bool:
    revenue = row["revenue_center_code"]
    return (
        is_em(row["hcpcs_code"])
        or revenue[:3] in {"045", "051"}
        or revenue == "0762"
        or row["hcpcs_code"] in {"G0378", "G0379"}
    )


def visit_rules(claims: list[Row], fired: dict[Key, set[str]]) -> None:
    em_visits = {
        (r["person_id"], service_date(r), billing_key(r))
        for r in claims
        if is_em(r["hcpcs_code"])
    }
    primary = {
        (r["person_id"], service_date(r), facility_key(r))
        for r in claims
        if r["claim_type"] == "institutional" and is_primary_reason(r)
    }
    for r in claims:
        if not is_admin(r["hcpcs_code"]):
            continue
        person, day = r["person_id"], service_date(r)
        if r["claim_type"] == "professional":
            hit = (person, day, billing_key(r)) in em_visits
            rule = "EM_BUNDLED"
        else:
            outpatient = not bill_type(r).startswith("011")
            hit = outpatient and (person, day, facility_key(r)) in primary
            rule = "FACILITY_NOT_PRIMARY"
        if hit:
            fired[line_key(r)].add(rule)


def covering_auth(row: Row, auths: list[Row]) -> Row | None:
    for auth in auths:
        if (
            auth["status"] == "approved"
            and auth["person_id"] == row["person_id"]
            and auth["hcpcs_code"] == row["hcpcs_code"]
            and auth["start_date"] <= service_date(row) <= auth["end_date"]
        ):
            return auth
    return None


def pa_count_order(row: Row) -> tuple[str, str, int]:
    return service_date(row), row["claim_id"], int(row["claim_line_number"])


def pa_rules(
    claims: list[Row], auths: list[Row], fired: dict[Key, set[str]]
) -> None:
    missing: set[tuple[str, str, str]] = set()
    billed: dict[str, list[Row]] = defaultdict(list)
    for row in claims:
        if row["hcpcs_code"] not in PA_REQUIRED:
            continue
        auth = covering_auth(row, auths)
        if auth is None:
            fired[line_key(row)].add("PA_MISSING")
            missing.add((row["person_id"], service_date(row), billing_key(row)))
        else:
            billed[auth["authorization_id"]].append(row)
    for row in claims:
        visit = (row["person_id"], service_date(row), billing_key(row))
        if is_admin(row["hcpcs_code"]) and visit in missing:
            fired[line_key(row)].add("PA_MISSING")
    limits = {a["authorization_id"]: int(a["authorized_units"]) for a in auths}
    for auth_id, rows in billed.items():
        order = sorted(rows, key=pa_count_order)
        total = 0
        for row in order:
            total += int(row["service_unit_quantity"])
            if total > limits[auth_id]:
                fired[line_key(row)].add("PA_UNITS_EXCEEDED")


def reference_rule_ids(claims: list[Row], auths: list[Row]) -> dict[Key, str]:
    home = home_health_claims(claims)
    fired: dict[Key, set[str]] = defaultdict(set)
    for row in claims:
        if is_policy_line(row["hcpcs_code"]):
            fired[line_key(row)].update(exclusion_rules(row, home))
    visit_rules(claims, fired)
    pa_rules(claims, auths, fired)
    return {
        line_key(row): min(fired[line_key(row)], key=RULE_ORDER.index)
        if fired[line_key(row)]
        else ""
        for row in claims
        if is_policy_line(row["hcpcs_code"])
    }


def test_manifest_agrees_with_a_reference_evaluation(
    claims: list[Row], auths: list[Row], manifest: list[Row]
) -> None:
    """Scenario instances are isolated: no rule leaks between them."""
    reference = reference_rule_ids(claims, auths)
    wrong = [
        (row["scenario"], *line_key(row), reference[line_key(row)])
        for row in manifest
        if reference[line_key(row)] != row["expected_rule_id"]
    ]
    assert wrong == []
