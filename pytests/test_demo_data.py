"""Tests for the deterministic demo claim generator (demo_data)."""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
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
# Every rule with its decision class, strongest first (class, then the
# precedence number inside the class).
RULE_CLASSES = {
    "OUT_OF_SCOPE_DATE": "not_applied",
    "OUT_OF_SCOPE_PLAN": "not_applied",
    "OUT_OF_SCOPE_SETTING": "not_applied",
    "EXCLUDED_CHEMO": "not_applied",
    "EXCLUDED_HYDRATION": "not_applied",
    "EXCLUDED_HOME_HEALTH": "not_applied",
    "DUPLICATE_LINE": "deny",
    "EM_BUNDLED": "deny",
    "FACILITY_NOT_PRIMARY": "deny",
    "PA_MISSING": "deny",
    "PA_UNITS_EXCEEDED": "deny",
    "FACILITY_ONLY_CODE": "deny",
    "MODIFIER_INVALID": "deny",
    "ADDON_NO_PRIMARY": "deny",
    "SECOND_INITIAL": "deny",
    "UNITS_OVER_MAX": "deny",
    "DURATION_MISMATCH": "deny",
    "NDC_INVALID": "deny",
    "ROUTE_MISMATCH": "review",
    "SUBSTANCE_MISMATCH": "review",
    "NO_DRUG_BILLED": "review",
}
RULE_ORDER = tuple(RULE_CLASSES)
NEW_RULES = (
    "DUPLICATE_LINE",
    "FACILITY_ONLY_CODE",
    "MODIFIER_INVALID",
    "ADDON_NO_PRIMARY",
    "SECOND_INITIAL",
    "UNITS_OVER_MAX",
    "DURATION_MISMATCH",
    "NDC_INVALID",
    "ROUTE_MISMATCH",
    "SUBSTANCE_MISMATCH",
    "NO_DRUG_BILLED",
)
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
HYDRATION_CODES = {"96360", "96361"}
# Drugs needing authorization: the demo's PA drugs plus the chemotherapy
# biologics the engine's drug list also marks (their lines are excluded).
PA_REQUIRED = {"J1745", "J3380", "J2350", "J1569", "J0897", "J2357"} | {
    "J9271",
    "J9312",
}
DISTINCT_MODIFIERS = {"59", "XE", "XS", "XP", "XU"}
COMPLEX_BIOLOGICS = {
    "J1745",
    "Q5103",
    "Q5104",
    "Q5121",
    "J3380",
    "J2350",
    "J3262",
    "J0129",
    "J1602",
    "J3358",
    "J0490",
    "J1300",
    "J1303",
    "J2323",
}
ADDON_PRIMARIES = {
    "96361": {"96360", "96365", "96374", "96409", "96413"},
    "96366": {"96365", "96367"},
    "96367": {"96365", "96374", "96409", "96413"},
    "96368": {"96365", "96366", "96413", "96415", "96416"},
    "96370": {"96369"},
    "96371": {"96369"},
    "96375": {"96365", "96374", "96409", "96413"},
    "96376": {"96365", "96374", "96409", "96413"},
    "96411": {"96409", "96413"},
    "96415": {"96413"},
    "96417": {"96413"},
    "96423": {"96422"},
    "96548": {"96547"},
}
INITIAL_RANKS = {
    **dict.fromkeys(("96413", "96416", "96422", "96425"), 11),
    **dict.fromkeys(("96409", "96420"), 12),
    **dict.fromkeys(("96365", "96369"), 21),
    "96374": 22,
    "96360": 31,
}
UNIT_CAPS = dict.fromkeys((*INITIAL_RANKS, "96368", "96371"), 1)
# Accepted routes per administration code, usual routes per drug (as in
# the spec, "a|b" lists alternatives).
ADMIN_ROUTE_TEXT = {
    "iv": (
        "96360 96361 96365 96366 96367 96368 96374 96375 96376"
        " 96409 96411 96413 96415 96416 96417"
    ),
    "sc|im": "96372 96401 96402",
    "sc": "96369 96370 96371 96377",
    "ia": "96373 96420 96422 96423 96425",
}
DRUG_ROUTE_TEXT = {
    "im|iv": "J1885 J0696",
    "im|sc": "J3420",
    "iv|im": "J1100 J2405 J1200 J2930",
    "im": "J3301 J1030 J1040",
    "iv": "J1756 J1745 J3380 J2350 J3370 J7030 J7040 J7042 J7050 J7060"
    " J7070 J7120",
    "iv|sc": "J1569",
    "sc": "J0897 J2357",
}


