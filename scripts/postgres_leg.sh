#!/usr/bin/env bash
# PostgreSQL test leg: build the project and run every test on a throwaway
# PostgreSQL 15 cluster, export the decisions and compare them with DuckDB.
#
#   bash scripts/postgres_leg.sh
#
# Environment:
#   PG_PORT    first port to try on 127.0.0.1 (default 55432; the next free
#              one is taken when it is in use)
#   PG_EXPORT  where the decisions are written as CSV
#              (default build/postgres/admin_line_decisions.csv)
#
# Installs PostgreSQL 15 with apt-get when it is missing (needs root). The
# server listens on 127.0.0.1 only and is stopped, and its folder removed,
# on exit. Exits non-zero when any step fails.
set -euo pipefail

# shellcheck source=scripts/leg_common.sh
source "$(dirname "$0")/leg_common.sh"
PG_BIN=/usr/lib/postgresql/15/bin
PG_EXPORT=${PG_EXPORT:-build/postgres/admin_line_decisions.csv}

# The server refuses to run as root: as root, run it as user postgres.
if [[ $EUID -eq 0 ]]; then
    as_server() { runuser -u postgres -- "$@"; }
else
    as_server() { "$@"; }
fi

step "PostgreSQL 15"
if [[ ! -x "$PG_BIN/initdb" ]]; then
    if [[ $EUID -ne 0 ]]; then
        echo "$PG_BIN/initdb is missing; install postgresql-15 as root." >&2
        exit 1
    fi
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        postgresql-15 postgresql-client-15
fi

work=$(mktemp -d)
pg_dir=$(mktemp -d)
server_started=0
cleanup() {
    local status=$?
    if [[ $server_started -eq 1 ]]; then
        as_server "$PG_BIN/pg_ctl" -D "$pg_dir/data" -m fast -w stop \
            >/dev/null || status=1
    fi
    rm -rf "$pg_dir" "$work"
    exit "$status"
}
trap cleanup EXIT
if [[ $EUID -eq 0 ]]; then
    chown postgres "$pg_dir"
fi

port_is_free() {
    "$VENV_BIN/python" - "$1" <<'EOF'
import socket
import sys

with socket.socket() as probe:
    try:
        probe.bind(("127.0.0.1", int(sys.argv[1])))
    except OSError:
        sys.exit(1)
EOF
}
port=${PG_PORT:-55432}
for _ in $(seq 1 50); do
    port_is_free "$port" && break
    port=$((port + 1))
done
if ! port_is_free "$port"; then
    echo "No free port on 127.0.0.1 from ${PG_PORT:-55432} on." >&2
    exit 1
fi

step "Throwaway cluster on 127.0.0.1:$port"
(
    cd "$pg_dir"
    as_server "$PG_BIN/initdb" -D "$pg_dir/data" -U postgres -A trust \
        --encoding UTF8 --locale C >/dev/null
)
server_started=1
if ! (cd "$pg_dir" && as_server "$PG_BIN/pg_ctl" -D "$pg_dir/data" \
    -l "$pg_dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir" start); then
    cat "$pg_dir/server.log" >&2 || true
    exit 1
fi

export INFUSION_EDITS_TARGET=postgres
export INFUSION_EDITS_PG_HOST=127.0.0.1
export INFUSION_EDITS_PG_PORT=$port
export INFUSION_EDITS_PG_USER=postgres
export INFUSION_EDITS_PG_PASSWORD=
export INFUSION_EDITS_PG_DBNAME=infusion_edits
export INFUSION_EDITS_PG_SCHEMA=infusion_edits
psql_run() {
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" \
        -U postgres "$@"
}
psql_run -d postgres -c "create database infusion_edits"

step "dbt-postgres"
install_leg_requirements requirements-postgres.txt

step "Demo claims into schema raw"
"$VENV_BIN/python" -m infusion_edits.demo_data --out "$work/demo"
"$VENV_BIN/python" -m infusion_edits.pg_loader --input-dir "$work/demo"

step "dbt build --full-refresh on Postgres"
leg_dbt_build "$work"

step "Export to $PG_EXPORT"
mkdir -p "$(dirname "$PG_EXPORT")"
# \copy reads its arguments up to the end of the line: keep it on one.
query="select * from $INFUSION_EDITS_PG_SCHEMA.admin_line_decisions"
query+=" order by claim_id, claim_line_number, data_source, claim_line_id"
psql_run -d infusion_edits \
    -c "\\copy ($query) to stdout with (format csv, header true)" \
    >"$PG_EXPORT.part"
mv "$PG_EXPORT.part" "$PG_EXPORT"
echo "$(($(wc -l <"$PG_EXPORT") - 1)) rows"

step "Same answers as DuckDB"
PG_EXPORT=$(realpath "$PG_EXPORT") "$VENV_BIN/pytest" -p no:cacheprovider \
    pytests/test_same_answers.py

step "Postgres leg passed"
