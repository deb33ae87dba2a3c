# Spark test leg; included by the Makefile, which defines $(STAMP).
#   make test-spark        dbt build and every test on local Spark
#                          (dbt-spark session method, OpenJDK 17), then
#                          the same-answers check against DuckDB

.PHONY: test-spark

test-spark: $(STAMP)
	bash scripts/spark_leg.sh
