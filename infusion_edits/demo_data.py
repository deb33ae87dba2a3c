"""Deterministic demo claim set for the MP-PY-1771 infusion edits.

Generates a made-up claim feed for CareSource Wisconsin Marketplace
members covering June to November 2026. The feed mixes ordinary plan
traffic (office visits, labs, imaging, therapy, ED visits) with scenario
instances that exercise each rule of the Infusion & Injection
Administration policy, including the coding edits of section D.I (add-on
codes, one initial code per encounter, unit caps, route, substance and
duration of the administration, NDCs, modifiers and duplicate lines).
Every administration line and every drug line that is written gets a row
in a manifest that states the decision the claim edit engine is expected
to reach, so the manifest serves as a test oracle.

Files written into the output directory:

* ``medical_claim.csv``: claim lines in the input contract column order,
  plus the optional ``administration_minutes`` as the last column (filled
  only on the administration lines of the duration scenarios).
* ``prior_authorization.csv``: drug authorizations.
* ``expected_decisions.csv``: the scenario manifest.

The output depends only on the seed: the same seed gives byte-identical
files. Usage::

    python -m infusion_edits.demo_data --out DIR [--seed 20260601]
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

DEFAULT_SEED = 20260601
EFFECTIVE_DATE = date(2026, 6, 1)
WINDOW_END = date(2026, 11, 30)
MAY_2026 = (date(2026, 5, 1), date(2026, 5, 29))
PRE_EFFECTIVE_DAY = date(2026, 5, 15)
TARGET_LINES = 3600
PERSON_COUNT = 600
OH_SHARE = 0.05
THREE_CHAR_BILL_TYPE_SHARE = 0.10
HYPHENATED_NDC_SHARE = 0.05
BLANK_LINE_DATES_SHARE = 0.03

PAYER = "CareSource"
WI_PLANS = (
    "WI Marketplace Bronze",
    "WI Marketplace Silver",
    "WI Marketplace Gold",
)
WI_PLAN_WEIGHTS = (3, 5, 2)
OH_PLAN = "OH Marketplace Silver"
# Vars of the demo run: only the Wisconsin Marketplace plans are in scope.
DEMO_VARS: dict[str, object] = {"in_scope_plans": list(WI_PLANS)}

RULE_DATE = "OUT_OF_SCOPE_DATE"
RULE_PLAN = "OUT_OF_SCOPE_PLAN"
RULE_SETTING = "OUT_OF_SCOPE_SETTING"
RULE_CHEMO = "EXCLUDED_CHEMO"
RULE_HYDRATION = "EXCLUDED_HYDRATION"
RULE_HOME = "EXCLUDED_HOME_HEALTH"
RULE_EM = "EM_BUNDLED"
RULE_FACILITY = "FACILITY_NOT_PRIMARY"
RULE_PA_MISSING = "PA_MISSING"
RULE_PA_UNITS = "PA_UNITS_EXCEEDED"
RULE_DUPLICATE = "DUPLICATE_LINE"
RULE_FACILITY_ONLY = "FACILITY_ONLY_CODE"
RULE_MODIFIER = "MODIFIER_INVALID"
RULE_ADDON = "ADDON_NO_PRIMARY"
RULE_SECOND_INITIAL = "SECOND_INITIAL"
RULE_UNITS_MAX = "UNITS_OVER_MAX"
RULE_DURATION = "DURATION_MISMATCH"
RULE_NDC = "NDC_INVALID"
RULE_ROUTE = "ROUTE_MISMATCH"
RULE_SUBSTANCE = "SUBSTANCE_MISMATCH"
RULE_NO_DRUG = "NO_DRUG_BILLED"
RULE_IDS = (
    RULE_DATE,
    RULE_PLAN,
    RULE_SETTING,
    RULE_CHEMO,
    RULE_HYDRATION,
    RULE_HOME,
    RULE_EM,
    RULE_FACILITY,
    RULE_PA_MISSING,
    RULE_PA_UNITS,
    RULE_DUPLICATE,
    RULE_FACILITY_ONLY,
    RULE_MODIFIER,
    RULE_ADDON,
    RULE_SECOND_INITIAL,
    RULE_UNITS_MAX,
    RULE_DURATION,
    RULE_NDC,
    RULE_ROUTE,
    RULE_SUBSTANCE,
    RULE_NO_DRUG,
)

CLAIM_COLUMNS = (
    "claim_id",
    "claim_line_number",
    "claim_type",
    "person_id",
    "member_id",
    "payer",
    "plan",
    "claim_start_date",
    "claim_end_date",
    "claim_line_start_date",
    "claim_line_end_date",
    "admission_date",
    "discharge_date",
    "place_of_service_code",
    "bill_type_code",
    "drg_code_type",
    "drg_code",
    "revenue_center_code",
    "service_unit_quantity",
    "hcpcs_code",
    "hcpcs_modifier_1",
    "hcpcs_modifier_2",
    "hcpcs_modifier_3",
    "hcpcs_modifier_4",
    "hcpcs_modifier_5",
    "rendering_npi",
    "rendering_tin",
    "billing_npi",
    "billing_tin",
    "facility_npi",
    "paid_date",
    "paid_amount",
    "allowed_amount",
    "charge_amount",
    "diagnosis_code_type",
    "diagnosis_code_1",
    "diagnosis_code_2",
    "diagnosis_code_3",
    "in_network_flag",
    "data_source",
    "file_name",
    "file_date",
    "ingest_datetime",
    "ndc_code",
    "ndc_quantity",
    "ndc_unit",
    "administration_minutes",
)
AUTH_COLUMNS = (
    "authorization_id",
    "person_id",
    "hcpcs_code",
    "start_date",
    "end_date",
    "authorized_units",
    "status",
)
MANIFEST_COLUMNS = (
    "claim_id",
    "claim_line_number",
    "scenario",
    "expected_decision",
    "expected_rule_id",
)

PA_DRUGS = ("J1745", "J3380", "J2350", "J1569", "J0897", "J2357")


@dataclass(frozen=True)
class Drug:
    """Dosing and pricing facts for one drug HCPCS code."""

    doses: tuple[int, ...]  # typical HCPCS units per administration
    ndc_unit: str
    ndc_per_unit: float  # NDC quantity per HCPCS unit
    unit_price: float  # charge per HCPCS unit, dollars


DRUGS: dict[str, Drug] = {
    "J0696": Drug((4, 8), "UN", 0.25, 9.0),
    "J0897": Drug((60,), "ML", 1 / 60, 48.0),
    "J1030": Drug((1,), "ML", 1.0, 9.0),
    "J1040": Drug((1,), "ML", 1.0, 16.0),
    "J1100": Drug((4, 8, 10), "ML", 0.25, 1.0),
    "J1200": Drug((1,), "ML", 1.0, 4.0),
    "J1569": Drug((60, 80, 120), "ML", 5.0, 85.0),
    "J1745": Drug((30, 40, 50), "UN", 0.1, 125.0),
    "J1756": Drug((100, 200), "ML", 0.05, 1.4),
    "J1885": Drug((2, 4), "ML", 0.5, 4.0),
    "J2350": Drug((300, 600), "ML", 1 / 30, 98.0),
    "J2357": Drug((30, 60), "UN", 1 / 30, 58.0),
    "J2405": Drug((4, 8), "ML", 0.5, 1.5),
    "J2930": Drug((1,), "UN", 1.0, 14.0),
    "J3301": Drug((4, 8), "ML", 0.1, 5.0),
    "J3380": Drug((300,), "UN", 1 / 300, 46.0),
    "J3420": Drug((1,), "ML", 1.0, 5.0),
    "J7030": Drug((1, 2), "ML", 1000.0, 28.0),
    "J7050": Drug((1, 2), "ML", 250.0, 16.0),
    "J7120": Drug((1, 2), "ML", 1000.0, 30.0),
    "J9045": Drug((8, 10, 12), "ML", 5.0, 11.0),
    "J9271": Drug((200, 400), "ML", 0.04, 80.0),
    "J9312": Drug((60, 70, 80), "ML", 1.0, 115.0),
}

# Charge per unit in dollars for non-drug services; "rev" keys price
# institutional lines that carry no HCPCS code.
SERVICE_FEES: dict[str, float] = {
    "99203": 185.0,
    "99204": 275.0,
    "99212": 95.0,
    "99213": 150.0,
    "99214": 225.0,
    "99215": 305.0,
    "99283": 460.0,
    "99284": 820.0,
    "99285": 1310.0,
    "99348": 210.0,
    "99386": 290.0,
    "99395": 255.0,
    "99396": 270.0,
    "G0463": 265.0,
    "G0378": 62.0,
    "G0299": 185.0,
    "99601": 215.0,
    "99602": 95.0,
    "96360": 265.0,
    "96361": 72.0,
    "96365": 315.0,
    "96366": 88.0,
    "96367": 130.0,
    "96368": 84.0,
    "96372": 56.0,
    "96374": 182.0,
    "96376": 64.0,
    "96409": 295.0,
    "96413": 525.0,
    "96415": 112.0,
    "36415": 12.0,
    "80053": 46.0,
    "80061": 55.0,
    "83036": 41.0,
    "84443": 60.0,
    "85025": 36.0,
    "71046": 212.0,
    "72100": 190.0,
    "73562": 175.0,
    "97110": 86.0,
    "97140": 79.0,
    "97530": 92.0,
    "rev0120": 2450.0,
}

REVENUE_BY_CODE: dict[str, str] = {
    "99283": "0450",
    "99284": "0450",
    "99285": "0450",
    "G0463": "0510",
    "G0378": "0762",
    "G0299": "0551",
    "36415": "0300",
    "80053": "0301",
    "80061": "0301",
    "83036": "0301",
    "84443": "0301",
    "85025": "0305",
    "71046": "0324",
    "72100": "0320",
    "73562": "0320",
}

DX: dict[str, tuple[str, ...]] = {
    "pain": ("M545", "M5450", "M25561", "M7918", "G43909"),
    "joint": ("M170", "M1711", "M7551", "M25511"),
    "b12": ("D510", "E538", "D518"),
    "nausea": ("R112", "A084", "R1110"),
    "infection": ("J0190", "J189", "N390", "L03116"),
    "inflammation": ("J0190", "L237", "J4541", "T7840XA"),
    "iron": ("D509", "D631"),
    "ibd": ("K5090", "K5190", "M0579", "L4050"),
    "ms": ("G35",),
    "immune": ("D801", "G6181"),
    "osteo": ("M810",),
    "asthma": ("J4550", "L501"),
    "cancer": ("C3490", "C50919", "C8330", "C189"),
    "dehydration": ("E860", "R112", "A084"),
    "chest": ("R0789", "R55", "R0600"),
    "general": ("I10", "E119", "E785", "J069", "M545", "F419", "K219"),
    "preventive": ("Z0000", "Z0001"),
    "rehab": ("M545", "M25511", "M6281"),
    "comorbid": ("I10", "E119", "E785", "Z794", "F329"),
}

PA_DRUG_DX = {
    "J1745": "ibd",
    "J3380": "ibd",
    "J2350": "ms",
    "J1569": "immune",
    "J0897": "osteo",
    "J2357": "asthma",
}


# --------------------------------------------------------------------------
# Code classification (mirrors the engine's line kinds)
# --------------------------------------------------------------------------


def is_admin_code(code: str) -> bool:
    """True for administration codes 96360-96379 and 96401-96549."""
    if not code.isdigit():
        return False
    value = int(code)
    return 96360 <= value <= 96379 or 96401 <= value <= 96549


def is_drug_code(code: str) -> bool:
    """True for drug lines: any HCPCS code starting with J."""
    return code.startswith("J")


def npi_check_digit(base: str) -> str:
    """Luhn check digit of a 9-digit NPI base, with the 80840 prefix."""
    total = 0
    for position, char in enumerate(reversed("80840" + base)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return str((10 - total % 10) % 10)


# --------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """Expected engine decision for one line."""

    decision: str
    rule_id: str = ""


PAY = Expect("pay")


def deny(rule_id: str) -> Expect:
    """Expectation of a deny decision by ``rule_id``."""
    return Expect("deny", rule_id)


def skip(rule_id: str) -> Expect:
    """Expectation that the policy does not apply, by ``rule_id``."""
    return Expect("not_applied", rule_id)


def review(rule_id: str) -> Expect:
    """Expectation of a manual review decision by ``rule_id``."""
    return Expect("review", rule_id)


@dataclass(frozen=True)
class Person:
    """A made-up member."""

    person_id: str
    member_id: str
    plan: str


@dataclass(frozen=True)
class Practice:
    """A professional billing provider with its clinicians."""

    billing_npi: str
    tin: str
    clinicians: tuple[str, ...]
    in_network: str


@dataclass(frozen=True)
class Facility:
    """An institutional provider (hospital, home health agency)."""

    npi: str
    tin: str
    in_network: str


@dataclass(frozen=True)
class Line:
    """One claim line before ids and amounts are assigned."""

    hcpcs: str
    units: int = 1
    modifiers: tuple[str, ...] = ()
    revenue: str = ""
    expect: Expect | None = None
    ndc: str = ""
    ndc_quantity: str = ""
    ndc_unit: str = ""
    minutes: str = ""


@dataclass
class Claim:
    """One claim with its lines and provider context."""

    scenario: str
    claim_type: str
    person: Person
    start: date
    end: date
    lines: list[Line]
    dx: tuple[str, ...]
    sort_key: float
    pos: str = ""
    bill_type: str = ""
    practice: Practice | None = None
    facility: Facility | None = None
    rendering_npi: str = ""
    drg: str = ""
    blank_line_dates: bool = False
    paid_lag: int | None = None  # days from service to payment; else random


@dataclass(frozen=True)
class Auth:
    """One prior authorization row before its id is assigned."""

    person_id: str
    hcpcs: str
    start: date
    end: date
    units: int
    status: str


@dataclass
class DemoData:
    """All generated rows, ready to be written."""

    claim_rows: list[dict[str, str]] = field(default_factory=list)
    auth_rows: list[dict[str, str]] = field(default_factory=list)
    manifest_rows: list[dict[str, str]] = field(default_factory=list)


# --------------------------------------------------------------------------
# Builder: random choices, providers, slots and claims
# --------------------------------------------------------------------------


class Builder:
    """Holds the seeded generator and everything built so far."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._npis: set[str] = set()
        self._tins: set[str] = set()
        self._slots: set[tuple[str, date]] = set()
        self._pa_persons: set[str] = set()
        self.claims: list[Claim] = []
        self.auths: list[Auth] = []
        self._unseen: list[Person] | None = None
        self.ndcs = self._make_ndcs()
        self.pools = self._make_persons()

    # identifiers ---------------------------------------------------------

    def new_npi(self) -> str:
        """A unique made-up NPI with a valid check digit."""
        while True:
            base = self.rng.choice("12") + f"{self.rng.randrange(10**8):08d}"
            npi = base + npi_check_digit(base)
            if npi not in self._npis:
                self._npis.add(npi)
                return npi

    def new_tin(self) -> str:
        """A unique made-up 9-digit TIN."""
        while True:
            tin = f"{self.rng.randrange(10, 99)}{self.rng.randrange(10**7):07d}"
            if tin not in self._tins:
                self._tins.add(tin)
                return tin

    def _network_flag(self) -> str:
        return "1" if self.rng.random() < 0.95 else "0"

    def new_practice(self, *, tin_only: bool = False) -> Practice:
        """A new professional practice; ``tin_only`` omits the NPI."""
        npi = self.new_npi()
        clinicians = tuple(
            self.new_npi() for _ in range(self.rng.randint(1, 3))
        )
        return Practice(
            billing_npi="" if tin_only else npi,
            tin=self.new_tin(),
            clinicians=clinicians,
            in_network=self._network_flag(),
        )

    def new_facility(self) -> Facility:
        """A new institutional provider."""
        return Facility(self.new_npi(), self.new_tin(), self._network_flag())

    def _make_ndcs(self) -> dict[str, tuple[str, ...]]:
        ndcs: dict[str, tuple[str, ...]] = {}
        for code in sorted(DRUGS):
            ndcs[code] = tuple(self._new_ndc() for _ in range(2))
        return ndcs

    def _new_ndc(self) -> str:
        labeler = f"{self.rng.randrange(1, 80000):05d}"
        product = f"{self.rng.randrange(1, 10000):04d}"
        package = f"{self.rng.randrange(1, 100):02d}"
        return labeler + product + package

    def _make_persons(self) -> dict[str, list[Person]]:
        member_numbers = self.rng.sample(range(100000, 1000000), PERSON_COUNT)
        pools: dict[str, list[Person]] = {"wi": [], "oh": []}
        for index, number in enumerate(member_numbers, start=1):
            if self.rng.random() < OH_SHARE:
                plan, pool = OH_PLAN, "oh"
            else:
                plan = self.rng.choices(WI_PLANS, WI_PLAN_WEIGHTS)[0]
                pool = "wi"
            person = Person(f"P{index:06d}", f"M{number:06d}", plan)
            pools[pool].append(person)
        return pools

    def filler_person(self) -> Person:
        """Each person once in shuffled order, then anyone at random."""
        everyone = self.pools["wi"] + self.pools["oh"]
        if self._unseen is None:
            self._unseen = self.rng.sample(everyone, len(everyone))
        if self._unseen:
            return self._unseen.pop()
        return self.rng.choice(everyone)

    # dates and slots -----------------------------------------------------

    def random_day(
        self,
        window: tuple[date, date],
        offsets: Sequence[int] = (0,),
        weekdays: bool = True,
    ) -> date:
        """An anchor day so that every offset day lies in ``window``."""
        first = window[0] - timedelta(days=min(offsets))
        last = window[1] - timedelta(days=max(offsets))
        span = (last - first).days
        while True:
            day = first + timedelta(days=self.rng.randint(0, span))
            days = [day + timedelta(days=o) for o in offsets]
            if not weekdays or all(d.weekday() < 5 for d in days):
                return day

    def take_slot(
        self,
        *,
        pool: str = "wi",
        pa: bool = False,
        offsets: Sequence[int] = (0,),
        window: tuple[date, date] = (EFFECTIVE_DATE, WINDOW_END),
        weekdays: bool = True,
        day: date | None = None,
    ) -> tuple[Person, date]:
        """Reserve fresh (person, day) slots for one scenario instance.

        ``pa`` instances also get a person never used by another
        prior-authorization instance, so authorizations cannot leak.
        """
        for _ in range(10_000):
            person = self.rng.choice(self.pools[pool])
            if pa and person.person_id in self._pa_persons:
                continue
            anchor = day or self.random_day(window, offsets, weekdays)
            keys = [
                (person.person_id, anchor + timedelta(days=o)) for o in offsets
            ]
            if any(key in self._slots for key in keys):
                continue
            self._slots.update(keys)
            if pa:
                self._pa_persons.add(person.person_id)
            return person, anchor
        raise RuntimeError("no free slot left")

    def free_pa_person(self) -> Person:
        """A Wisconsin person not yet tied to any authorization."""
        candidates = [
            p for p in self.pools["wi"] if p.person_id not in self._pa_persons
        ]
        person = self.rng.choice(candidates)
        self._pa_persons.add(person.person_id)
        return person

    # lines ---------------------------------------------------------------

    def admin(
        self,
        code: str,
        expect: Expect = PAY,
        units: int = 1,
        *,
        modifiers: tuple[str, ...] = (),
        minutes: int | None = None,
    ) -> Line:
        """An administration line, optionally with its total minutes."""
        return Line(
            code,
            units,
            modifiers=modifiers,
            expect=expect,
            minutes="" if minutes is None else str(minutes),
        )

    def drug(
        self, code: str, expect: Expect = PAY, units: int | None = None
    ) -> Line:
        """A drug line with a made-up NDC and a matching NDC quantity."""
        spec = DRUGS[code]
        dose = units if units is not None else self.rng.choice(spec.doses)
        ndc = self.rng.choice(self.ndcs[code])
        if self.rng.random() < HYPHENATED_NDC_SHARE:
            ndc = f"{ndc[:5]}-{ndc[5:9]}-{ndc[9:]}"
        modifiers = ("JZ",) if self.rng.random() < 0.4 else ()
        return Line(
            code,
            dose,
            modifiers=modifiers,
            expect=expect,
            ndc=ndc,
            ndc_quantity=f"{dose * spec.ndc_per_unit:.3f}",
            ndc_unit=spec.ndc_unit,
        )

    @staticmethod
    def svc(
        code: str,
        units: int = 1,
        modifiers: tuple[str, ...] = (),
        revenue: str = "",
    ) -> Line:
        """A line outside the policy (E/M, lab, imaging, room and board)."""
        return Line(code, units, modifiers=modifiers, revenue=revenue)

    def dx(self, group: str, first: str = "") -> tuple[str, ...]:
        """One to three diagnosis codes led by ``first`` or the group."""
        codes = [first] if first else []
        codes.append(self.rng.choice(DX[group]))
        if self.rng.random() < 0.4:
            extra = self.rng.choice(DX["comorbid"])
            if extra not in codes:
                codes.append(extra)
        return tuple(codes[:3])

    # claims --------------------------------------------------------------

    def professional(
        self,
        scenario: str,
        person: Person,
        day: date,
        practice: Practice,
        lines: list[Line],
        dx: tuple[str, ...],
        pos: str = "11",
        *,
        paid_lag: int | None = None,
    ) -> None:
        """Add a single-day professional claim."""
        self.claims.append(
            Claim(
                scenario=scenario,
                claim_type="professional",
                person=person,
                start=day,
                end=day,
                lines=lines,
                dx=dx,
                sort_key=self.rng.random(),
                pos=pos,
                practice=practice,
                rendering_npi=self.rng.choice(practice.clinicians),
                blank_line_dates=self.rng.random() < BLANK_LINE_DATES_SHARE,
                paid_lag=paid_lag,
            )
        )

    def institutional(
        self,
        scenario: str,
        person: Person,
        day: date,
        facility: Facility,
        lines: list[Line],
        dx: tuple[str, ...],
        bill_type: str = "0131",
        stay_days: int = 1,
        drg: str = "",
    ) -> None:
        """Add an institutional claim; revenue codes default by HCPCS."""
        if len(bill_type) == 4 and self._three_char():
            bill_type = bill_type[1:]
        self.claims.append(
            Claim(
                scenario=scenario,
                claim_type="institutional",
                person=person,
                start=day,
                end=day + timedelta(days=stay_days - 1),
                lines=[with_revenue(line) for line in lines],
                dx=dx,
                sort_key=self.rng.random(),
                bill_type=bill_type,
                facility=facility,
                drg=drg,
            )
        )

    def _three_char(self) -> bool:
        return self.rng.random() < THREE_CHAR_BILL_TYPE_SHARE

    def authorize(
        self,
        person: Person,
        code: str,
        start: date,
        units: int,
        status: str = "approved",
        days: int = 180,
    ) -> None:
        """Add an authorization running ``days`` days from ``start``."""
        end = start + timedelta(days=days - 1)
        self.auths.append(
            Auth(person.person_id, code, start, end, units, status)
        )


