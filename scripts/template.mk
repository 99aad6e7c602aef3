# Forking: rename the package, pull later template changes, and the tests of both.
# See docs/forking.md. The scripts need only Python 3.11+ and git (no .venv).

.PHONY: rename
rename: ## Rename the fork: NAME=billing_api [SLUG=billing-api] [TITLE=Billing] [TEMPLATE=url]
	@if [ -z "$(NAME)" ]; then echo "usage: make rename NAME=billing_api [SLUG=..] [TITLE=..]" >&2; exit 2; fi
	$(PYTHON) -m scripts.rename --name "$(NAME)" \
		$(if $(SLUG),--slug "$(SLUG)") $(if $(TITLE),--title "$(TITLE)") \
		$(if $(TEMPLATE),--template "$(TEMPLATE)")

.PHONY: template-update
template-update: ## Pull template changes through the rename: [TEMPLATE=url] [REF=main] [CONTINUE=1|ABORT=1]
	$(PYTHON) -m scripts.template_update \
		$(if $(TEMPLATE),--template "$(TEMPLATE)") $(if $(REF),--ref "$(REF)") \
		$(if $(CONTINUE),--continue) $(if $(ABORT),--abort)

.PHONY: test-template
test-template: install ## Test rename (on a copy: lint, types, unit tests) and template-update
	DATABASE_URL=$(UNIT_DB) $(RUN) pytest tests/template -q -s $(PYTEST_ARGS)
