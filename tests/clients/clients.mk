# Generated clients and the docs UI as tests, against the production stack on loopback
# (granian, PostgreSQL, Redis db 6, port 23080): a Python client (openapi-python-client) runs
# the whole flow, TypeScript types (openapi-typescript) compile a typed usage file under
# tsc --strict, and Debian's chromium, driven by Playwright, books through Swagger UI.
# PostgreSQL comes from tests/integration/database.py (TEST_DATABASE_URL, Docker, or a
# throwaway cluster). Nothing generated is kept; the screenshot goes to reports/clients/.
CLIENTS_DIR := tests/clients
CLIENTS_TS := $(CLIENTS_DIR)/typescript
# Debian's chromium by default; another Chromium-based browser with CHROMIUM=/path (GitHub's
# runners: CHROMIUM=/usr/bin/google-chrome). The tests read it from the environment.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

$(CLIENTS_TS)/node_modules/.package-lock.json: $(CLIENTS_TS)/package-lock.json
	cd $(CLIENTS_TS) && npm ci --no-audit --no-fund --loglevel=error

# A Chromium the machine has; Playwright's own browser download is never used, and nothing is
# installed behind the developer's back.
$(CHROMIUM):
	@echo "no browser at $(CHROMIUM): apt-get install chromium (Debian), or CHROMIUM=/path/to/chrome" >&2; exit 1

.PHONY: test-clients
test-clients: install $(CLIENTS_TS)/node_modules/.package-lock.json $(CHROMIUM) ## Generated Python and TypeScript clients and Swagger UI in chromium, on the production stack
	$(WITH_POSTGRES) $(RUN) pytest -c $(CLIENTS_DIR)/pytest.ini $(CLIENTS_DIR) $(PYTEST_ARGS)
