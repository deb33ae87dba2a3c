"""Daily runs decide exactly what a full run on the same claims decides.

The demo claims are split into three loads (by a hash of claim id and file
date, so service dates arrive out of order). Load 1 also holds a line that
is rejected for a missing provider id; load 2 brings a corrected copy of a
claim of load 1 (its id padded with spaces) and lines with blank claim ids
(load 1 has one too); a later load brings an evidence claim's id from
another data source; load 3 a replacement claim on another date of
service, a void of a claim that holds a companion E/M visit, and a changed
authorization file.
After each daily load, both marts equal those of a full run on every line
loaded so far, in load order, with the same authorization file.
"""

from __future__ import annotations

import csv
import json
import zlib
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from infusion_edits.demo_data import DEMO_VARS, write_demo
from pytests.conftest import RunResult, run_cli

LOADS = 3
VARS = json.dumps({**DEMO_VARS, "run_started_at": "2026-12-01 00:00:00"})
EXTRA = ("claim_frequency_code", "original_claim_id")
PROVIDER_COLUMNS = (
    "billing_npi",
    "billing_tin",
    "rendering_npi",
    "rendering_tin",
    "facility_npi",
)
# Columns that say when a row was written, not what was decided.
NOT_COMPARED = frozenset({"evaluated_at"})
Rows = list[dict[str, str]]


def read_csv(path: Path) -> tuple[list[str], Rows]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, fields: list[str], rows: Rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def load_of(row: dict[str, str]) -> int:
    key = f"{row['claim_id']}|{row['file_date']}".encode()
    return zlib.crc32(key) % LOADS


def claims_by_id(rows: Rows) -> dict[str, Rows]:
    claims: dict[str, Rows] = defaultdict(list)
    for row in rows:
        claims[row["claim_id"]].append(row)
    return claims


def companion_em_claims(rows: Rows) -> dict[str, set[str]]:
    """E/M-only claims whose person, day and billing provider also have an
    administration on another claim, with those claims: each is the
    evidence that bundles the administration, so voiding or resending it
    changes another claim's decision."""
    claims = claims_by_id(rows)
    found: dict[str, set[str]] = {}
    for claim_id, lines in sorted(claims.items()):
        if not all(line["hcpcs_code"].startswith("992") for line in lines):
            continue
        first = lines[0]
        day = (
            first["person_id"],
            first["claim_start_date"],
            first["billing_npi"],
        )
        bundled = {
            row["claim_id"]
            for row in rows
            if row["hcpcs_code"].startswith("963")
            and row["claim_id"] != claim_id
            and (row["person_id"], row["claim_start_date"], row["billing_npi"])
            == day
        }
        if bundled:
            found[claim_id] = bundled
    assert found, "the demo has no companion E/M claim"
    return found


def resend_load(
    claims: dict[str, Rows], evidence: str, bundled: set[str]
) -> int:
    """The load after the evidence claim and the claims it bundles, when
    the evidence was filed no later than them (so no administration is yet
    decided by a later claim); -1 when there is none."""
    filed = claims[evidence][0]["file_date"]
    if any(claims[c][0]["file_date"] < filed for c in bundled):
        return -1
    last = max(load_of(row) for c in {evidence, *bundled} for row in claims[c])
    return last + 1 if last + 1 < LOADS else -1


SERVICE_DATES = (
    "claim_start_date",
    "claim_end_date",
    "claim_line_start_date",
    "claim_line_end_date",
)


def moved(line: dict[str, str], days: int) -> dict[str, str]:
    """The line with its service dates moved by some days."""
    return {
        **line,
        **{
            name: (date.fromisoformat(line[name]) + timedelta(days)).isoformat()
            for name in SERVICE_DATES
            if line.get(name)
        },
    }


def new_version(
    lines: Rows, suffix: str, frequency: str, days: int = 0
) -> Rows:
    """A replacement (7) or void (8) of a claim, under a new claim id, with
    its service dates moved by some days (a corrected date of service)."""
    return [
        {
            **moved(line, days),
            "claim_id": line["claim_id"] + suffix,
            "claim_frequency_code": frequency,
            "original_claim_id": line["claim_id"],
            "file_date": "2027-01-15",
            "service_unit_quantity": str(
                float(line["service_unit_quantity"] or 0) + 1
            ),
        }
        for line in lines
    ]


