# Forking: rename the package, remove parts, pull later template changes, and their tests.
# See docs/forking.md. The scripts need only Python 3.11+ and git (no .venv).

.PHONY: rename
rename: ## Rename the fork: NAME=billing_api [SLUG=billing-api] [TITLE=Billing] [TEMPLATE=url]
	@if [ -z "$(NAME)" ]; then echo "usage: make rename NAME=billing_api [SLUG=..] [TITLE=..]" >&2; exit 2; fi
	$(PYTHON) -m scripts.rename --name "$(NAME)" \
		$(if $(SLUG),--slug "$(SLUG)") $(if $(TITLE),--title "$(TITLE)") \
		$(if $(TEMPLATE),--template "$(TEMPLATE)")

.PHONY: parts
parts: ## List the parts a fork can remove, and which this tree keeps
	@$(PYTHON) -m scripts.parts list

.PHONY: remove
remove: ## Remove parts, e.g. PARTS="assistant monitoring" (staged; see `make parts`)
	@if [ -z "$(PARTS)" ]; then echo 'usage: make remove PARTS="assistant monitoring" (make parts lists them)' >&2; exit 2; fi
	$(PYTHON) -m scripts.parts remove $(PARTS)

.PHONY: lint-parts
lint-parts: ## Check the parts' markers and manifest (scripts/parts.toml)
	$(PYTHON) -m scripts.parts check

# `make lint` runs it too (a second rule for lint adds a prerequisite, no recipe).
lint: lint-parts

.PHONY: template-update
template-update: ## Pull template changes through the rename: [TEMPLATE=url] [REF=main] [CONTINUE=1|ABORT=1]
	$(PYTHON) -m scripts.template_update \
		$(if $(TEMPLATE),--template "$(TEMPLATE)") $(if $(REF),--ref "$(REF)") \
		$(if $(CONTINUE),--continue) $(if $(ABORT),--abort)

.PHONY: test-template
test-template: install ## Test rename, each removal and the domain swap on copies (lint, types, unit tests), template-update
	DATABASE_URL=$(UNIT_DB) $(RUN) pytest tests/template -q -s $(PYTEST_ARGS)
