#!/usr/bin/env bash
# Spark test leg: build the project and run every test on local Spark
# (dbt-spark, session method, inside the dbt process), export the
# decisions and compare them with DuckDB.
#
#   bash scripts/spark_leg.sh
#
# Environment:
#   SPARK_EXPORT  where the decisions are written as CSV
#                 (default build/spark/admin_line_decisions.csv)
#   INFUSION_EDITS_SPARK_DRIVER_MEMORY  driver heap (default 2g, at most 4g)
#
# Needs Java 17 on PATH. Installs requirements-spark.txt into .venv. The
# warehouse folder, the Derby metastore, the demo claims, dbt's target and
# logs all live in a temporary folder removed on exit: only the export
# lands in the project. Spark runs in local mode with the driver bound to
# 127.0.0.1 and no web UI. Exits non-zero when any step fails.
set -euo pipefail

# shellcheck source=scripts/leg_common.sh
source "$(dirname "$0")/leg_common.sh"
SPARK_EXPORT=${SPARK_EXPORT:-build/spark/admin_line_decisions.csv}
if ! command -v java >/dev/null; then
    echo "No java on PATH: Spark needs OpenJDK 17." >&2
    exit 1
fi

work=$(mktemp -d)
cleanup() {
    local status=$?
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

export INFUSION_EDITS_TARGET=spark
INFUSION_EDITS_SPARK_SCHEMA=${INFUSION_EDITS_SPARK_SCHEMA:-infusion_edits}
export INFUSION_EDITS_SPARK_SCHEMA
export INFUSION_EDITS_SPARK_WAREHOUSE="$work/spark-warehouse"
export INFUSION_EDITS_SPARK_METASTORE="$work/metastore"
INFUSION_EDITS_SPARK_DRIVER_MEMORY=${INFUSION_EDITS_SPARK_DRIVER_MEMORY:-2g}
export INFUSION_EDITS_SPARK_DRIVER_MEMORY
# Spark resolves no host name and binds nothing but the loopback address;
# its Python workers are the venv's interpreter.
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_HOSTNAME=localhost
export PYSPARK_PYTHON="$VENV_BIN/python"
export PYSPARK_DRIVER_PYTHON="$VENV_BIN/python"
# Spark's scratch files (block manager, shuffle), the JVM's and Python's
# temporary files (Hive makes a resources folder per session) go to the
# temporary folder too.
export SPARK_LOCAL_DIRS="$work/spark-local"
export INFUSION_EDITS_SPARK_TMPDIR="$work/tmp"
export TMPDIR="$work/tmp"
mkdir -p "$INFUSION_EDITS_SPARK_METASTORE" "$SPARK_LOCAL_DIRS" "$TMPDIR"

step "dbt-spark and pyspark"
install_leg_requirements requirements-spark.txt
java -version 2>&1 | head -n 1

# Each Spark process runs in the temporary folder, so that a stray
# derby.log or spark-warehouse never lands in the project.
step "Demo claims into Spark schema raw"
"$VENV_BIN/python" -m infusion_edits.demo_data --out "$work/demo"
(
    cd "$work"
    PYTHONPATH="$PROJECT_DIR" "$VENV_BIN/python" -m \
        infusion_edits.spark_loader load --input-dir "$work/demo"
)

step "dbt build --full-refresh on Spark"
(
    cd "$work"
    leg_dbt_build "$work"
)

step "Export to $SPARK_EXPORT"
mkdir -p "$(dirname "$SPARK_EXPORT")"
SPARK_EXPORT=$(realpath "$SPARK_EXPORT")
(
    cd "$work"
    PYTHONPATH="$PROJECT_DIR" "$VENV_BIN/python" -m \
        infusion_edits.spark_loader export \
        --relation "$INFUSION_EDITS_SPARK_SCHEMA.admin_line_decisions" \
        --order-by "claim_id, claim_line_number, data_source, claim_line_id" \
        --out "$SPARK_EXPORT"
)

step "Same answers as DuckDB"
SPARK_EXPORT="$SPARK_EXPORT" "$VENV_BIN/pytest" -p no:cacheprovider \
    pytests/test_same_answers.py pytests/test_spark_loader.py

step "Spark leg passed"