def split_demo(demo_dir: Path) -> tuple[list[str], list[Rows], list[Rows]]:
    """The demo's claim lines in three loads, and the authorization file
    as each load leaves it."""
    fields, rows = read_csv(demo_dir / "medical_claim.csv")
    fields += [name for name in EXTRA if name not in fields]
    loads: list[Rows] = [[] for _ in range(LOADS)]
    for row in rows:
        loads[load_of(row)].append(row)
    claims = claims_by_id(loads[0])
    replaced = next(
        claim
        for claim, lines in sorted(claims.items())
        if any(line["hcpcs_code"] == "96372" for line in lines)
    )
    companions = companion_em_claims(rows)
    voided = next(iter(companions))
    all_claims = claims_by_id(rows)
    resourced, resend = next(
        (claim, load)
        for claim, bundled in companions.items()
        if claim != voided
        and (load := resend_load(all_claims, claim, bundled)) >= 0
    )
    resent = sorted(claims)[0]
    # A line with no provider id is rejected (INVALID_INPUT); no later
    # load touches its claim, so daily runs must keep its one row.
    loads[0] += [
        {
            **line,
            "claim_id": "ZREJ" + line["claim_id"],
            **dict.fromkeys(PROVIDER_COLUMNS, ""),
        }
        for line in claims[replaced]
    ]
    # The corrected copy spells the claim id with spaces around it: the
    # same claim once trimmed, so the daily run must find the first copy
    # by the cleaned id, not by the id as loaded.
    loads[1] += [
        {
            **line,
            "claim_id": f" {line['claim_id']}  ",
            "file_date": "2027-01-10",
            "hcpcs_modifier_1": "59",
        }
        for line in claims[resent]
    ]
    # Lines with a blank claim id (spaces, a no-break space, em spaces:
    # trim removes them all) are rejected; later loads must neither lose
    # nor repeat their rows.
    loads[0].append({**claims[resent][0], "claim_id": "\u00a0"})
    loads[1].append({**claims[resent][0], "claim_id": "   "})
    loads[1].append({**claims[resent][-1], "claim_id": "\u2003\u2003"})
    # The same claim id from another data source, on another day and
    # filed later, in a load after both claims: evidence names a claim by
    # its id, so the administration it bundles is now decided by a later
    # claim, though neither claim came again.
    loads[resend] += [
        {
            **moved(line, 60),
            "data_source": "other",
            "file_date": "2027-02-01",
        }
        for line in claims_by_id(rows)[resourced]
    ]
    # The replacement corrects the date of service: only its claim id
    # links it to the claim it replaces, not a person-day.
    loads[2] += new_version(claims[replaced], "R", "7", days=3)
    loads[2] += new_version(claims_by_id(rows)[voided], "V", "8")
    _, authorizations = read_csv(demo_dir / "prior_authorization.csv")
    changed = [dict(row) for row in authorizations[1:]]
    changed[0]["authorized_units"] = "1"
    auth_files = [authorizations[::2], [], changed]
    return fields, loads, auth_files


def write_load(
    folder: Path, fields: list[str], lines: Rows, authorizations: Rows
) -> Path:
    write_csv(folder / "medical_claim.csv", fields, lines)
    if authorizations:
        auth_fields = list(authorizations[0])
        write_csv(
            folder / "prior_authorization.csv", auth_fields, authorizations
        )
    return folder


def mart_rows(run: RunResult, name: str) -> list[tuple[str, ...]]:
    path = run.output_dir / f"{name}.csv"
    _, rows = read_csv(path)
    return sorted(
        tuple(f"{k}={v}" for k, v in row.items() if k not in NOT_COMPARED)
        for row in rows
    )


def assert_same_marts(daily: RunResult, full: RunResult) -> None:
    for name in ("admin_line_decisions", "rejected_claim_lines"):
        daily_rows, full_rows = mart_rows(daily, name), mart_rows(full, name)
        only_daily = sorted(set(daily_rows) - set(full_rows))[:5]
        only_full = sorted(set(full_rows) - set(daily_rows))[:5]
        assert daily_rows == full_rows, (
            f"{name}: {len(daily_rows)} daily rows, {len(full_rows)} full; "
            f"only daily: {only_daily}; only full: {only_full}"
        )


@pytest.fixture(scope="module")
def loads(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, list[str], list[Rows], list[Rows]]:
    tmp = tmp_path_factory.mktemp("daily")
    write_demo(tmp / "demo")
    fields, lines, authorizations = split_demo(tmp / "demo")
    return tmp, fields, lines, authorizations


def test_split_is_not_trivial(
    loads: tuple[Path, list[str], list[Rows], list[Rows]],
) -> None:
    """Every load has lines, and some claim has lines in two loads."""
    _, _, lines, _ = loads
    assert all(load for load in lines)
    first = {row["claim_id"] for row in lines[0]}
    assert any(row["claim_id"].strip() in first for row in lines[1] + lines[2])


def test_daily_loads_equal_full_runs(
    loads: tuple[Path, list[str], list[Rows], list[Rows]],
) -> None:
    tmp, fields, lines, authorizations = loads
    daily_db = tmp / "daily"
    current_auth: Rows = []
    for number in range(LOADS):
        if authorizations[number]:
            current_auth = authorizations[number]
        folder = write_load(
            tmp / f"load{number + 1}",
            fields,
            lines[number],
            authorizations[number],
        )
        daily_args = ["--input-dir", str(folder), "--vars", VARS]
        if number > 0:
            daily_args.append("--daily")
        daily = run_cli(daily_db, *daily_args)
        assert daily.returncode == 0, daily.stdout[-4000:] + daily.stderr
        if number == 0:
            continue
        so_far = [row for load in lines[: number + 1] for row in load]
        full_folder = write_load(
            tmp / f"full{number + 1}", fields, so_far, current_auth
        )
        full = run_cli(
            tmp / f"full_run{number + 1}",
            "--input-dir",
            str(full_folder),
            "--vars",
            VARS,
            "--no-tests",
        )
        assert full.returncode == 0, full.stdout[-4000:] + full.stderr
        assert_same_marts(daily, full)
        with duckdb.connect(str(daily.database), read_only=True) as con:
            scope = con.execute(
                "select count(*) from main.stg_claims__daily_scope"
            ).fetchall()[0][0]
            claims = con.execute(
                "select count(distinct claim_key) "
                "from main.stg_claims__daily_claim_days"
            ).fetchall()[0][0]
        # The daily run decided part of the claims, not all of them.
        assert 0 < scope < claims