def default_revenue(code: str) -> str:
    """Usual revenue code of an institutional line by its HCPCS code."""
    if is_admin_code(code):
        return "0335" if int(code) >= 96401 else "0260"
    if code.startswith(("J70", "J71")):
        return "0258"
    if is_drug_code(code):
        return "0636"
    return REVENUE_BY_CODE[code]


def with_revenue(line: Line) -> Line:
    """The line with its default revenue code unless one is set."""
    if line.revenue:
        return line
    return replace(line, revenue=default_revenue(line.hcpcs))


def days_after(day: date, low: int, high: int, rng: random.Random) -> date:
    """A day ``low``..``high`` days after ``day``."""
    return day + timedelta(days=rng.randint(low, high))


# --------------------------------------------------------------------------
# Scenarios: each function builds one isolated instance
# --------------------------------------------------------------------------

Scenario = Callable[[Builder, str], None]


def em_same_claim(b: Builder, name: str) -> None:
    """Office E/M, injection and drug on one claim."""
    person, day = b.take_slot()
    lines = [
        b.svc("99213"),
        b.admin("96372", deny(RULE_EM)),
        b.drug("J1885"),
    ]
    b.professional(name, person, day, b.new_practice(), lines, b.dx("pain"))


def em_modifier_25(b: Builder, name: str) -> None:
    """Modifier 25 on the E/M does not unbundle the injection."""
    person, day = b.take_slot()
    lines = [
        b.svc("99214", modifiers=("25",)),
        b.admin("96372", deny(RULE_EM)),
        b.drug("J3301"),
    ]
    b.professional(name, person, day, b.new_practice(), lines, b.dx("joint"))