def route_table(text: dict[str, str]) -> dict[str, frozenset[str]]:
    return {
        code: frozenset(routes.split("|"))
        for routes, codes in text.items()
        for code in codes.split(" ")
    }


ADMIN_ROUTES = route_table(ADMIN_ROUTE_TEXT)
DRUG_ROUTES = route_table(DRUG_ROUTE_TEXT)
SHORT_MINUTES = {"96365", "96369", "96413", "96422", "96367", "96417"}
EXTRA_HOUR_CODES = {"96361", "96366", "96370", "96415", "96423"}
NO_DRUG_EXEMPT = {"96360", "96361", "96521", "96522", "96523"}
NDC_SCENARIOS = {"ndc_missing", "ndc_malformed", "ndc_zero_quantity"}
DURATION_SCENARIOS = {
    "duration_push_billed_as_infusion",
    "duration_extra_hour_not_supported",
    "duration_ok",
}


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


def is_drug(code: str) -> bool:
    return code.startswith("J") or code.startswith("Q51")


def is_chemo_admin(code: str) -> bool:
    return 96401 <= numeric(code) <= 96549


def is_chemo_drug(code: str) -> bool:
    return code.startswith(("J9", "J85", "J86", "J87", "J88", "J89"))


def drug_routes(code: str) -> frozenset[str] | None:
    """Usual routes of a drug, None when unknown."""
    if code.startswith("J9"):
        return frozenset({"iv"})
    return DRUG_ROUTES.get(code)


def modifiers(row: Row) -> set[str]:
    return {row[f"hcpcs_modifier_{i}"] for i in range(1, 6)} - {""}


def has_distinct_modifier(row: Row) -> bool:
    return bool(modifiers(row) & DISTINCT_MODIFIERS)


def units(row: Row) -> int:
    return int(row["service_unit_quantity"])


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


def encounter(row: Row) -> tuple[str, str, str]:
    return row["person_id"], service_date(row), billing_key(row)


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


@pytest.fixture(scope="module")
def scenario_of(manifest: list[Row]) -> dict[str, str]:
    """Scenario of every claim that has a manifest row."""
    return {row["claim_id"]: row["scenario"] for row in manifest}


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
    # Ten policy rules plus the eleven coding edits of the spec.
    assert len(RULE_ORDER) == 21
    assert set(RULE_ORDER) == set(demo_data.RULE_IDS)
    assert set(RULE_ORDER) <= seen
    assert "pay" in {row["expected_decision"] for row in manifest}


def test_every_new_rule_id_is_expected(manifest: list[Row]) -> None:
    counts = Counter(row["expected_rule_id"] for row in manifest)
    assert [rule for rule in NEW_RULES if counts[rule] == 0] == []


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
        assert decision == RULE_CLASSES.get(rule, "pay"), line_key(row)


def test_amounts_are_ordered_money(claims: list[Row]) -> None:
    for row in claims:
        amounts = [row[f"{k}_amount"] for k in ("paid", "allowed", "charge")]
        for amount in amounts:
            assert re.fullmatch(r"\d+\.\d\d", amount), line_key(row)
        paid, allowed, charge = (float(a) for a in amounts)
        assert 0 <= paid <= allowed <= charge, line_key(row)


def test_drug_lines_carry_well_formed_ndcs(
    claims: list[Row], scenario_of: dict[str, str]
) -> None:
    """Only the NDC scenarios break NDCs; only one puts an NDC on an admin."""
    ndc = re.compile(r"\d{11}|\d{5}-\d{4}-\d{2}")
    for row in claims:
        scenario = scenario_of.get(row["claim_id"], "filler")
        if scenario in NDC_SCENARIOS:
            continue
        code = row["hcpcs_code"]
        if code.startswith("J") or scenario == "ndc_on_admin_line":
            assert ndc.fullmatch(row["ndc_code"]), line_key(row)
            assert float(row["ndc_quantity"]) > 0
            assert row["ndc_unit"] in {"ML", "UN"}
        else:
            assert row["ndc_code"] == row["ndc_quantity"] == ""


def test_ndc_scenarios_break_exactly_one_drug_line(
    claims: list[Row], scenario_of: dict[str, str]
) -> None:
    broken = Counter(
        scenario_of[row["claim_id"]]
        for row in claims
        if scenario_of.get(row["claim_id"]) in NDC_SCENARIOS
        and row["hcpcs_code"].startswith("J")
        and not ndc_valid(row)
    )
    assert set(broken) == NDC_SCENARIOS
    claims_per_scenario = Counter(
        scenario_of[claim_id]
        for claim_id in {r["claim_id"] for r in claims}
        if scenario_of.get(claim_id) in NDC_SCENARIOS
    )
    assert broken == claims_per_scenario