def history_lines(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        return int(
            con.execute("select count(*) from raw.medical_claim").fetchall()[0][
                0
            ]
        )


def test_daily_refusals_change_nothing(
    loads: tuple[Path, list[str], list[Rows], list[Rows]],
) -> None:
    """A daily load without a full run, with other vars, or with a file
    that fails the preflight stops with an input error and adds nothing."""
    tmp, fields, lines, authorizations = loads
    first = write_load(tmp / "refuse1", fields, lines[0], authorizations[0])
    second = write_load(tmp / "refuse2", fields, lines[1], [])
    run_dir = tmp / "refusals"
    no_base = run_cli(
        run_dir, "--daily", "--input-dir", str(second), "--vars", VARS
    )
    assert no_base.returncode == 2
    assert "run once without --daily first" in no_base.stderr
    full = run_cli(
        run_dir, "--input-dir", str(first), "--vars", VARS, "--no-tests"
    )
    assert full.returncode == 0, full.stdout[-4000:] + full.stderr
    before = history_lines(full.database)
    other_vars = run_cli(
        run_dir,
        "--daily",
        "--input-dir",
        str(second),
        "--vars",
        '{require_ndc: false, in_scope_plans: ["WI Marketplace Gold"]}',
    )
    assert other_vars.returncode == 2
    assert "run without --daily" in other_vars.stderr
    broken = write_csv_without(tmp / "refuse3", lines[1], "person_id")
    bad_file = run_cli(
        run_dir, "--daily", "--input-dir", str(broken), "--vars", VARS
    )
    assert bad_file.returncode == 2
    assert "person_id" in bad_file.stderr
    assert history_lines(full.database) == before


def write_csv_without(folder: Path, rows: Rows, column: str) -> Path:
    """A medical_claim file that lacks a required column."""
    fields = [name for name in rows[0] if name != column]
    kept = [{k: v for k, v in row.items() if k != column} for row in rows]
    write_csv(folder / "medical_claim.csv", fields, kept)
    return folder


def test_unfinished_daily_run_rechecks_authorizations(
    loads: tuple[Path, list[str], list[Rows], list[Rows]],
) -> None:
    """A daily run that brought new authorizations and did not finish may
    have left decisions made with them in the marts; the next daily run,
    whose file restores the old ones, must decide those claims again."""
    tmp, fields, lines, authorizations = loads
    original = authorizations[2]
    run_dir = tmp / "unfinished"
    first = write_load(tmp / "u1", fields, lines[0], original)
    full = run_cli(
        run_dir, "--input-dir", str(first), "--vars", VARS, "--no-tests"
    )
    assert full.returncode == 0, full.stdout[-4000:] + full.stderr
    # The unfinished run's file withdrew every authorization.
    second = write_load(tmp / "u2", fields, lines[1], [])
    write_csv(tmp / "u2" / "prior_authorization.csv", list(original[0]), [])
    daily = run_cli(
        run_dir,
        "--daily",
        "--input-dir",
        str(second),
        "--vars",
        VARS,
        "--no-tests",
    )
    assert daily.returncode == 0, daily.stdout[-4000:] + daily.stderr
    # Put the database in the state a run killed after writing the marts
    # leaves: marts decided without authorizations, the comparison still
    # holding the original ones, the state unsettled. Comparing files
    # alone finds no change (the restored file equals the compared one).
    with duckdb.connect(str(daily.database)) as con:
        con.execute(
            "create or replace table raw.prior_authorization_previous as "
            "select * from read_csv(?, header = true, all_varchar = true)",
            [str(first / "prior_authorization.csv")],
        )
        con.execute("update raw.decided_state set settled = false")
    third = write_load(tmp / "u3", fields, lines[2], original)
    again = run_cli(
        run_dir, "--daily", "--input-dir", str(third), "--vars", VARS
    )
    assert again.returncode == 0, again.stdout[-4000:] + again.stderr
    assert "every authorization is checked again" in again.stdout
    every = [row for load in lines for row in load]
    reference = run_cli(
        tmp / "unfinished_full",
        "--input-dir",
        str(write_load(tmp / "u_all", fields, every, original)),
        "--vars",
        VARS,
        "--no-tests",
    )
    assert reference.returncode == 0, reference.stderr
    assert_same_marts(again, reference)