def _em_then_injection(
    b: Builder, name: str, *, tin_only: bool = False
) -> None:
    person, day = b.take_slot()
    practice = b.new_practice(tin_only=tin_only)
    visit = [b.svc(b.rng.choice(("99213", "99214")))]
    b.professional(name, person, day, practice, visit, b.dx("general"))
    code = b.rng.choice(("J1885", "J1100", "J3420"))
    shots = [b.admin("96372", deny(RULE_EM)), b.drug(code)]
    b.professional(name, person, day, practice, shots, b.dx("pain"))


def em_separate_claim(b: Builder, name: str) -> None:
    """E/M and injection on two claims, same day, same billing NPI."""
    _em_then_injection(b, name)


def em_separate_claim_tin_key(b: Builder, name: str) -> None:
    """As above, for a practice that bills without an NPI (TIN key)."""
    _em_then_injection(b, name, tin_only=True)


def em_prior_day(b: Builder, name: str) -> None:
    """E/M the day before the injection, same practice: paid."""
    person, day = b.take_slot(offsets=(-1, 0))
    practice = b.new_practice()
    before = day - timedelta(days=1)
    visit = [b.svc("99213")]
    b.professional(name, person, before, practice, visit, b.dx("b12"))
    shots = [b.admin("96372"), b.drug("J3420")]
    b.professional(name, person, day, practice, shots, b.dx("b12"))


