"""Volume claim generator for load tests of the MP-PY-1771 edits.

Writes N made-up claim lines in the input contract, plus the prior
authorizations they refer to, as Parquet. Everything is computed by DuckDB
SQL, with no loop over rows in Python: every random choice is a hash of
the seed, a row key and a salt, so the same seed gives the same rows
whatever the thread count (and byte-identical files).

The mix follows a plan's ordinary traffic (office and ED visits, labs,
imaging, therapy, inpatient stays) with about 5% administration lines and
a share of every situation the rules look at: an injection with a same-day
E/M from the same billing NPI (on the same claim or a companion claim), an
ED visit with an IV push, drugs that need prior authorization with and
without one, add-on codes without their primary, two initial codes in one
encounter, chemotherapy and hydration, duplicate claims and bad NDCs.
Service dates run from 2026-06-01 to 2027-05-31; claims have 2 to 5 lines
(the last claim may be cut short to reach exactly N lines).

Usage::

    python -m infusion_edits.volume --lines N --out DIR [--seed S]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from infusion_edits.contract import MEDICAL_CLAIM, PRIOR_AUTHORIZATION
from infusion_edits.demo_data import DRUGS, REVENUE_BY_CODE, SERVICE_FEES

DEFAULT_SEED = 20260601
FIRST_DAY = "2026-06-01"
DAYS = 365
LINES_PER_PERSON = 40
LINES_PER_PRACTICE = 2_000
LINES_PER_FACILITY = 20_000
HEAVY_USER_SHARE = 0.2  # share of claims that go to the heavy users
HEAVY_USER_POOL = 0.05  # heavy users, as a share of all persons
HOME_PROVIDER_SHARE = 0.7  # claims billed by the person's usual provider
CLINICIANS_PER_PRACTICE = 3
DUPLICATE_SHARE = 0.10  # of claims after an administration claim
COMPANION_SHARE = 0.50  # E/M claims after an office injection claim
TIN_ONLY_SHARE = 0.01  # professional claims billed without an NPI
BAD_NDC_SHARE = 0.02
HYPHENATED_NDC_SHARE = 0.05
MINUTES_SHARE = 0.10  # initial infusions with documented minutes
BLANK_LINE_DATE_SHARE = 0.03

# Code groups a scenario's lines are drawn from ("room" is a revenue-code
# only line of an inpatient stay).
GROUPS: dict[str, tuple[str, ...]] = {
    "em_office": (
        "99202",
        "99203",
        "99204",
        "99205",
        "99211",
        "99212",
        "99213",
        "99214",
        "99215",
    ),
    "em_ed": ("99281", "99282", "99283", "99284", "99285"),
    "clinic": ("G0463",),
    "inj": ("96372",),
    "push": ("96374",),
    "push_addon": ("96375",),
    "infusion": ("96365",),
    "infusion_addon": ("96366",),
    "hydration": ("96360",),
    "hydration_addon": ("96361",),
    "chemo": ("96413",),
    "drug_inj": ("J3420", "J1885", "J1030", "J1040", "J0696", "J3301"),
    "drug_push": ("J2405", "J1885", "J1100", "J1200", "J2930"),
    "drug_iv": ("J1756", "J2405", "J0696", "J1100"),
    "drug_pa_iv": ("J1745", "J2350", "J1569", "J3380"),
    "drug_pa_sc": ("J2357", "J0897"),
    "drug_chemo": ("J9271", "J9312", "J9045"),
    "fluid": ("J7030", "J7050", "J7120"),
    "lab": ("80053", "85025", "36415", "80061", "83036", "84443"),
    "imaging": ("71046", "72100", "73562"),
    "therapy": ("97110", "97140", "97530"),
    "office_filler": (
        "80053",
        "85025",
        "36415",
        "83036",
        "71046",
        "73562",
        "97110",
    ),
    "ed_filler": ("80053", "85025", "36415", "71046", "72100"),
    "room": ("",),
}

ADMIN_GROUPS = frozenset(
    {
        "inj",
        "push",
        "push_addon",
        "infusion",
        "infusion_addon",
        "hydration",
        "hydration_addon",
        "chemo",
    }
)

DX_CODES = (
    "I10",
    "E119",
    "E785",
    "J069",
    "M545",
    "K5090",
    "D509",
    "R112",
    "C50919",
    "G35",
    "J4550",
    "M810",
)


# Charges per unit of codes the demo generator does not price.
EXTRA_FEES: dict[str, float] = {
    "99202": 120.0,
    "99205": 360.0,
    "99211": 45.0,
    "99281": 120.0,
    "99282": 240.0,
    "96375": 70.0,
    "97530": 92.0,
}

DRG_CODES = ("871", "292", "194", "690", "392")


@dataclass(frozen=True)
class Setting:
    """Where a claim is billed: claim type, place of service, bill type."""

    claim_type: str
    place_of_service: str = ""
    bill_type: str = ""
    is_inpatient: bool = False


SETTINGS: dict[str, Setting] = {
    "office": Setting("professional", place_of_service="11"),
    "hospital_pro": Setting("professional", place_of_service="22"),
    "ed_pro": Setting("professional", place_of_service="23"),
    "outpatient": Setting("institutional", bill_type="0131"),
    "inpatient": Setting("institutional", bill_type="0111", is_inpatient=True),
}


@dataclass(frozen=True)
class Scenario:
    """A kind of claim: its setting, the groups of its first lines, the
    group its further lines come from, and its weight in the mix."""

    name: str
    weight: float
    setting: str
    core: tuple[str, ...]
    filler: str


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("office_visit", 36, "office", ("em_office",), "office_filler"),
    Scenario("lab_panel", 14, "office", ("lab", "lab"), "lab"),
    Scenario("imaging", 6, "office", ("imaging", "lab"), "imaging"),
    Scenario("therapy", 5, "office", ("therapy", "therapy"), "therapy"),
    Scenario("ed_pro_visit", 4, "ed_pro", ("em_ed",), "ed_filler"),
    # an injection with an E/M of the same billing NPI: EM_BUNDLED
    Scenario(
        "office_injection_em",
        3,
        "office",
        ("em_office", "inj", "drug_inj"),
        "lab",
    ),
    Scenario("office_injection", 2, "office", ("inj", "drug_inj"), "lab"),
    Scenario(
        "infusion_pa",
        1.2,
        "office",
        ("infusion", "drug_pa_iv", "infusion_addon"),
        "lab",
    ),
    Scenario("injection_pa", 0.8, "office", ("inj", "drug_pa_sc"), "lab"),
    Scenario(
        "chemo",
        0.8,
        "hospital_pro",
        ("chemo", "drug_chemo", "push_addon", "drug_push"),
        "lab",
    ),
    Scenario(
        "hydration",
        0.5,
        "office",
        ("hydration", "fluid", "hydration_addon"),
        "lab",
    ),
    # an add-on code with no primary: ADDON_NO_PRIMARY
    Scenario(
        "addon_alone", 0.4, "office", ("infusion_addon", "drug_iv"), "lab"
    ),
    # two initial codes in one encounter: SECOND_INITIAL
    Scenario(
        "two_initials",
        0.4,
        "hospital_pro",
        ("infusion", "push", "drug_iv", "drug_push"),
        "lab",
    ),
    Scenario("ed_visit", 8, "outpatient", ("em_ed", "lab"), "ed_filler"),
    # an ED visit with an IV push: FACILITY_NOT_PRIMARY
    Scenario(
        "ed_push", 1.5, "outpatient", ("em_ed", "push", "drug_push"), "lab"
    ),
    Scenario(
        "outpatient_infusion",
        1.2,
        "outpatient",
        ("infusion", "drug_iv", "infusion_addon"),
        "lab",
    ),
    Scenario(
        "clinic_injection",
        0.5,
        "outpatient",
        ("clinic", "inj", "drug_inj"),
        "lab",
    ),
    Scenario("outpatient_lab", 6, "outpatient", ("lab", "lab"), "lab"),
    Scenario(
        "inpatient_stay",
        2,
        "inpatient",
        ("room", "room", "drug_push", "lab"),
        "room",
    ),
)

# A companion claim: an office visit of the same person, day and practice
# as the office injection claim before it (EM_BUNDLED across claims).
COMPANION = Scenario("em_companion", 0, "office", ("em_office",), "lab")
ALL_SCENARIOS: tuple[Scenario, ...] = (*SCENARIOS, COMPANION)


# --------------------------------------------------------------------------
# SQL building blocks
# --------------------------------------------------------------------------


def quote(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def text_list(values: Sequence[str]) -> str:
    """A DuckDB list literal of strings."""
    return "[" + ", ".join(quote(value) for value in values) + "]"


def hashed(seed: int, key: str, salt: str) -> str:
    """A pseudo-random unsigned integer of the seed, a row key and a salt."""
    return f"hash({seed}, {key}, {quote(salt)})"


def uniform(seed: int, key: str, salt: str) -> str:
    """A pseudo-random number in [0, 1) of the seed, a key and a salt."""
    return f"({hashed(seed, key, salt)} % 1000000) / 1000000.0"


def pick(values: Sequence[str], seed: int, key: str, salt: str) -> str:
    """One of the values, chosen by the hash of the key."""
    index = f"1 + cast({hashed(seed, key, salt)} % {len(values)} as integer)"
    return f"{text_list(values)}[{index}]"


def scenario_index(seed: int, key: str) -> str:
    """The 1-based index into SCENARIOS of the claim with this key."""
    total = sum(scenario.weight for scenario in SCENARIOS)
    draw = uniform(seed, key, "scenario")
    branches = []
    running = 0.0
    for index, scenario in enumerate(SCENARIOS[:-1], start=1):
        running += scenario.weight
        branches.append(f"when {draw} < {running / total:.6f} then {index}")
    return f"case {' '.join(branches)} else {len(SCENARIOS)} end"


def scenario_attribute(index: str, values: Sequence[str]) -> str:
    """One text attribute of the scenario with this 1-based index."""
    return f"{text_list(values)}[{index}]"


def core_lists() -> str:
    """A list literal of each scenario's core groups, by index."""
    return "[" + ", ".join(text_list(s.core) for s in ALL_SCENARIOS) + "]"