def test_minutes_only_on_duration_scenarios(
    claims: list[Row], scenario_of: dict[str, str]
) -> None:
    assert demo_data.CLAIM_COLUMNS[-1] == "administration_minutes"
    timed = set()
    for row in claims:
        minutes = row["administration_minutes"]
        if minutes:
            assert is_admin(row["hcpcs_code"]), line_key(row)
            assert int(minutes) > 0
            timed.add(scenario_of[row["claim_id"]])
    assert timed == DURATION_SCENARIOS


def test_scenarios_have_at_least_two_instances(manifest: list[Row]) -> None:
    claims_per_scenario = Counter(
        scenario
        for _, scenario in {(r["claim_id"], r["scenario"]) for r in manifest}
    )
    assert min(claims_per_scenario.values()) >= 2


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


@dataclass(frozen=True)
class Encounter:
    """What the coding edits need to know about one encounter."""

    drugs: tuple[str, ...]
    admins: tuple[str, ...]

    @property
    def has_chemo_or_biologic(self) -> bool:
        return any(
            is_chemo_drug(c) or c in COMPLEX_BIOLOGICS for c in self.drugs
        )

    @property
    def only_hydration_admins(self) -> bool:
        return set(self.admins) <= HYDRATION_CODES


def encounters(claims: list[Row]) -> dict[tuple[str, str, str], Encounter]:
    drugs: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    admins: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for row in claims:
        code = row["hcpcs_code"]
        if is_admin(code):
            admins[encounter(row)].append(code)
        elif is_drug(code):
            drugs[encounter(row)].append(code)
    keys = set(drugs) | set(admins)
    return {k: Encounter(tuple(drugs[k]), tuple(admins[k])) for k in keys}


def substance_mismatch(code: str, visit: Encounter) -> bool:
    if not visit.drugs:
        return False
    if is_chemo_admin(code) and numeric(code) not in range(96521, 96524):
        return not visit.has_chemo_or_biologic
    if 96365 <= numeric(code) <= 96379:
        return all(is_chemo_drug(drug) for drug in visit.drugs)
    if code in HYDRATION_CODES:
        fluids_only = set(visit.drugs) <= HYDRATION
        return not fluids_only and visit.only_hydration_admins
    return False


def exclusion_rules(row: Row, visit: Encounter, home: set[str]) -> list[str]:
    code = row["hcpcs_code"]
    admin_chemo = is_chemo_admin(code) and visit.has_chemo_or_biologic
    admin_hydration = code in HYDRATION_CODES and not substance_mismatch(
        code, visit
    )
    checks = {
        "OUT_OF_SCOPE_DATE": service_date(row) < EFFECTIVE,
        "OUT_OF_SCOPE_PLAN": row["plan"] not in WI_PLANS,
        "OUT_OF_SCOPE_SETTING": row["claim_type"] == "institutional"
        and bill_type(row).startswith("011"),
        "EXCLUDED_CHEMO": admin_chemo or is_chemo_drug(code),
        "EXCLUDED_HYDRATION": admin_hydration
        or (is_drug(code) and code in HYDRATION),
        "EXCLUDED_HOME_HEALTH": row["claim_id"] in home,
    }
    return [rule for rule, hit in checks.items() if hit]


def route_mismatch(code: str, visit: Encounter) -> bool:
    accepted = ADMIN_ROUTES.get(code)
    routes = [drug_routes(drug) for drug in visit.drugs]
    if accepted is None or not routes or None in routes:
        return False
    return all(not (known & accepted) for known in routes if known)


def allowed_extra_hours(minutes: int) -> int:
    extra = minutes - 60
    if extra <= 30:
        return 0
    return extra // 60 + (1 if extra % 60 > 30 else 0)


def duration_mismatch(row: Row) -> bool:
    code, minutes = row["hcpcs_code"], row["administration_minutes"]
    if not minutes:
        return False
    if code in SHORT_MINUTES:
        return int(minutes) <= 15
    if code == "96360":
        return int(minutes) < 31
    if code in EXTRA_HOUR_CODES:
        return units(row) > allowed_extra_hours(int(minutes))
    return False


def admin_line_rules(row: Row, visit: Encounter) -> list[str]:
    """Coding edits decided by the line and its encounter alone."""
    code = row["hcpcs_code"]
    checks = {
        "FACILITY_ONLY_CODE": code == "96376"
        and row["claim_type"] == "professional",
        "MODIFIER_INVALID": bool(modifiers(row) & {"25", "57"}),
        "DURATION_MISMATCH": duration_mismatch(row),
        "ROUTE_MISMATCH": route_mismatch(code, visit),
        "SUBSTANCE_MISMATCH": substance_mismatch(code, visit),
        "NO_DRUG_BILLED": code not in NO_DRUG_EXEMPT and not visit.drugs,
    }
    return [rule for rule, hit in checks.items() if hit]