def em_other_practice(b: Builder, name: str) -> None:
    """E/M the same day at a different practice: paid."""
    person, day = b.take_slot()
    visit = [b.svc("99213")]
    b.professional(name, person, day, b.new_practice(), visit, b.dx("general"))
    shots = [b.admin("96372"), b.drug("J1885")]
    b.professional(name, person, day, b.new_practice(), shots, b.dx("pain"))


def nurse_visit_injection(b: Builder, name: str) -> None:
    """Injection without any E/M: paid."""
    person, day = b.take_slot()
    code = b.rng.choice(("J3420", "J3420", "J3420", "J1030", "J1040"))
    group = "b12" if code == "J3420" else "joint"
    lines = [b.admin("96372"), b.drug(code)]
    b.professional(name, person, day, b.new_practice(), lines, b.dx(group))


def _infusion_clinic(b: Builder, name: str, bill_type: str) -> None:
    person, day = b.take_slot()
    lines = [b.admin("96365"), b.drug("J1756")]
    b.institutional(
        name, person, day, b.new_facility(), lines, b.dx("iron"), bill_type
    )


def facility_infusion_clinic(b: Builder, name: str) -> None:
    """Hospital infusion clinic, infusion is the primary reason: paid."""
    _infusion_clinic(b, name, "0131")


def facility_infusion_clinic_3char(b: Builder, name: str) -> None:
    """Same, with the bill type sent in its 3-character form."""
    _infusion_clinic(b, name, "131")


def facility_ed_visit(b: Builder, name: str) -> None:
    """ED visit with an IV push: the admin line is not primary."""
    person, day = b.take_slot(weekdays=False)
    lines = [
        b.svc("99284"),
        b.svc("85025"),
        b.admin("96374", deny(RULE_FACILITY)),
        b.drug("J2405"),
    ]
    b.institutional(name, person, day, b.new_facility(), lines, b.dx("nausea"))


def facility_clinic_visit(b: Builder, name: str) -> None:
    """Hospital clinic visit G0463 with an injection."""
    person, day = b.take_slot()
    lines = [
        b.svc("G0463"),
        b.admin("96372", deny(RULE_FACILITY)),
        b.drug("J1100"),
    ]
    b.institutional(
        name, person, day, b.new_facility(), lines, b.dx("inflammation")
    )


def facility_observation(b: Builder, name: str) -> None:
    """Observation stay with an IV push."""
    person, day = b.take_slot(weekdays=False)
    lines = [
        b.svc("G0378", units=b.rng.randint(12, 30)),
        b.admin("96374", deny(RULE_FACILITY)),
        b.drug("J2405"),
    ]
    b.institutional(name, person, day, b.new_facility(), lines, b.dx("chest"))


def facility_visit_separate_claim(b: Builder, name: str) -> None:
    """Clinic visit and injection billed on two claims of one facility."""
    person, day = b.take_slot()
    facility = b.new_facility()
    visit = [b.svc("G0463")]
    b.institutional(name, person, day, facility, visit, b.dx("inflammation"))
    shots = [b.admin("96372", deny(RULE_FACILITY)), b.drug("J1100")]
    b.institutional(name, person, day, facility, shots, b.dx("inflammation"))


def chemo(b: Builder, name: str) -> None:
    """Chemotherapy administration and drug, excluded from the policy."""
    person, day = b.take_slot()
    code = b.rng.choice(("J9271", "J9271", "J9312", "J9045"))
    lines = [
        b.admin("96413", skip(RULE_CHEMO)),
        b.admin("96415", skip(RULE_CHEMO)),
        b.drug(code, skip(RULE_CHEMO)),
    ]
    if b.rng.random() < 0.5:
        lines.insert(0, b.svc("99214", modifiers=("25",)))
    if b.rng.random() < 0.5:
        b.authorize(
            person, code, day - timedelta(days=b.rng.randint(5, 40)), 4000
        )
    dx = b.dx("cancer", first="Z5112" if code == "J9271" else "Z5111")
    if b.rng.random() < 0.5:
        b.professional(name, person, day, b.new_practice(), lines, dx)
    else:
        lines = [line for line in lines if line.hcpcs != "99214"]
        b.institutional(name, person, day, b.new_facility(), lines, dx)


def hydration(b: Builder, name: str) -> None:
    """Hydration and its fluid, excluded from the policy."""
    person, day = b.take_slot()
    fluid = b.rng.choice(("J7030", "J7030", "J7120", "J7050"))
    lines = [
        b.admin("96360", skip(RULE_HYDRATION)),
        b.admin("96361", skip(RULE_HYDRATION), units=b.rng.randint(1, 2)),
        b.drug(fluid, skip(RULE_HYDRATION)),
    ]
    dx = b.dx("dehydration")
    if b.rng.random() < 0.5:
        b.professional(name, person, day, b.new_practice(), lines, dx)
    else:
        b.institutional(name, person, day, b.new_facility(), lines, dx)


def home_health_agency(b: Builder, name: str) -> None:
    """Home health agency claim: every admin and drug line excluded."""
    person, day = b.take_slot()
    lines = [
        b.svc("G0299"),
        b.admin("96372", skip(RULE_HOME)),
        b.drug("J1885", skip(RULE_HOME)),
    ]
    bill_type = b.rng.choice(("0321", "0321", "0341"))
    b.institutional(
        name, person, day, b.new_facility(), lines, b.dx("pain"), bill_type
    )


def home_infusion_professional(b: Builder, name: str) -> None:
    """Home infusion nursing visit at place of service 12."""
    person, day = b.take_slot(weekdays=False)
    lines = [
        b.svc("99601"),
        b.admin("96365", skip(RULE_HOME)),
        b.drug("J0696", skip(RULE_HOME)),
    ]
    if b.rng.random() < 0.4:
        lines.insert(1, b.svc("99602"))
    practice = b.new_practice()
    b.professional(
        name, person, day, practice, lines, b.dx("infection"), pos="12"
    )


def pa_lines(b: Builder, code: str, admin: Expect, drug: Expect) -> list[Line]:
    """Administration and drug lines typical for a PA-required drug."""
    if code in ("J0897", "J2357"):
        admins = [b.admin("96372", admin)]
    elif code == "J3380":
        admins = [b.admin("96365", admin)]
    else:
        extra_hours = 3 if code == "J2350" else b.rng.randint(1, 2)
        admins = [
            b.admin("96365", admin),
            b.admin("96366", admin, units=extra_hours),
        ]
    return [*admins, b.drug(code, drug)]