def npi(entity: str, seed: int) -> str:
    """A made-up 10-digit NPI, unique for each entity number below 10**9
    (multiplying by 3**18 is a bijection modulo 10**9)."""
    offset = seed % 1_000_000_000
    body = f"(({entity}) * 387420489 + {offset}) % 1000000000"
    return f"'1' || lpad(cast({body} as varchar), 9, '0')"


def tin(entity: str, seed: int) -> str:
    """A made-up 9-digit TIN, unique for each entity number below 10**9."""
    offset = (seed * 7) % 1_000_000_000
    body = f"(({entity}) * 1977326743 + {offset}) % 1000000000"
    return f"lpad(cast({body} as varchar), 9, '0')"


def code_case(group: str, seed: int, key: str) -> str:
    """The HCPCS code of a line of the group named by the SQL `group`."""
    branches = [
        f"when {quote(name)} then {pick(codes, seed, key, 'code_' + name)}"
        for name, codes in GROUPS.items()
    ]
    return f"case {group} {' '.join(branches)} end"


def number_case(code: str, values: dict[str, float], default: str) -> str:
    """A CASE that maps codes to numbers."""
    branches = " ".join(
        f"when {quote(key)} then {value!r}" for key, value in values.items()
    )
    return f"case {code} {branches} else {default} end"