def ndc_valid(row: Row) -> bool:
    ndc, quantity = row["ndc_code"], row["ndc_quantity"]
    if quantity and float(quantity) <= 0:
        return False
    if re.fullmatch(r"\d{11}", ndc):
        return True
    parts = ndc.split("-")
    widths = tuple(len(part) for part in parts)
    digits = all(part.isdigit() for part in parts)
    return digits and widths in {(4, 4, 2), (5, 3, 2), (5, 4, 1), (5, 4, 2)}


def line_rules(
    claims: list[Row], fired: dict[Key, set[str]], home: set[str]
) -> None:
    visits = encounters(claims)
    for row in claims:
        code, key = row["hcpcs_code"], line_key(row)
        if not is_policy_line(code):
            continue
        visit = visits[encounter(row)]
        fired[key].update(exclusion_rules(row, visit, home))
        if is_admin(code):
            fired[key].update(admin_line_rules(row, visit))
        elif not ndc_valid(row):
            fired[key].add("NDC_INVALID")


def anchored_addons(codes: set[str]) -> set[str]:
    """Add-on codes of an encounter reachable from an initial code."""
    anchored: set[str] = set()
    changed = True
    while changed:
        changed = False
        for addon, primaries in ADDON_PRIMARIES.items():
            anchors = codes & primaries
            if addon in anchored or addon not in codes:
                continue
            if any(p not in ADDON_PRIMARIES or p in anchored for p in anchors):
                anchored.add(addon)
                changed = True
    return anchored


def order_key(row: Row) -> tuple[str, int]:
    return row["claim_id"], int(row["claim_line_number"])


def encounter_rules(claims: list[Row], fired: dict[Key, set[str]]) -> None:
    """ADDON_NO_PRIMARY and SECOND_INITIAL, per encounter."""
    admins: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in claims:
        if is_admin(row["hcpcs_code"]):
            admins[encounter(row)].append(row)
    for rows in admins.values():
        codes = {row["hcpcs_code"] for row in rows}
        anchored = anchored_addons(codes)
        for row in rows:
            code = row["hcpcs_code"]
            if code in ADDON_PRIMARIES and code not in anchored:
                fired[line_key(row)].add("ADDON_NO_PRIMARY")
        initials = [row for row in rows if row["hcpcs_code"] in INITIAL_RANKS]
        initials.sort(
            key=lambda r: (INITIAL_RANKS[r["hcpcs_code"]], *order_key(r))
        )
        for row in initials[1:]:
            if not has_distinct_modifier(row):
                fired[line_key(row)].add("SECOND_INITIAL")


def units_rules(claims: list[Row], fired: dict[Key, set[str]]) -> None:
    counted: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in claims:
        cap = UNIT_CAPS.get(row["hcpcs_code"])
        if cap is None:
            continue
        if has_distinct_modifier(row):
            if units(row) > cap:
                fired[line_key(row)].add("UNITS_OVER_MAX")
        else:
            day_code = row["person_id"], service_date(row), row["hcpcs_code"]
            counted[day_code].append(row)
    for (_, _, code), rows in counted.items():
        total = 0
        for row in sorted(rows, key=order_key):
            total += units(row)
            if total > UNIT_CAPS[code]:
                fired[line_key(row)].add("UNITS_OVER_MAX")


def duplicate_rules(claims: list[Row], fired: dict[Key, set[str]]) -> None:
    groups: dict[tuple[object, ...], list[Row]] = defaultdict(list)
    for row in claims:
        if not (is_admin(row["hcpcs_code"]) or is_drug(row["hcpcs_code"])):
            continue
        mods = tuple(row[f"hcpcs_modifier_{i}"] for i in range(1, 6))
        same = (*encounter(row), row["hcpcs_code"], mods, units(row))
        groups[same].append(row)
    for rows in groups.values():
        kept = min(
            rows,
            key=lambda r: (r["paid_date"], r["file_date"], *order_key(r)),
        )
        for row in rows:
            if row["claim_id"] != kept["claim_id"]:
                fired[line_key(row)].add("DUPLICATE_LINE")


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
    fired: dict[Key, set[str]] = defaultdict(set)
    line_rules(claims, fired, home_health_claims(claims))
    visit_rules(claims, fired)
    pa_rules(claims, auths, fired)
    encounter_rules(claims, fired)
    units_rules(claims, fired)
    duplicate_rules(claims, fired)
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