def bill_pa_visit(
    b: Builder, name: str, person: Person, day: date, lines: list[Line]
) -> None:
    """Bill a PA drug visit at an office infusion suite or a hospital."""
    code = lines[-1].hcpcs
    dx = b.dx(PA_DRUG_DX.get(code, "ibd"))
    if b.rng.random() < 0.5:
        b.professional(name, person, day, b.new_practice(), lines, dx)
    else:
        b.institutional(name, person, day, b.new_facility(), lines, dx)


def pa_approved_infliximab(b: Builder, name: str) -> None:
    """Infliximab under an approved authorization: all paid."""
    person, day = b.take_slot(pa=True)
    lines = pa_lines(b, "J1745", PAY, PAY)
    lines[1] = replace(lines[1], units=1)
    start = day - timedelta(days=b.rng.randint(0, 60))
    b.authorize(person, "J1745", start, b.rng.choice((200, 300, 400)))
    bill_pa_visit(b, name, person, day, lines)


def pa_approved_other(b: Builder, name: str) -> None:
    """Another PA-required drug under an approved authorization."""
    person, day = b.take_slot(pa=True)
    code = b.rng.choice(PA_DRUGS[1:])
    lines = pa_lines(b, code, PAY, PAY)
    units = lines[-1].units * b.rng.randint(2, 6)
    start = day - timedelta(days=b.rng.randint(0, 60))
    b.authorize(person, code, start, units, days=365)
    bill_pa_visit(b, name, person, day, lines)


def _pa_missing(b: Builder, name: str, code: str = "J1745") -> Person:
    person, day = b.take_slot(pa=True)
    lines = pa_lines(b, code, deny(RULE_PA_MISSING), deny(RULE_PA_MISSING))
    bill_pa_visit(b, name, person, day, lines)
    return person


def pa_missing_no_auth(b: Builder, name: str) -> None:
    """PA drug without any authorization: drug and admin denied."""
    code = "J1745" if b.rng.random() < 0.7 else b.rng.choice(PA_DRUGS[1:])
    _pa_missing(b, name, code)


def _claim_day(b: Builder) -> date:
    return b.claims[-1].start


def pa_missing_expired(b: Builder, name: str) -> None:
    """The only authorization ended before the service date."""
    person = _pa_missing(b, name)
    end = _claim_day(b) - timedelta(days=b.rng.randint(3, 60))
    b.authorize(person, "J1745", end - timedelta(days=179), 300)


def pa_missing_other_drug(b: Builder, name: str) -> None:
    """An authorization exists, but for vedolizumab only."""
    person = _pa_missing(b, name)
    start = _claim_day(b) - timedelta(days=b.rng.randint(0, 60))
    b.authorize(person, "J3380", start, 900)


def pa_missing_denied(b: Builder, name: str) -> None:
    """The authorization covering the date was denied."""
    person = _pa_missing(b, name)
    start = _claim_day(b) - timedelta(days=b.rng.randint(0, 60))
    b.authorize(person, "J1745", start, 0, status="denied")


def pa_units_exceeded(b: Builder, name: str) -> None:
    """100 authorized units, three 40-unit infusions six weeks apart."""
    offsets = (0, 42, 84)
    person, day = b.take_slot(pa=True, offsets=offsets)
    b.authorize(
        person, "J1745", day - timedelta(days=b.rng.randint(0, 20)), 100
    )
    practice = b.new_practice()
    dx = b.dx("ibd")
    for index, offset in enumerate(offsets):
        drug_expect = PAY if index < 2 else deny(RULE_PA_UNITS)
        lines = [
            b.admin("96365"),
            b.admin("96366"),
            b.drug("J1745", drug_expect, units=40),
        ]
        visit_day = day + timedelta(days=offset)
        b.professional(name, person, visit_day, practice, lines, dx)


def out_of_scope_date(b: Builder, name: str) -> None:
    """Services before 2026-06-01 are outside the policy."""
    fixed = PRE_EFFECTIVE_DAY if b.rng.random() < 0.5 else None
    variant = b.rng.randrange(3)
    person, day = b.take_slot(pa=variant == 1, window=MAY_2026, day=fixed)
    expect = skip(RULE_DATE)
    if variant == 0:
        lines = [
            b.svc("99213"),
            b.admin("96372", expect),
            b.drug("J1885", expect),
        ]
        b.professional(name, person, day, b.new_practice(), lines, b.dx("pain"))
    elif variant == 1:
        bill_pa_visit(
            b, name, person, day, pa_lines(b, "J1745", expect, expect)
        )
    else:
        lines = [b.admin("96365", expect), b.drug("J1756", expect)]
        b.institutional(
            name, person, day, b.new_facility(), lines, b.dx("iron")
        )


def out_of_scope_plan(b: Builder, name: str) -> None:
    """Members of a non-Wisconsin plan are outside the policy."""
    variant = b.rng.randrange(3)
    person, day = b.take_slot(pool="oh", pa=variant == 1)
    expect = skip(RULE_PLAN)
    if variant == 0:
        lines = [
            b.svc("99213"),
            b.admin("96372", expect),
            b.drug("J1885", expect),
        ]
        b.professional(name, person, day, b.new_practice(), lines, b.dx("pain"))
    elif variant == 1:
        bill_pa_visit(
            b, name, person, day, pa_lines(b, "J1745", expect, expect)
        )
    else:
        lines = [b.admin("96365", expect), b.drug("J1756", expect)]
        b.institutional(
            name, person, day, b.new_facility(), lines, b.dx("iron")
        )


def _inpatient(b: Builder, name: str, chemo_stay: bool) -> None:
    stay = b.rng.randint(2, 5)
    person, day = b.take_slot(offsets=range(stay), weekdays=False)
    expect = skip(RULE_SETTING)
    if chemo_stay:
        care = [b.admin("96413", expect), b.drug("J9312", expect)]
        dx, drg = b.dx("cancer", first="Z5111"), "847"
    else:
        care = [b.admin("96365", expect), b.drug("J1756", expect)]
        dx, drg = b.dx("iron"), "812"
    lines = [
        b.svc("", units=stay, revenue="0120"),
        b.svc("85025"),
        *care,
    ]
    b.institutional(
        name, person, day, b.new_facility(), lines, dx, "0111", stay, drg
    )


def out_of_scope_setting(b: Builder, name: str) -> None:
    """Inpatient (DRG-paid) claim with an infusion."""
    _inpatient(b, name, chemo_stay=False)


def precedence_setting_over_chemo(b: Builder, name: str) -> None:
    """Inpatient chemotherapy: the setting rule outranks the chemo rule."""
    _inpatient(b, name, chemo_stay=True)


def precedence_em_over_pa(b: Builder, name: str) -> None:
    """Office E/M plus infliximab without authorization."""
    person, day = b.take_slot(pa=True)
    lines = [
        b.svc("99214", modifiers=("25",)),
        b.admin("96365", deny(RULE_EM)),
        b.drug("J1745", deny(RULE_PA_MISSING)),
    ]
    b.professional(name, person, day, b.new_practice(), lines, b.dx("ibd"))


def precedence_facility_over_pa(b: Builder, name: str) -> None:
    """Hospital clinic visit plus infliximab without authorization."""
    person, day = b.take_slot(pa=True)
    lines = [
        b.svc("G0463"),
        b.admin("96365", deny(RULE_FACILITY)),
        b.drug("J1745", deny(RULE_PA_MISSING)),
    ]
    b.institutional(name, person, day, b.new_facility(), lines, b.dx("ibd"))


def precedence_date_over_plan(b: Builder, name: str) -> None:
    """Non-Wisconsin member served before the effective date."""
    person, day = b.take_slot(pool="oh", window=MAY_2026)
    expect = skip(RULE_DATE)
    lines = [b.svc("99213"), b.admin("96372", expect), b.drug("J1885", expect)]
    b.professional(name, person, day, b.new_practice(), lines, b.dx("pain"))


