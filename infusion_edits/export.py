"""Export of the decision mart and a summary without member identifiers."""

from __future__ import annotations

from pathlib import Path

import duckdb

MART = "admin_line_decisions"
ORDER = "claim_id, claim_line_number, data_source"


def mart_relation(connection: duckdb.DuckDBPyConnection) -> str:
    """The schema-qualified name of the decision mart in the database."""
    rows = connection.execute(
        "select table_schema from information_schema.tables "
        "where table_name = ? order by table_schema",
        [MART],
    ).fetchall()
    if not rows:
        raise RuntimeError(f"{MART} was not built: run dbt build first.")
    return f'"{rows[0][0]}"."{MART}"'


def export_paths(output_dir: Path) -> dict[str, Path]:
    """Where the decisions are written, by format."""
    return {
        "parquet": output_dir / f"{MART}.parquet",
        "csv": output_dir / f"{MART}.csv",
    }


def export_decisions(database: Path, output_dir: Path) -> dict[str, Path]:
    """Write the mart as Parquet and CSV, in a stable row order."""
    output_dir.mkdir(parents=True, exist_ok=True)
    paths = export_paths(output_dir)
    with duckdb.connect(str(database), read_only=True) as connection:
        relation = mart_relation(connection)
        query = f"select * from {relation} order by {ORDER}"
        for fmt, path in paths.items():
            target = str(path).replace("'", "''")
            options = "format parquet" if fmt == "parquet" else "format csv"
            if fmt == "csv":
                options += ", header true"
            connection.execute(f"copy ({query}) to '{target}' ({options})")
    return paths


def summary_rows(database: Path) -> list[tuple[str, str, int, float]]:
    """Lines and amount at risk by decision and deciding rule."""
    with duckdb.connect(str(database), read_only=True) as connection:
        relation = mart_relation(connection)
        return connection.execute(
            f"select decision, coalesce(rule_id, '-') as rule_id, "
            f"count(*) as lines, "
            f"cast(sum(amount_at_risk) as double) as amount_at_risk "
            f"from {relation} group by 1, 2 order by 1, 2"
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
