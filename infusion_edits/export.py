"""Export of the marts and a run summary without member identifiers."""

from __future__ import annotations

from pathlib import Path

import duckdb

from infusion_edits.loader import connect

MART = "admin_line_decisions"
REJECTED = "rejected_claim_lines"
ORDERS = {
    MART: "claim_id, claim_line_number, data_source, claim_line_id",
    REJECTED: "rejected_line_id",
}
FORMATS = {"parquet": "format parquet", "csv": "format csv, header true"}


def mart_relation(
    connection: duckdb.DuckDBPyConnection, name: str = MART
) -> str:
    """The schema-qualified name of a mart in the database."""
    rows = connection.execute(
        "select table_schema from information_schema.tables "
        "where table_name = ? order by table_schema",
        [name],
    ).fetchall()
    if not rows:
        raise RuntimeError(f"{name} was not built: run dbt build first.")
    return f'"{rows[0][0]}"."{name}"'


def export_paths(output_dir: Path) -> dict[str, Path]:
    """Where the marts are written, by '<mart>.<format>'."""
    return {
        f"{name}.{fmt}": output_dir / f"{name}.{fmt}"
        for name in ORDERS
        for fmt in FORMATS
    }


def export_decisions(database: Path, output_dir: Path) -> dict[str, Path]:
    """Write the decision mart and the rejected lines as Parquet and CSV,
    in a stable row order."""
    output_dir.mkdir(parents=True, exist_ok=True)
    paths = export_paths(output_dir)
    with connect(database, read_only=True) as connection:
        for name, order in ORDERS.items():
            query = (
                f"select * from {mart_relation(connection, name)} "
                f"order by {order}"
            )
            for fmt, options in FORMATS.items():
                target = str(paths[f"{name}.{fmt}"]).replace("'", "''")
                connection.execute(f"copy ({query}) to '{target}' ({options})")
    return paths


def summary_rows(database: Path) -> list[tuple[str, str, int, float]]:
    """Lines and amount at risk by decision and deciding rule."""
    with connect(database, read_only=True) as connection:
        relation = mart_relation(connection)
        return connection.execute(
            f"select decision, coalesce(rule_id, '-') as rule_id, "
            f"count(*) as lines, "
            f"cast(sum(amount_at_risk) as double) as amount_at_risk "
            f"from {relation} group by 1, 2 order by 1, 2"
        ).fetchall()


def input_accounting(database: Path) -> list[tuple[str, str, int]]:
    """Input lines not evaluated, by status and reason."""
    with connect(database, read_only=True) as connection:
        relation = mart_relation(connection, REJECTED)
        return connection.execute(
            f"select line_status, reason_code, count(*) from {relation} "
            "group by 1, 2 order by 1, 2"
        ).fetchall()


def format_summary(rows: list[tuple[str, str, int, float]]) -> str:
    """A plain-text table of the summary rows with a total line."""
    header = f"{'decision':<12} {'rule_id':<22} {'lines':>7} {'at risk':>12}"
    lines = [header, "-" * len(header)]
    for decision, rule_id, count, at_risk in rows:
        lines.append(
            f"{decision:<12} {rule_id:<22} {count:>7} {at_risk or 0:>12,.2f}"
        )
    total = sum(row[2] for row in rows)
    risk = sum(row[3] or 0 for row in rows)
    lines.append("-" * len(header))
    lines.append(f"{'total':<12} {'':<22} {total:>7} {risk:>12,.2f}")
    return "\n".join(lines)


def format_accounting(loaded: int, rows: list[tuple[str, str, int]]) -> str:
    """Input lines loaded, and those not evaluated by status and reason."""
    not_evaluated = sum(row[2] for row in rows)
    lines = [
        f"Input lines: {loaded}; evaluated: {loaded - not_evaluated}; "
        f"not evaluated: {not_evaluated}"
    ]
    lines += [
        f"  {status:<11} {reason:<24} {count:>7}"
        for status, reason, count in rows
    ]
    return "\n".join(lines)