# Coding edits (section D.I): professional office claims at POS 11 without
# an E/M service, each instance at its own person, day and practice.


def _office(
    b: Builder, name: str, lines: list[Line], group: str, *, pa: bool = False
) -> tuple[Person, date]:
    """Bill ``lines`` on one office claim of a new practice."""
    person, day = b.take_slot(pa=pa)
    b.professional(name, person, day, b.new_practice(), lines, b.dx(group))
    return person, day


def facility_only_96376(b: Builder, name: str) -> None:
    """Repeat IV push of the same drug (96376) on a professional claim."""
    lines = [
        b.admin("96374"),
        b.admin("96376", deny(RULE_FACILITY_ONLY)),
        b.drug("J2405"),
    ]
    _office(b, name, lines, "nausea")


def _two_initials(
    b: Builder, name: str, modifiers: tuple[str, ...], push: Expect
) -> None:
    lines = [
        b.admin("96365"),
        b.drug("J1756"),
        b.admin("96374", push, modifiers=modifiers),
        b.drug("J2405"),
    ]
    _office(b, name, lines, "iron")


def second_initial(b: Builder, name: str) -> None:
    """IV infusion and IV push both billed as initial: the push is denied."""
    _two_initials(b, name, (), deny(RULE_SECOND_INITIAL))


def second_initial_xs(b: Builder, name: str) -> None:
    """As above with modifier XS on the push (separate structure): paid."""
    _two_initials(b, name, ("XS",), PAY)


def addon_alone(b: Builder, name: str) -> None:
    """Additional infusion hour billed without any initial service."""
    _office(b, name, [b.admin("96366", deny(RULE_ADDON))], "iron")


def addon_chain(b: Builder, name: str) -> None:
    """Chemo first hour anchors a sequential infusion and its extra hour."""
    chemo_expect = skip(RULE_CHEMO)
    lines = [
        b.admin("96413", chemo_expect),
        b.drug("J9271", chemo_expect),
        b.admin("96367"),
        b.admin("96366"),
        b.drug("J1756"),
    ]
    person, day = b.take_slot(pa=True)
    dx = b.dx("cancer", first="Z5112")
    b.professional(name, person, day, b.new_practice(), lines, dx)
    # The pembrolizumab is authorized so no PA edit can reach the other lines.
    b.authorize(
        person, "J9271", day - timedelta(days=b.rng.randint(5, 40)), 4000
    )


def units_over_max(b: Builder, name: str) -> None:
    """Concurrent infusion billed with 2 units (cap 1 per day)."""
    lines = [
        b.admin("96365"),
        b.drug("J1756"),
        b.admin("96368", deny(RULE_UNITS_MAX), units=2),
        b.drug("J2930"),
    ]
    _office(b, name, lines, "iron")


def route_mismatch(b: Builder, name: str) -> None:
    """SC/IM injection code for infliximab, an IV-only drug (authorized)."""
    lines = [b.admin("96372", review(RULE_ROUTE)), b.drug("J1745")]
    person, day = _office(b, name, lines, "ibd", pa=True)
    start = day - timedelta(days=b.rng.randint(0, 60))
    b.authorize(person, "J1745", start, 400)


def no_drug_billed(b: Builder, name: str) -> None:
    """Injection administration without any drug line."""
    _office(b, name, [b.admin("96372", review(RULE_NO_DRUG))], "pain")


def substance_chemo_code_ordinary_drug(b: Builder, name: str) -> None:
    """Chemo infusion code for ketorolac: decided, sent to review."""
    lines = [b.admin("96413", review(RULE_SUBSTANCE)), b.drug("J1885")]
    _office(b, name, lines, "pain")


def substance_therapeutic_code_chemo_drug(b: Builder, name: str) -> None:
    """Therapeutic infusion code for a chemotherapy drug only."""
    lines = [
        b.admin("96365", review(RULE_SUBSTANCE)),
        b.drug("J9045", skip(RULE_CHEMO)),
    ]
    person, day = b.take_slot()
    dx = b.dx("cancer", first="Z5111")
    b.professional(name, person, day, b.new_practice(), lines, dx)


def substance_hydration_with_drug(b: Builder, name: str) -> None:
    """Hydration code used for an iron infusion: reviewed, not excluded."""
    lines = [b.admin("96360", review(RULE_SUBSTANCE)), b.drug("J1756")]
    _office(b, name, lines, "iron")


def chemo_code_no_drug(b: Builder, name: str) -> None:
    """Chemo push code with no drug at all: reviewed, not excluded."""
    _office(b, name, [b.admin("96409", review(RULE_NO_DRUG))], "cancer")


def duration_push_billed_as_infusion(b: Builder, name: str) -> None:
    """A 10-minute administration billed as a first infusion hour."""
    lines = [
        b.admin("96365", deny(RULE_DURATION), minutes=10),
        b.drug("J1756"),
    ]
    _office(b, name, lines, "iron")


def _timed_infusion(
    b: Builder, name: str, minutes: int, extra_hours: Expect
) -> None:
    lines = [
        b.admin("96365", minutes=minutes),
        b.admin("96366", extra_hours, units=2, minutes=minutes),
        b.drug("J1756"),
    ]
    _office(b, name, lines, "iron")


def duration_extra_hour_not_supported(b: Builder, name: str) -> None:
    """150 minutes support one extra hour, two are billed."""
    _timed_infusion(b, name, 150, deny(RULE_DURATION))


def duration_ok(b: Builder, name: str) -> None:
    """151 minutes support two extra hours: paid."""
    _timed_infusion(b, name, 151, PAY)


def _bad_ndc(b: Builder, name: str, **changes: str) -> None:
    code = b.rng.choice(("J1885", "J3420", "J1100"))
    drug = replace(b.drug(code, deny(RULE_NDC)), **changes)
    _office(b, name, [b.admin("96372"), drug], "pain")


def ndc_missing(b: Builder, name: str) -> None:
    """Drug line without an NDC."""
    _bad_ndc(b, name, ndc="", ndc_quantity="", ndc_unit="")


def ndc_malformed(b: Builder, name: str) -> None:
    """Drug line whose NDC cannot be normalized to 11 digits."""
    _bad_ndc(b, name, ndc="1234-5")


def ndc_zero_quantity(b: Builder, name: str) -> None:
    """Drug line with an NDC quantity of zero."""
    _bad_ndc(b, name, ndc_quantity="0")


def modifier_25_on_admin(b: Builder, name: str) -> None:
    """Modifier 25 (E/M only) appended to the injection code."""
    lines = [
        b.admin("96372", deny(RULE_MODIFIER), modifiers=("25",)),
        b.drug("J1885"),
    ]
    _office(b, name, lines, "pain")


def duplicate_claim(b: Builder, name: str) -> None:
    """The same injection billed again on a second claim paid later."""
    person, day = b.take_slot()
    practice = b.new_practice()
    dx = b.dx("b12")
    first = [b.admin("96372"), b.drug("J3420")]
    again = [replace(line, expect=deny(RULE_DUPLICATE)) for line in first]
    lag = b.rng.randint(14, 25)
    b.professional(name, person, day, practice, first, dx, paid_lag=lag)
    later = lag + b.rng.randint(5, 15)
    b.professional(name, person, day, practice, again, dx, paid_lag=later)


def ndc_on_admin_line(b: Builder, name: str) -> None:
    """The drug's NDC repeated on the administration line: paid."""
    drug = b.drug("J1885")
    shot = replace(
        b.admin("96372"),
        ndc=drug.ndc,
        ndc_quantity=drug.ndc_quantity,
        ndc_unit=drug.ndc_unit,
    )
    _office(b, name, [shot, drug], "pain")


