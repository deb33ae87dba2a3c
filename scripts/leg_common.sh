# Shared first steps of the warehouse test legs (scripts/postgres_leg.sh,
# scripts/spark_leg.sh): sourced, not run. Moves to the project folder and
# defines the paths, the dbt vars of the demo claims, a timed step banner,
# the venv check, the install of a leg's requirements and the dbt build.

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROJECT_DIR=$(pwd)
VENV_BIN="$PROJECT_DIR/.venv/bin"
# The demo claims' plans and a fixed run date, as in the DuckDB tests.
DBT_VARS='{"in_scope_plans": ["WI Marketplace Bronze",
    "WI Marketplace Silver", "WI Marketplace Gold"],
    "run_started_at": "2026-12-01 00:00:00"}'

started=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" "$(($(date +%s) - started))"; }

if [[ ! -x "$VENV_BIN/python" ]]; then
    echo "No project venv at .venv: run 'make venv' first." >&2
    exit 1
fi

# install_leg_requirements FILE: the leg's adapter, pinned by the lock.
install_leg_requirements() {
    "$VENV_BIN/pip" install --quiet --disable-pip-version-check \
        -r "$1" -c requirements.lock
}

# leg_dbt_build WORK: every seed, model and test, with dbt's target and
# logs in WORK so that the DuckDB artifacts in target/ stay.
leg_dbt_build() {
    "$VENV_BIN/dbt" build --full-refresh \
        --project-dir "$PROJECT_DIR" --profiles-dir "$PROJECT_DIR" \
        --target-path "$1/target" --log-path "$1/logs" \
        --vars "$DBT_VARS"
}
