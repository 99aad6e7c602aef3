# The API's contract (docs/openapi.json) and its guards. Included by the main Makefile.
# Optic, for the breaking-change diff, is an npm package pinned in scripts/api-compat.

API_COMPAT_DIR := scripts/api-compat

.PHONY: openapi
openapi: install ## Write the code's OpenAPI document to docs/openapi.json
	$(RUN) python -m scripts.openapi

.PHONY: lint-openapi
lint-openapi: install ## Fail when docs/openapi.json differs from the code's document
	$(RUN) python -m scripts.openapi --check

# `make lint` runs it too (a second rule for lint adds a prerequisite, no recipe).
lint: lint-openapi

$(API_COMPAT_DIR)/node_modules/.installed: $(API_COMPAT_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "api-compat needs npm (apt-get install npm)"; exit 1; }
	# No install scripts: one of optic's dependencies would report the install over the network.
	cd $(API_COMPAT_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: api-compat
api-compat: install $(API_COMPAT_DIR)/node_modules/.installed ## Fail on a breaking API change against docs/openapi-release.json
	$(RUN) python -m scripts.api_compat

.PHONY: openapi-release
openapi-release: openapi ## At a release: make the current document the baseline api-compat compares with
	cp docs/openapi.json docs/openapi-release.json
