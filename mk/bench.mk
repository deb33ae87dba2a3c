# Benchmark of the runner on generated claim volumes (1M and 10M lines by
# default); writes docs/performance.md. Then a daily run of 100k lines
# against 10M lines of history; writes docs/performance-daily.md.
# Included from the main Makefile, which defines STAMP and BIN: run it
# with `make bench`.

.PHONY: bench

bench: $(STAMP)
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_daily.py
