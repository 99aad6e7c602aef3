# Load tests and benchmarks (load/). Included by the main Makefile:
#     include load/load.mk
# Everything listens on 127.0.0.1 only and is stopped at the end, also on failure.
# Reports go to reports/load, reports/load-smoke and reports/bench.

LOAD_RUN := $(UV) run --frozen --group load

.PHONY: load
load: install ## Load test: production stack on loopback, locust headless, budgets in load/budgets.toml
	$(LOAD_RUN) python -m load.run

.PHONY: load-smoke
load-smoke: install ## Short load test (about a minute in all) with the same budgets; CI runs it
	$(LOAD_RUN) python -m load.run --smoke

.PHONY: bench
bench: install ## Benchmark with wrk: API vs a bare hello app, gunicorn vs granian, FastAPI reference
	@command -v wrk >/dev/null || { echo "installing wrk (apt)"; \
		if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null; \
		else sudo apt-get install -y -qq wrk >/dev/null; fi; }
	$(LOAD_RUN) python -m load.bench $(BENCH_ARGS)