def drug_dose(code: str, seed: int, key: str) -> str:
    """HCPCS units of a drug line: one of the drug's usual doses."""
    branches = " ".join(
        f"when {quote(name)} then "
        f"[{', '.join(str(d) for d in drug.doses)}]"
        f"[1 + cast({hashed(seed, key, 'dose')} % {len(drug.doses)} as int)]"
        for name, drug in DRUGS.items()
    )
    return f"case {code} {branches} else 1 end"


def revenue_case(code: str, group: str) -> str:
    """The UB-04 revenue code of an institutional line."""
    known = " ".join(
        f"when {quote(key)} then {quote(value)}"
        for key, value in REVENUE_BY_CODE.items()
    )
    return (
        f"case when {group} = 'room' then '0120' "
        f"when {code} like 'J%' then '0636' "
        f"when {code} between '96360' and '96549' then '0260' "
        f"when {code} like '97%' then '0420' "
        f"when {code} between '99281' and '99285' then '0450' "
        f"else case {code} {known} else '0300' end end"
    )


# --------------------------------------------------------------------------
# Claims, lines and authorizations
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """Pool sizes derived from the number of lines."""

    lines: int
    persons: int
    heavy_persons: int
    practices: int
    facilities: int

    @property
    def claim_slots(self) -> int:
        """Claim numbers to draw from: enough for N lines at 2 a claim."""
        return self.lines // 2 + 10


