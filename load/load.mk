# Load test and bench (load/). Included by the main Makefile:
#     include load/load.mk
# Both serve the API with `python -m example_api.serve` on 127.0.0.1 only, stop what they
# start (also on failure) and fail on a broken budget in load/budgets.toml.
# Reports go to reports/load, reports/load-smoke and reports/bench.

LOAD_RUN := $(UV) run --frozen --group load

.PHONY: load
load: install ## Load test: locust on the production stack, without and with assistant traffic; budgets in load/budgets.toml
	$(LOAD_RUN) python -m load.run

.PHONY: load-smoke
load-smoke: install ## Short load test (about 2.5 min) with the same budgets, assistant traffic included; CI runs it
	$(LOAD_RUN) python -m load.run --smoke

.PHONY: bench
bench: install ## wrk: API req/s as a ratio to a hello app on the same server; fails below budgets.toml [bench]
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install wrk (Debian, Ubuntu), brew install wrk (macOS)" >&2; exit 1; }
	$(LOAD_RUN) python -m load.bench $(BENCH_ARGS)
