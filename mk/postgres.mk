# PostgreSQL test leg; included by the Makefile, which defines $(STAMP).
#   make test-postgres     dbt build and every test on a throwaway
#                          PostgreSQL 15 cluster, then the same-answers
#                          check against DuckDB

.PHONY: test-postgres

test-postgres: $(STAMP)
	bash scripts/postgres_leg.sh