def sizes_for(lines: int) -> Sizes:
    """Pools that grow with the volume, so persons have many claims."""
    persons = max(10, lines // LINES_PER_PERSON)
    return Sizes(
        lines=lines,
        persons=persons,
        heavy_persons=max(1, int(persons * HEAVY_USER_POOL)),
        practices=max(20, lines // LINES_PER_PRACTICE),
        facilities=max(5, lines // LINES_PER_FACILITY),
    )


def admin_scenario_indexes() -> list[int]:
    """1-based indexes of the scenarios with an administration line."""
    return [
        index
        for index, scenario in enumerate(SCENARIOS, start=1)
        if ADMIN_GROUPS.intersection(scenario.core)
    ]


def scenario_number(name: str) -> int:
    """The 1-based index of a scenario by name."""
    return 1 + [s.name for s in ALL_SCENARIOS].index(name)


def keyed_claims_sql(seed: int, sizes: Sizes) -> str:
    """Claim numbers with their own scenario and, for odd claims, the
    scenario of the claim before (which an odd claim may be linked to)."""
    own = scenario_index(seed, "claim_no")
    previous = scenario_index(seed, "claim_no - 1")
    return f"""
        select
            claim_no,
            {own} as own_scenario,
            case when claim_no % 2 = 1 then {previous} end
                as previous_scenario,
            {uniform(seed, "claim_no", "link")} as link_draw
        from range({sizes.claim_slots}) as slots(claim_no)
    """


def claims_sql(seed: int, sizes: Sizes) -> str:
    """One row per claim: scenario, keys, person, day, providers and its
    first line number; only claims that start before line N."""
    admin_list = ", ".join(str(i) for i in admin_scenario_indexes())
    injection = scenario_number("office_injection")
    companion = scenario_number(COMPANION.name)
    cores = core_lists()
    settings = [s.setting for s in ALL_SCENARIOS]
    ctx = "context_no"
    person = (
        f"case when {uniform(seed, ctx, 'heavy')} < {HEAVY_USER_SHARE} "
        f"then {hashed(seed, ctx, 'heavy_person')} % {sizes.heavy_persons} "
        f"else {hashed(seed, ctx, 'person')} % {sizes.persons} end"
    )
    home = HOME_PROVIDER_SHARE
    practice = (
        f"case when {uniform(seed, ctx, 'home_practice')} < {home} "
        f"then {hashed(seed, 'person_no', 'practice')} % {sizes.practices} "
        f"else {hashed(seed, ctx, 'practice')} % {sizes.practices} end"
    )
    facility = (
        f"case when {uniform(seed, ctx, 'home_facility')} < {home} "
        f"then {hashed(seed, 'person_no', 'facility')} % {sizes.facilities} "
        f"else {hashed(seed, ctx, 'facility')} % {sizes.facilities} end"
    )
    lines = (
        f"least(5, greatest(len({cores}[scenario]), "
        f"2 + cast({hashed(seed, 'content_no', 'lines')} % 4 as integer)))"
    )
    return f"""
        with keyed as ({keyed_claims_sql(seed, sizes)}),
        linked as (
            select
                claim_no,
                case
                    when previous_scenario in ({admin_list})
                        and link_draw < {DUPLICATE_SHARE}
                        then 'duplicate'
                    when previous_scenario = {injection}
                        and link_draw >= {DUPLICATE_SHARE}
                        and link_draw < {DUPLICATE_SHARE + COMPANION_SHARE}
                        then 'companion'
                end as link_kind,
                own_scenario,
                previous_scenario
            from keyed
        ),
        keys as (
            select
                claim_no,
                link_kind,
                case link_kind
                    when 'duplicate' then previous_scenario
                    when 'companion' then {companion}
                    else own_scenario
                end as scenario,
                case when link_kind = 'duplicate' then claim_no - 1
                    else claim_no end as content_no,
                case when link_kind is not null then claim_no - 1
                    else claim_no end as context_no
            from linked
        ),
        persons as (
            select *, {person} as person_no from keys
        ),
        drawn as (
            select
                *,
                {scenario_attribute("scenario", settings)} as setting,
                {lines} as line_count,
                {practice} as practice_no,
                {facility} as facility_no,
                cast(date '{FIRST_DAY}' + cast(
                    {hashed(seed, ctx, "day")} % {DAYS} as integer
                ) as date) as service_day
            from persons
        ),
        placed as (
            select
                *,
                sum(line_count) over (
                    order by claim_no rows unbounded preceding
                ) - line_count as first_line
            from drawn
        )
        select * from placed where first_line < {sizes.lines}
        order by claim_no
    """


def line_rows_sql(seed: int, sizes: Sizes) -> str:
    """One row per line with its group, code and units (before the
    contract columns are formatted)."""
    cores = core_lists()
    fillers = text_list([s.filler for s in ALL_SCENARIOS])
    group = (
        f"case when line_index < len({cores}[scenario]) "
        f"then {cores}[scenario][line_index + 1] "
        f"else {fillers}[scenario] end"
    )
    return f"""
        with exploded as (
            select
                claims.*,
                unnest(range(line_count)) as line_index
            from claims
        ),
        grouped as (
            select
                *,
                content_no * 8 + line_index as line_key,
                first_line + line_index as line_no,
                {group} as code_group
            from exploded
        )
        select *, {code_case("code_group", seed, "line_key")} as code
        from grouped
        where line_no < {sizes.lines}
    """


def modifier_sql(seed: int) -> str:
    """The first modifier of a line: 25 on some E/M lines (and, wrongly,
    on a few administration lines), 59 on some pushes, JZ on drugs."""
    draw = uniform(seed, "line_key", "modifier")
    return f"""case
        when code_group in ('em_office', 'em_ed', 'clinic') and {draw} < 0.3
            then '25'
        when is_admin and {draw} < 0.005 then '25'
        when code_group = 'push' and {draw} > 0.97 then '59'
        when is_drug and {draw} < 0.4 then 'JZ'
    end"""


def ndc_sql(seed: int) -> str:
    """The NDC of a drug line: one of two per code, sometimes hyphenated,
    sometimes missing or malformed."""
    variant = f"{hashed(seed, 'code', 'ndc_variant')} % 2"
    ndc = (
        f"lpad(cast(hash({seed}, code, {variant}) % 100000000000 "
        "as varchar), 11, '0')"
    )
    draw = uniform(seed, "line_key", "ndc")
    bad = BAD_NDC_SHARE
    hyphen = bad + HYPHENATED_NDC_SHARE
    return f"""case
        when not is_drug then null
        when {draw} < {bad / 2} then null
        when {draw} < {bad}
            then substr({ndc}, 1, 5) || '-' || substr({ndc}, 6, 3)
        when {draw} < {hyphen} then substr({ndc}, 1, 5) || '-'
            || substr({ndc}, 6, 4) || '-' || substr({ndc}, 10, 2)
        else {ndc}
    end"""


def units_sql(seed: int) -> str:
    """HCPCS units: a dose for drugs, 1 to 3 further hours for add-ons."""
    extra = f"1 + cast({hashed(seed, 'line_key', 'hours')} % 3 as integer)"
    return f"""case
        when is_drug then {drug_dose("code", seed, "line_key")}
        when code_group in ('infusion_addon', 'hydration_addon') then {extra}
        else 1
    end"""


def amount_sql() -> str:
    """Charge of a line: unit price times units."""
    drug_prices = {name: drug.unit_price for name, drug in DRUGS.items()}
    fees = {k: v for k, v in SERVICE_FEES.items() if not k.startswith("rev")}
    fees = {**EXTRA_FEES, **fees}
    price = number_case(
        "code",
        {**fees, **drug_prices},
        "case when code_group = 'room' then 2450.0 else 48.0 end",
    )
    return f"cast(({price}) * units as decimal(12, 2))"


def ndc_quantity_sql() -> str:
    """NDC quantity of a drug line, from its HCPCS units."""
    per_unit = {name: drug.ndc_per_unit for name, drug in DRUGS.items()}
    factor = number_case("code", per_unit, "1.0")
    return f"case when is_drug then round(units * ({factor}), 3) end"


def ndc_unit_sql() -> str:
    """NDC unit of measure of a drug line."""
    branches = " ".join(
        f"when {quote(name)} then {quote(drug.ndc_unit)}"
        for name, drug in DRUGS.items()
    )
    return f"case when is_drug then case code {branches} else 'UN' end end"


def minutes_sql(seed: int) -> str:
    """Documented minutes on a share of initial infusions (some short)."""
    draw = uniform(seed, "line_key", "minutes")
    minutes = f"10 + cast({hashed(seed, 'line_key', 'mins')} % 170 as int)"
    return f"""case
        when code_group in ('infusion', 'hydration', 'chemo')
            and {draw} < {MINUTES_SHARE}
            then {minutes}
    end"""


def line_values_sql(seed: int, sizes: Sizes) -> str:
    """Every line with its setting, units, modifier, NDC, minutes, dates
    and charge (the values the contract columns are formatted from)."""
    paid_lag = f"14 + cast({hashed(seed, 'claim_no', 'paid')} % 40 as int)"
    stay = f"1 + cast({hashed(seed, 'context_no', 'stay')} % 4 as int)"
    setting_map = {
        "claim_type": [SETTINGS[s.setting].claim_type for s in ALL_SCENARIOS],
        "pos": [SETTINGS[s.setting].place_of_service for s in ALL_SCENARIOS],
        "bill_type": [SETTINGS[s.setting].bill_type for s in ALL_SCENARIOS],
    }
    inpatient = [
        "true" if SETTINGS[s.setting].is_inpatient else "false"
        for s in ALL_SCENARIOS
    ]
    settings_select = ",\n                ".join(
        f"{scenario_attribute('scenario', values)} as {name}"
        for name, values in setting_map.items()
    )
    return f"""
        with line_rows as ({line_rows_sql(seed, sizes)}),
        kinds as (
            select
                *,
                code_group in ({", ".join(quote(g) for g in ADMIN_GROUPS)})
                    as is_admin,
                code like 'J%' as is_drug,
                {settings_select},
                [{", ".join(inpatient)}][scenario] as is_inpatient
            from line_rows
        ),
        valued as (
            select
                *,
                {units_sql(seed)} as units,
                {modifier_sql(seed)} as modifier_1,
                {ndc_sql(seed)} as ndc,
                {minutes_sql(seed)} as minutes,
                case when is_inpatient then service_day + {stay}
                    else service_day end as service_end,
                service_day + {paid_lag} as paid_day
            from kinds
        )
        select
            *,
            {amount_sql()} as charge,
            {ndc_quantity_sql()} as ndc_quantity,
            {ndc_unit_sql()} as ndc_unit
        from valued
    """


def person_id_sql() -> str:
    """The person id of a line."""
    return "'P' || lpad(cast(person_no as varchar), 8, '0')"


def contract_columns(seed: int, sizes: Sizes) -> dict[str, str]:
    """The SQL of each medical_claim column, in contract order."""
    clinicians = sizes.practices + sizes.facilities
    per = CLINICIANS_PER_PRACTICE
    clinician = (
        f"{clinicians} + practice_no * {per} + "
        f"{hashed(seed, 'context_no', 'clinician')} % {per}"
    )
    facility_entity = f"{sizes.practices} + facility_no"
    tin_only = uniform(seed, "context_no", "tin_only")
    blank = f"{uniform(seed, 'claim_no', 'blank')} < {BLANK_LINE_DATE_SHARE}"
    plan = pick(
        (
            "WI Marketplace Bronze",
            "WI Marketplace Silver",
            "WI Marketplace Silver",
            "WI Marketplace Gold",
        ),
        seed,
        "person_no",
        "plan",
    )
    drg = pick(DRG_CODES, seed, "content_no", "drg")
    columns = {
        "claim_id": "'C' || lpad(cast(claim_no as varchar), 10, '0')",
        "claim_line_number": "cast(line_index + 1 as varchar)",
        "person_id": person_id_sql(),
        "claim_start_date": "cast(service_day as varchar)",
        "hcpcs_code": "nullif(code, '')",
        "claim_type": "claim_type",
        "member_id": f"'M' || {tin('person_no', seed)}",
        "payer": "'CareSource'",
        "plan": (
            f"case when {uniform(seed, 'person_no', 'state')} < 0.05 "
            f"then 'OH Marketplace Silver' else {plan} end"
        ),
        "claim_end_date": "cast(service_end as varchar)",
        "claim_line_start_date": (
            f"case when {blank} then null else cast(service_day as varchar) end"
        ),
        "claim_line_end_date": (
            f"case when {blank} then null else cast(service_end as varchar) end"
        ),
        "place_of_service_code": "nullif(pos, '')",
        "bill_type_code": "nullif(bill_type, '')",
        "drg_code": f"case when is_inpatient then {drg} end",
        "revenue_center_code": (
            "case when claim_type = 'institutional' then "
            f"{revenue_case('code', 'code_group')} end"
        ),
        "service_unit_quantity": "cast(units as varchar)",
        "hcpcs_modifier_1": "modifier_1",
        "hcpcs_modifier_2": "cast(null as varchar)",
        "hcpcs_modifier_3": "cast(null as varchar)",
        "hcpcs_modifier_4": "cast(null as varchar)",
        "hcpcs_modifier_5": "cast(null as varchar)",
        "rendering_npi": npi(clinician, seed),
        "rendering_tin": (
            "case when claim_type = 'professional' then "
            f"{tin('practice_no', seed)} end"
        ),
        "billing_npi": (
            "case when claim_type = 'institutional' then "
            f"{npi(facility_entity, seed)} "
            f"when {tin_only} < {TIN_ONLY_SHARE} then null "
            f"else {npi('practice_no', seed)} end"
        ),
        "billing_tin": (
            "case when claim_type = 'institutional' then "
            f"{tin(facility_entity, seed)} "
            f"else {tin('practice_no', seed)} end"
        ),
        "facility_npi": (
            "case when claim_type = 'institutional' or pos = '22' then "
            f"{npi(facility_entity, seed)} end"
        ),
        "paid_date": "cast(paid_day as varchar)",
        "paid_amount": "cast(cast(charge * 0.52 as decimal(12, 2)) as varchar)",
        "allowed_amount": (
            "cast(cast(charge * 0.61 as decimal(12, 2)) as varchar)"
        ),
        "charge_amount": "cast(charge as varchar)",
        "diagnosis_code_1": pick(DX_CODES, seed, "context_no", "dx"),
        "data_source": "'volume'",
        "file_date": "cast(paid_day + 2 as varchar)",
        "ndc_code": "ndc",
        "ndc_quantity": "cast(ndc_quantity as varchar)",
        "ndc_unit": "ndc_unit",
        "administration_minutes": "cast(minutes as varchar)",
        "claim_frequency_code": "cast(null as varchar)",
        "original_claim_id": "cast(null as varchar)",
        "file_name": (
            "'volume_' || strftime(paid_day + 2, '%Y%m%d') || '.parquet'"
        ),
        "ingest_datetime": (
            "strftime(paid_day + 2, '%Y-%m-%d') || ' 06:00:00'"
        ),
        "source_row_number": "cast(line_no + 1 as varchar)",
    }
    if tuple(columns) != MEDICAL_CLAIM.columns:
        raise AssertionError("volume columns differ from the contract")
    return columns


def medical_claim_sql(seed: int, sizes: Sizes) -> str:
    """The medical_claim rows in contract column order, in line order."""
    select = ",\n            ".join(
        f"{expression} as {name}"
        for name, expression in contract_columns(seed, sizes).items()
    )
    return f"""
        select
            {select}
        from ({line_values_sql(seed, sizes)}) as line_values
    """


def prior_authorization_sql(seed: int, sizes: Sizes) -> str:
    """Authorizations for the drugs that need one. Of the drug lines of
    the prior-authorization scenarios (duplicates aside): most get an
    approved authorization that covers them (a few with too few units),
    some a denied one, some an approved one that ended before the
    service, and the rest none at all."""
    draw = uniform(seed, "line_key", "auth")
    lead = f"cast({hashed(seed, 'line_key', 'lead')} % 30 as int)"
    columns = {
        "authorization_id": "'A' || lpad(cast(line_no as varchar), 10, '0')",
        "person_id": person_id_sql(),
        "hcpcs_code": "code",
        "start_date": (
            "cast(case when auth_kind = 'expired' then service_day - 200 "
            "else auth_start end as varchar)"
        ),
        "end_date": (
            "cast(case when auth_kind = 'expired' then service_day - 20 "
            "else auth_start + 180 end as varchar)"
        ),
        "status": (
            "case when auth_kind = 'denied' then 'denied' else 'approved' end"
        ),
        "authorized_units": (
            "cast(case when auth_kind = 'short' then units - 1 "
            "else units * 6 end as varchar)"
        ),
    }
    if tuple(columns) != PRIOR_AUTHORIZATION.columns:
        raise AssertionError("authorization columns differ from the contract")
    select = ",\n            ".join(
        f"{expression} as {name}" for name, expression in columns.items()
    )
    return f"""
        with pa_lines as (
            select
                *,
                case
                    when {draw} < 0.55 then 'covering'
                    when {draw} < 0.62 then 'short'
                    when {draw} < 0.72 then 'denied'
                    when {draw} < 0.80 then 'expired'
                end as auth_kind,
                service_day - {lead} as auth_start
            from ({line_values_sql(seed, sizes)}) as line_values
            where code_group in ('drug_pa_iv', 'drug_pa_sc', 'drug_chemo')
                and link_kind is distinct from 'duplicate'
        )
        select
            {select}
        from pa_lines
        where auth_kind is not null
        order by line_no
    """


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def copy_to_parquet(
    connection: duckdb.DuckDBPyConnection, query: str, path: Path
) -> int:
    """Write the rows of a query to a Parquet file; return the row count."""
    connection.execute(f"copy ({query}) to {quote(str(path))} (format parquet)")
    rows = connection.execute(
        f"select count(*) from read_parquet({quote(str(path))})"
    ).fetchall()
    return int(rows[0][0])


def write_volume(
    out_dir: Path, lines: int, seed: int = DEFAULT_SEED
) -> dict[str, int]:
    """Generate and write both Parquet files; return their row counts.

    The claims are numbered and placed with every thread; the lines are
    then written by one thread, which streams them in line order with
    little memory (DuckDB may reorder the rows of a parallel COPY, and a
    sort of every wide row would cost more than it saves). The files are
    byte-identical for a seed."""
    if lines < 1:
        raise ValueError("the number of lines must be at least 1")
    out_dir.mkdir(parents=True, exist_ok=True)
    sizes = sizes_for(lines)
    with duckdb.connect() as connection:
        connection.execute(
            f"create temp table claims as {claims_sql(seed, sizes)}"
        )
        connection.execute("set threads = 1")
        return {
            MEDICAL_CLAIM.name: copy_to_parquet(
                connection,
                medical_claim_sql(seed, sizes),
                out_dir / f"{MEDICAL_CLAIM.name}.parquet",
            ),
            PRIOR_AUTHORIZATION.name: copy_to_parquet(
                connection,
                prior_authorization_sql(seed, sizes),
                out_dir / f"{PRIOR_AUTHORIZATION.name}.parquet",
            ),
        }


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = write_volume(args.out, args.lines, args.seed)
    seconds = time.perf_counter() - started
    for name, count in counts.items():
        print(f"{name}.parquet: {count} rows")
    print(
        f"{counts['medical_claim']} lines in {seconds:.1f} s "
        f"({counts['medical_claim'] / max(seconds, 1e-9):,.0f} lines/s)"
    )


if __name__ == "__main__":
    main()
