# Benchmark of the runner on generated claim volumes (1M and 10M lines by
# default); writes docs/performance.md. Then a daily run of 100k lines
# against 10M lines of history; writes docs/performance-daily.md.
# `make bench-spill` runs 100M lines once with a 12 GB DuckDB memory limit
# (about 30 minutes of the whole machine with the generation, a 32 GB
# database and up to 10 GB of spill files);
# writes docs/performance-spill.md.
# Included from the main Makefile, which defines STAMP and BIN: run it
# with `make bench` or `make bench-spill`.

.PHONY: bench bench-spill

bench: $(STAMP)
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_daily.py

bench-spill: $(STAMP)
	$(BIN)/python scripts/bench_spill.py
