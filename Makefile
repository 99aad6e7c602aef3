# Slipway task runner. `make help` lists the targets; CI runs these same targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
UV_VERSION := 0.9.30
# Use uv from PATH when present, otherwise install a pinned copy into .tools/.
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen
HOST ?= 127.0.0.1
PORT ?= 8000
UNIT_DB := sqlite://:memory:
COVERAGE_MIN := 95
# How many of make test's parts (lint steps, types, the two test layers) run at once.
TEST_JOBS ?= 4
# Python keeps compiled modules in __pycache__ (git-ignored). Without them every pytest
# process, xdist worker and manage.py check compiles Django, hypothesis and schemathesis
# again: about 3.5 s of CPU for each pytest start on this 2-core machine.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen
	@touch $@

.PHONY: install
install: .venv/.synced ## Create .venv from uv.lock (dev tools included)
	@if [ -d .git ] && [ ! -f .git/hooks/pre-commit ]; then $(RUN) pre-commit install >/dev/null && echo "pre-commit hooks installed"; fi

.PHONY: run
run: install ## Run the API locally: SQLite, migrations, demo data, http://127.0.0.1:8000
	DEBUG=true $(RUN) python manage.py migrate --noinput
	DEBUG=true $(RUN) python manage.py seed_demo
	@echo "Swagger UI: http://$(HOST):$(PORT)/api/v1/docs   admin: http://$(HOST):$(PORT)/admin/"
	@echo "Background jobs run inline after each commit (SQLite: no queue, no worker; docs/jobs.md)."
	@echo "E-mails are printed here (console backend). Assistant: $$(if [ -n "$${ASSISTANT_API_KEY:-}" ]; then echo on; else echo "off (no ASSISTANT_API_KEY; docs/assistant.md)"; fi)"
	DEBUG=true EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend \
		$(RUN) python manage.py runserver $(HOST):$(PORT)

.PHONY: fmt
fmt: install ## Format and auto-fix the code
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

.PHONY: lint
lint: install lint-python lint-architecture lint-domain lint-docker lint-actions lint-deploy ## Lint everything: Python, architecture, the domain's places, Dockerfile, shell, workflows, playbooks (and each lint-* below)

.PHONY: lint-python
lint-python: install ## Lint Python: ruff, formatting, migrations in sync, check --deploy
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	DATABASE_URL=$(UNIT_DB) DJANGO_SETTINGS_MODULE=tests.settings $(RUN) python manage.py makemigrations --check --dry-run
	DATABASE_URL=$(UNIT_DB) DJANGO_SETTINGS_MODULE=tests.settings_deploy_check \
		$(RUN) python manage.py check --deploy --fail-level WARNING

# The contracts are in pyproject.toml ([tool.importlinter], [tool.django_migration_linter]).
# The migration linter reads the SQL each migration runs on PostgreSQL, the production
# database: SQLite rebuilds a table for most field changes, which the linter cannot tell from
# a new NOT NULL column. PostgreSQL is found as for the integration tests; nothing is written.
.PHONY: lint-domain
lint-domain: install ## The example domain's words only where [tool.slipway.domain] allows them
	$(RUN) python scripts/domain_check.py

.PHONY: lint-architecture
lint-architecture: install ## Architecture: layer contracts (import-linter), backward-compatible migrations
	$(RUN) lint-imports
	$(WITH_POSTGRES) env DJANGO_SETTINGS_MODULE=tests.settings_migration_lint \
		$(RUN) python manage.py lintmigrations

# pip download per supported Python x arch, as a server would: it needs PyPI and ~24 s of CPU
# (14 s on an idle 2-core machine, 35-45 s on a busy one), too slow for lint. .ci/run runs it.
.PHONY: check-wheels
check-wheels: install ## Check the runtime requirements have wheels for every supported Python and arch
	$(RUN) python -m scripts.check_wheels

# The runtime requirements as the image installs them (uv sync --frozen --no-dev), with hashes.
RUNTIME_REQUIREMENTS := reports/requirements-runtime.txt
AUDIT := $(UV) run --frozen --only-group audit

.PHONY: $(RUNTIME_REQUIREMENTS)
$(RUNTIME_REQUIREMENTS): | $(UV)
	@mkdir -p reports
	$(UV) export --frozen --no-dev --no-emit-project --no-header --quiet -o $@

# Needs PyPI's vulnerability data (its JSON API), which GitHub reaches and this machine does
# not: --strict fails on any requirement it could not check, so it never passes unaudited.
.PHONY: audit
audit: $(RUNTIME_REQUIREMENTS) ## Audit the locked runtime requirements for known vulnerabilities (pip-audit; network)
	$(AUDIT) pip-audit --strict --require-hashes --disable-pip -r $(RUNTIME_REQUIREMENTS)

.PHONY: sbom
sbom: $(RUNTIME_REQUIREMENTS) ## Write the image's Python SBOM to reports/sbom.cdx.json (CycloneDX, from uv.lock)
	$(AUDIT) cyclonedx-py requirements --pyproject pyproject.toml --output-reproducible \
		--of JSON -o reports/sbom.cdx.json $(RUNTIME_REQUIREMENTS)

.PHONY: typecheck
typecheck: install ## Type check with mypy (django-stubs)
	$(RUN) mypy example_api tests

.PHONY: test-unit
test-unit: install ## Unit tests only (no PostgreSQL; seconds)
	DATABASE_URL=$(UNIT_DB) $(RUN) pytest tests/unit -n 2 -q $(PYTEST_ARGS)

# Finds PostgreSQL (TEST_DATABASE_URL, Docker, or a throwaway local cluster) or stops with
# a message saying how to provide one; see tests/integration/database.py.
WITH_POSTGRES := $(RUN) python -m tests.integration.database --

# Two workers, each on its own test database (pytest-django suffixes the name per worker);
# worksteal lets the idle worker take tests queued behind the long fuzzing run.
INTEGRATION := pytest tests/integration -n 2 --dist worksteal -q

.PHONY: test-integration
test-integration: install ## Integration tests on real PostgreSQL (concurrency, fuzzing, migrations)
	$(WITH_POSTGRES) $(RUN) $(INTEGRATION) $(PYTEST_ARGS)

# make test runs lint, types and both test layers side by side (make -j; the fuzzing test
# alone takes longer than the rest together). Each layer writes its own coverage data; the
# two are combined and checked at the end.
.PHONY: test
test: install ## Everything: lint, types, unit + integration (PostgreSQL), coverage >= 95%
	@rm -f .coverage .coverage.*
	$(MAKE) -j$(TEST_JOBS) --output-sync=target coverage-integration coverage-unit typecheck lint
	$(RUN) coverage combine -q .coverage.unit .coverage.integration
	$(RUN) coverage report --fail-under=$(COVERAGE_MIN)

.PHONY: coverage-unit coverage-integration
coverage-unit: install
	COVERAGE_FILE=.coverage.unit DATABASE_URL=$(UNIT_DB) $(RUN) pytest tests/unit -n 2 -q \
		--cov --cov-report= $(PYTEST_ARGS)

coverage-integration: install
	COVERAGE_FILE=.coverage.integration $(WITH_POSTGRES) $(RUN) $(INTEGRATION) \
		--cov --cov-report= $(PYTEST_ARGS)

# Layers kept in their own fragments: image and workflows, load and bench, deploy and lab,
# the fork tooling (rename, template-update), and the generated clients and the browser.
include docker/image.mk
include load/load.mk
include lab/lab.mk
include scripts/template.mk
include scripts/api.mk
include tests/clients/clients.mk  # part: clients
include tests/cluster/cluster.mk  # part: cluster