SCENARIOS: tuple[tuple[Scenario, int], ...] = (
    (em_same_claim, 12),
    (em_modifier_25, 10),
    (em_separate_claim, 8),
    (em_separate_claim_tin_key, 3),
    (em_prior_day, 8),
    (em_other_practice, 8),
    (nurse_visit_injection, 12),
    (facility_infusion_clinic, 10),
    (facility_infusion_clinic_3char, 5),
    (facility_ed_visit, 8),
    (facility_clinic_visit, 8),
    (facility_observation, 6),
    (facility_visit_separate_claim, 4),
    (chemo, 10),
    (hydration, 8),
    (home_health_agency, 6),
    (home_infusion_professional, 6),
    (pa_approved_infliximab, 10),
    (pa_approved_other, 6),
    (pa_missing_no_auth, 10),
    (pa_missing_expired, 5),
    (pa_missing_other_drug, 5),
    (pa_missing_denied, 5),
    (pa_units_exceeded, 5),
    (out_of_scope_date, 9),
    (out_of_scope_plan, 9),
    (out_of_scope_setting, 6),
    (precedence_setting_over_chemo, 3),
    (precedence_em_over_pa, 4),
    (precedence_facility_over_pa, 4),
    (precedence_date_over_plan, 3),
    (facility_only_96376, 3),
    (second_initial, 3),
    (second_initial_xs, 3),
    (addon_alone, 3),
    (addon_chain, 3),
    (units_over_max, 3),
    (route_mismatch, 3),
    (no_drug_billed, 3),
    (substance_chemo_code_ordinary_drug, 3),
    (substance_therapeutic_code_chemo_drug, 3),
    (substance_hydration_with_drug, 3),
    (chemo_code_no_drug, 3),
    (duration_push_billed_as_infusion, 3),
    (duration_extra_hour_not_supported, 3),
    (duration_ok, 3),
    (ndc_missing, 3),
    (ndc_malformed, 3),
    (ndc_zero_quantity, 3),
    (modifier_25_on_admin, 3),
    (duplicate_claim, 3),
    (ndc_on_admin_line, 3),
)


# --------------------------------------------------------------------------
# Filler: ordinary plan traffic with no administration or drug lines
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class FillerProviders:
    """Providers used only by filler claims, never by scenarios."""

    practices: list[Practice]
    labs: list[Practice]
    hospitals: list[Facility]


def make_filler_providers(b: Builder) -> FillerProviders:
    """A fixed pool of practices, labs and hospitals for filler claims."""
    return FillerProviders(
        practices=[b.new_practice() for _ in range(45)],
        labs=[b.new_practice() for _ in range(3)],
        hospitals=[b.new_facility() for _ in range(6)],
    )


def lab_panel(b: Builder, most: int) -> list[Line]:
    """Venipuncture plus up to ``most`` lab tests."""
    tests = b.rng.sample(("80053", "85025", "80061", "83036", "84443"), most)
    count = b.rng.randint(1, most)
    return [b.svc("36415"), *(b.svc(code) for code in tests[:count])]


OFFICE_EM_CODES = (
    "99212",
    "99213",
    "99213",
    "99214",
    "99214",
    "99215",
    "99203",
    "99204",
)


def filler_office_visit(b: Builder, p: FillerProviders) -> None:
    """Sick or follow-up office visit, sometimes with labs."""
    person, day = b.filler_person(), b.random_day(_window())
    lines = [b.svc(b.rng.choice(OFFICE_EM_CODES))]
    if b.rng.random() < 0.3:
        lines += lab_panel(b, 2)
    practice = b.rng.choice(p.practices)
    pos = "22" if b.rng.random() < 0.15 else "11"
    dx = b.dx("general")
    b.professional("filler", person, day, practice, lines, dx, pos=pos)


def filler_preventive(b: Builder, p: FillerProviders) -> None:
    """Annual preventive visit with screening labs."""
    person, day = b.filler_person(), b.random_day(_window())
    lines = [b.svc(b.rng.choice(("99395", "99396", "99386"))), *lab_panel(b, 3)]
    practice = b.rng.choice(p.practices)
    b.professional("filler", person, day, practice, lines, b.dx("preventive"))


def filler_lab(b: Builder, p: FillerProviders) -> None:
    """Independent laboratory claim."""
    person, day = b.filler_person(), b.random_day(_window())
    lab = b.rng.choice(p.labs)
    dx = b.dx("general")
    b.professional("filler", person, day, lab, lab_panel(b, 4), dx, pos="81")


def filler_imaging(b: Builder, p: FillerProviders) -> None:
    """Plain radiograph, global or professional component."""
    person, day = b.filler_person(), b.random_day(_window())
    code = b.rng.choice(("71046", "71046", "73562", "72100"))
    hospital_read = b.rng.random() < 0.4
    modifiers = ("26",) if hospital_read else ()
    lines = [b.svc(code, modifiers=modifiers)]
    dx = b.dx("chest" if code == "71046" else "rehab")
    pos = "22" if hospital_read else "11"
    practice = b.rng.choice(p.practices)
    b.professional("filler", person, day, practice, lines, dx, pos=pos)


def filler_therapy(b: Builder, p: FillerProviders) -> None:
    """Physical therapy session."""
    person, day = b.filler_person(), b.random_day(_window())
    lines = [b.svc("97110", b.rng.randint(2, 4), ("GP",))]
    if b.rng.random() < 0.6:
        lines.append(b.svc("97140", b.rng.randint(1, 2), ("GP",)))
    if b.rng.random() < 0.4:
        lines.append(b.svc("97530", 1, ("GP",)))
    practice = b.rng.choice(p.practices)
    b.professional("filler", person, day, practice, lines, b.dx("rehab"))


def filler_ed_facility(b: Builder, p: FillerProviders) -> None:
    """Hospital ED visit without infusion."""
    person = b.filler_person()
    day = b.random_day(_window(), weekdays=False)
    lines = [b.svc(b.rng.choice(("99283", "99284", "99285")))]
    lines += lab_panel(b, 2)
    if b.rng.random() < 0.4:
        lines.append(b.svc("71046"))
    hospital = b.rng.choice(p.hospitals)
    b.institutional("filler", person, day, hospital, lines, b.dx("chest"))


def filler_ed_professional(b: Builder, p: FillerProviders) -> None:
    """Emergency physician claim."""
    person = b.filler_person()
    day = b.random_day(_window(), weekdays=False)
    lines = [b.svc(b.rng.choice(("99283", "99284", "99285")))]
    practice = b.rng.choice(p.practices)
    dx = b.dx("chest")
    b.professional("filler", person, day, practice, lines, dx, pos="23")


def filler_hospital_lab(b: Builder, p: FillerProviders) -> None:
    """Hospital outpatient lab draw."""
    person, day = b.filler_person(), b.random_day(_window())
    hospital = b.rng.choice(p.hospitals)
    lines = lab_panel(b, 3)
    bill_type = b.rng.choice(("0131", "0141"))
    dx = b.dx("general")
    b.institutional("filler", person, day, hospital, lines, dx, bill_type)


def filler_home_visit(b: Builder, p: FillerProviders) -> None:
    """Physician home visit (no administration lines)."""
    person, day = b.filler_person(), b.random_day(_window())
    practice = b.rng.choice(p.practices)
    lines = [b.svc("99348")]
    b.professional(
        "filler", person, day, practice, lines, b.dx("general"), "12"
    )


FILLERS: tuple[tuple[Callable[[Builder, FillerProviders], None], int], ...] = (
    (filler_office_visit, 40),
    (filler_preventive, 10),
    (filler_lab, 8),
    (filler_imaging, 8),
    (filler_therapy, 10),
    (filler_ed_facility, 8),
    (filler_ed_professional, 4),
    (filler_hospital_lab, 5),
    (filler_home_visit, 1),
)


def _window() -> tuple[date, date]:
    return (EFFECTIVE_DATE, WINDOW_END)


def add_filler(b: Builder, target_lines: int) -> None:
    """Add filler claims until the feed holds ``target_lines`` lines."""
    providers = make_filler_providers(b)
    kinds = [kind for kind, _ in FILLERS]
    weights = [weight for _, weight in FILLERS]
    while sum(len(claim.lines) for claim in b.claims) < target_lines:
        b.rng.choices(kinds, weights)[0](b, providers)


def add_noise_authorizations(b: Builder, count: int) -> None:
    """Authorizations for members who never bill the drug."""
    for _ in range(count):
        person = b.free_pa_person()
        code = b.rng.choice(PA_DRUGS)
        start = b.random_day(_window(), weekdays=False)
        status = "approved" if b.rng.random() < 0.8 else "denied"
        units = 0 if status == "denied" else DRUGS[code].doses[-1] * 4
        b.authorize(person, code, start, units, status)


