# Production image for the Slipway API.
#
#   build:    make image                 (docker, or buildah/podman where there is no Docker engine)
#   run:      docker run -p 8000:8000 --env-file .env slipway:dev
#   migrate:  docker run --rm --env-file .env slipway:dev python manage.py migrate --noinput
#
# The base is pinned by version here and by digest where CI builds it (.github/workflows/ci.yml
# passes `--build-context python:3.11-slim-bookworm=docker-image://...@sha256:...`). Keep the
# FROM lines literal: Dependabot cannot follow an image chosen through an ARG.
# docs/container.md explains every choice below.

# --- build: resolve the locked dependencies into /opt/venv, collect static files ---------------
FROM python:3.11-slim-bookworm AS build

# uv comes from PyPI, pinned to the Makefile's UV_VERSION; it never reaches the runtime stage.
# UV_NATIVE_TLS: trust the base image's CA store (where a corporate proxy CA would be added).
ARG UV_VERSION=0.9.30

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON_PREFERENCE=only-system \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_NATIVE_TLS=1

RUN pip install --no-cache-dir "uv==${UV_VERSION}"

WORKDIR /app

# Dependencies first, from the lockfile only, so that a source change reuses this layer.
# --no-install-project: the project itself is not a package; its source is copied below.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project

COPY manage.py ./
COPY example_api ./example_api

# Static files are collected at build time into STATIC_ROOT. Settings refuse a placeholder
# SECRET_KEY when DEBUG is off, so this one step gets a random, throwaway key that is not kept
# in any layer's environment.
ENV STATIC_ROOT=/app/staticfiles
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    DJANGO_SETTINGS_MODULE=example_api.settings DEBUG=false \
    /opt/venv/bin/python manage.py collectstatic --noinput \
    && /opt/venv/bin/python -m compileall -q example_api manage.py

# --- runtime: the interpreter, the venv and the app; no compilers, no uv, no caches ----------
FROM python:3.11-slim-bookworm AS runtime

LABEL org.opencontainers.image.title="slipway" \
      org.opencontainers.image.description="Slipway example API (Django, granian)"

# What /healthz reports as "version"; CI passes the commit.
ARG APP_VERSION=dev

# A fixed, unprivileged uid/gid, so volume permissions and Kubernetes runAsUser can rely on it.
RUN groupadd --gid 10001 app \
    && useradd --uid 10001 --gid app --no-create-home --no-log-init \
       --home-dir /nonexistent --shell /usr/sbin/nologin app

ENV PATH=/opt/venv/bin:$PATH \
    APP_VERSION=$APP_VERSION \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=example_api.settings \
    DEBUG=false \
    STATIC_ROOT=/app/staticfiles \
    HOST=0.0.0.0 \
    PORT=8000

# The venv and the code belong to root and are read-only for the app user.
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
COPY docker/healthcheck.py /usr/local/bin/healthcheck

WORKDIR /app
USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "/usr/local/bin/healthcheck"]

# granian in WSGI mode, with the options of example_api/serve.py (WEB_CONCURRENCY and
# BLOCKING_THREADS override its sizes). Exec form: granian is PID 1 and gets docker stop's
# SIGTERM, then shuts down gracefully.
CMD ["python", "-m", "example_api.serve"]