# --------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------


def money(cents: int) -> str:
    """Cents as a decimal string with two places."""
    return f"{cents // 100}.{cents % 100:02d}"


def line_amounts(
    rng: random.Random, line: Line, in_network: str
) -> tuple[str, str, str]:
    """Charge, allowed and paid amounts with paid <= allowed <= charge."""
    if line.hcpcs in DRUGS:
        base = DRUGS[line.hcpcs].unit_price
    else:
        base = SERVICE_FEES[line.hcpcs or f"rev{line.revenue}"]
    charge = round(base * line.units * rng.uniform(0.95, 1.3) * 100)
    ratio = (
        rng.uniform(0.4, 0.75) if in_network == "1" else rng.uniform(0.2, 0.4)
    )
    allowed = min(charge, round(charge * ratio))
    paid = min(allowed, round(allowed * rng.uniform(0.6, 1.0)))
    return money(charge), money(allowed), money(paid)


def claim_header(
    rng: random.Random, claim: Claim, claim_id: str
) -> dict[str, str]:
    """Fields shared by every line of a claim."""
    paid = days_after(claim.end, 14, 40, rng)
    if claim.paid_lag is not None:
        paid = claim.end + timedelta(days=claim.paid_lag)
    filed = paid + timedelta(days=1)
    ingest = (
        f"{filed + timedelta(days=1)} "
        f"{rng.randint(1, 5):02d}:{rng.randint(0, 59):02d}:"
        f"{rng.randint(0, 59):02d}"
    )
    dx = [*claim.dx, "", ""][:3]
    return {
        "claim_id": claim_id,
        "claim_type": claim.claim_type,
        "person_id": claim.person.person_id,
        "member_id": claim.person.member_id,
        "payer": PAYER,
        "plan": claim.person.plan,
        "claim_start_date": claim.start.isoformat(),
        "claim_end_date": claim.end.isoformat(),
        "paid_date": paid.isoformat(),
        "diagnosis_code_type": "icd-10-cm",
        "diagnosis_code_1": dx[0],
        "diagnosis_code_2": dx[1],
        "diagnosis_code_3": dx[2],
        "data_source": "demo",
        "file_name": f"caresource_medical_claim_{filed:%Y%m%d}.csv",
        "file_date": filed.isoformat(),
        "ingest_datetime": ingest,
        **provider_fields(claim),
        **setting_fields(claim),
    }


def provider_fields(claim: Claim) -> dict[str, str]:
    """NPI, TIN and network fields of the claim's provider."""
    if claim.practice is not None:
        return {
            "rendering_npi": claim.rendering_npi,
            "rendering_tin": claim.practice.tin,
            "billing_npi": claim.practice.billing_npi,
            "billing_tin": claim.practice.tin,
            "in_network_flag": claim.practice.in_network,
        }
    if claim.facility is None:
        raise ValueError("claim without a provider")
    return {
        "billing_npi": claim.facility.npi,
        "billing_tin": claim.facility.tin,
        "facility_npi": claim.facility.npi,
        "in_network_flag": claim.facility.in_network,
    }


def setting_fields(claim: Claim) -> dict[str, str]:
    """Place of service, bill type and inpatient fields."""
    fields = {
        "place_of_service_code": claim.pos,
        "bill_type_code": claim.bill_type,
    }
    if claim.drg:
        fields |= {
            "admission_date": claim.start.isoformat(),
            "discharge_date": claim.end.isoformat(),
            "drg_code_type": "ms-drg",
            "drg_code": claim.drg,
        }
    return fields


def provider_network(claim: Claim) -> str:
    """In-network flag of the claim's billing provider."""
    provider = claim.practice or claim.facility
    return provider.in_network if provider is not None else "1"


def line_fields(
    rng: random.Random, claim: Claim, number: int, line: Line
) -> dict[str, str]:
    """Fields specific to one claim line."""
    mods = [*line.modifiers, "", "", "", "", ""][:5]
    charge, allowed, paid = line_amounts(rng, line, provider_network(claim))
    dated = not claim.blank_line_dates
    return {
        "claim_line_number": str(number),
        "claim_line_start_date": claim.start.isoformat() if dated else "",
        "claim_line_end_date": claim.end.isoformat() if dated else "",
        "revenue_center_code": line.revenue,
        "service_unit_quantity": str(line.units),
        "hcpcs_code": line.hcpcs,
        **{f"hcpcs_modifier_{i}": mod for i, mod in enumerate(mods, start=1)},
        "paid_amount": paid,
        "allowed_amount": allowed,
        "charge_amount": charge,
        "ndc_code": line.ndc,
        "ndc_quantity": line.ndc_quantity,
        "ndc_unit": line.ndc_unit,
        "administration_minutes": line.minutes,
    }


def check_line_kinds(claim: Claim) -> None:
    """Every admin or drug line, and only those, carries an expectation."""
    for line in claim.lines:
        in_policy = is_admin_code(line.hcpcs) or is_drug_code(line.hcpcs)
        if in_policy != (line.expect is not None):
            raise ValueError(f"{claim.scenario}: {line.hcpcs} expectation")


def claim_rows(b: Builder) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Claim lines and manifest rows, ordered by claim id."""
    ordered = sorted(b.claims, key=lambda c: (c.start, c.sort_key))
    rows: list[dict[str, str]] = []
    manifest: list[dict[str, str]] = []
    for index, claim in enumerate(ordered, start=1):
        check_line_kinds(claim)
        claim_id = f"DC{index:07d}"
        header = claim_header(b.rng, claim, claim_id)
        for number, line in enumerate(claim.lines, start=1):
            row = dict.fromkeys(CLAIM_COLUMNS, "")
            row |= header | line_fields(b.rng, claim, number, line)
            rows.append(row)
            if line.expect is not None:
                manifest.append(manifest_row(claim, claim_id, number, line))
    return rows, manifest


def manifest_row(
    claim: Claim, claim_id: str, number: int, line: Line
) -> dict[str, str]:
    """One scenario manifest row."""
    expect = line.expect or PAY
    return {
        "claim_id": claim_id,
        "claim_line_number": str(number),
        "scenario": claim.scenario,
        "expected_decision": expect.decision,
        "expected_rule_id": expect.rule_id,
    }


def auth_rows(auths: list[Auth]) -> list[dict[str, str]]:
    """Authorization rows ordered by start date, with sequential ids."""
    ordered = sorted(auths, key=lambda a: (a.start, a.person_id, a.hcpcs))
    return [
        {
            "authorization_id": f"PA{index:07d}",
            "person_id": auth.person_id,
            "hcpcs_code": auth.hcpcs,
            "start_date": auth.start.isoformat(),
            "end_date": auth.end.isoformat(),
            "authorized_units": str(auth.units),
            "status": auth.status,
        }
        for index, auth in enumerate(ordered, start=1)
    ]


# --------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------


def generate(seed: int = DEFAULT_SEED) -> DemoData:
    """Build the whole demo data set for ``seed``."""
    b = Builder(seed)
    for scenario, count in SCENARIOS:
        for _ in range(count):
            scenario(b, scenario.__name__)
    add_noise_authorizations(b, 12)
    add_filler(b, TARGET_LINES)
    claims, manifest = claim_rows(b)
    return DemoData(claims, auth_rows(b.auths), manifest)


def write_csv(
    path: Path, columns: Sequence[str], rows: list[dict[str, str]]
) -> None:
    """Write rows with a header, LF line endings and minimal quoting."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_demo(out_dir: Path, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Generate and write the three files; return their row counts."""
    data = generate(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "medical_claim.csv": (CLAIM_COLUMNS, data.claim_rows),
        "prior_authorization.csv": (AUTH_COLUMNS, data.auth_rows),
        "expected_decisions.csv": (MANIFEST_COLUMNS, data.manifest_rows),
    }
    for name, (columns, rows) in files.items():
        write_csv(out_dir / name, columns, rows)
    return {name: len(rows) for name, (_, rows) in files.items()}


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for name, count in write_demo(args.out, args.seed).items():
        print(f"{name}: {count} rows")


if __name__ == "__main__":
    main()
