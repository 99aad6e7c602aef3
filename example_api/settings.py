"""Django settings. Every value that differs between machines comes from the environment.

DEBUG is off unless DEBUG=true is set, so a forgotten variable fails safe. See
`.env.example` for the full list of variables.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from example_api.env import env_bool, env_int, env_list, env_str
from example_api.logging import build_logging_config
from example_api.project_apps import app_settings

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
APP_VERSION = env_str("APP_VERSION") or "dev"

# --- secret key -------------------------------------------------------------------------------
_PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "insecure", "dev"}
SECRET_KEY = env_str("SECRET_KEY")
if not DEBUG and (
    SECRET_KEY.lower() in _PLACEHOLDER_SECRETS
    or SECRET_KEY.startswith("django-insecure")
    or "change" in SECRET_KEY.lower()
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or a placeholder. With DEBUG off, set SECRET_KEY to at least 50 "
        'random characters, e.g. python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
if not SECRET_KEY:
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only, refused above

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Browser front ends on other origins, e.g. "https://app.example.com,http://localhost:5173".
# None by default. The API authenticates with bearer tokens, never cookies: no credentials.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/"
# Idempotency-Key: a page may retry its creates safely too (docs/api.md, Safe retries).
CORS_ALLOW_HEADERS = ["accept", "authorization", "content-type", "x-request-id", "idempotency-key"]
# Headers a page's script may read (docs/openapi.json declares them).
CORS_EXPOSE_HEADERS = ["X-Request-ID", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 3600

# --- applications -----------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]
THIRD_PARTY_APPS = [
    "corsheaders",
    "ninja",  # serves Swagger UI's files locally instead of from a CDN
]
# The project's own apps: a new app is added here (docs/forking.md). The project merges what
# each declares in modules of its own (settings.py, errors.py, api.py's ERROR_STATUS,
# migrations; example_api/project_apps.py). Their error codes are listed in this order in the
# OpenAPI document's ErrorCode (example_api/error_catalog.py).
PROJECT_APPS = [
    "example_api.bookings",
    "example_api.accounts",
    "example_api.health",
    "example_api.idempotency",
    "example_api.jobs",  # part: jobs
    "example_api.notifications",  # part: jobs
    "example_api.assistant",  # part: assistant
]
INSTALLED_APPS = [*DJANGO_APPS, *THIRD_PARTY_APPS, *PROJECT_APPS]

# The API's routers (example_api/api.py adds them in this order, under /api/v1/), and how a
# request is authenticated. A list of its own, not PROJECT_APPS' order: that order is the
# error codes', and this one the OpenAPI document's paths'.
API_ROUTERS = [
    "example_api.accounts.api.router",
    "example_api.bookings.api.router",
    "example_api.assistant.api.router",  # part: assistant
]
API_AUTH = "example_api.accounts.auth.bearer_token"

# Only what the API and the admin need; each entry costs on every request. The Host header is
# checked by Django itself when asked (request.get_host()): the API asks on every call (api.py).
MIDDLEWARE = [
    "example_api.middleware.RequestIdMiddleware",
    # Answers browsers' preflights before anything else runs (the CORS_* settings above).
    "corsheaders.middleware.CorsMiddleware",
    "example_api.middleware.ApiResponsesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# --- metrics (docs/operations.md): Prometheus text at METRICS_PATH, for loopback only -------
# The path is fixed: the nginx role proxies exactly this one to the live instance.
METRICS_PATH = "/metrics"
# Off: no request metrics middleware and /metrics answers 404 (`make bench` compares both).
METRICS_ENABLED = env_bool("METRICS_ENABLED", default=True)
if METRICS_ENABLED:
    MIDDLEWARE.insert(0, "example_api.metrics.middleware.RequestMetricsMiddleware")

ROOT_URLCONF = "example_api.urls"
WSGI_APPLICATION = "example_api.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------
# PostgreSQL in production (DATABASE_URL=postgres://...); an SQLite file for a local run.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A psycopg connection pool per worker process: connections are reused across requests
    # without Django's per-request health-check query (measured: a second round trip on
    # every request), and the pool bounds how many a process opens.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # libpq's connect_timeout (a DATABASE_URL's own wins): without it psycopg waits 130 s for a
    # server that vanished mid-handshake, and the pool's few workers wait with it.
    options.setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT_SECONDS", 5))
    # PostgreSQL's statement_timeout, set here and nowhere else (0: none): a statement stuck
    # on a lock or a slow plan is cancelled, so a request whose client has gone stops within
    # this bound, answered 503 (example_api/outages.py). After any options of DATABASE_URL,
    # so this one wins. A migration longer than this needs DB_STATEMENT_TIMEOUT_SECONDS=0.
    statement_timeout_ms = env_int("DB_STATEMENT_TIMEOUT_SECONDS", 15) * 1000
    options["options"] = " ".join(
        filter(None, [options.get("options"), f"-c statement_timeout={statement_timeout_ms}"])
    )
    options["pool"] = {
        "min_size": env_int("DB_POOL_MIN_SIZE", 1),
        "max_size": env_int("DB_POOL_MAX_SIZE", 4),
        "timeout": env_int("DB_POOL_TIMEOUT_SECONDS", 10),
        # A lost connection is retried with growing pauses (1, 2, 4... s) for this long, then
        # given up; the next request that finds the pool empty starts afresh. Short, so the
        # pool returns within seconds of the database (a restart, a failover), not minutes.
        "reconnect_timeout": env_int("DB_POOL_RECONNECT_TIMEOUT_SECONDS", 10),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # BEGIN IMMEDIATE takes the write lock at the start of every transaction, so the
    # check-then-insert of a domain write is serialized; SQLite has no exclusion constraints.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# >>> part jobs
# --- background jobs (docs/jobs.md): procrastinate's queue lives in PostgreSQL ---------------
# On SQLite (`make run`, unit tests) there is no queue: jobs run inline once the enqueuing
# transaction commits. This is the one switch; example_api/jobs/queue.py reads it.
JOBS_RUN_INLINE = DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
if not JOBS_RUN_INLINE:
    # Before the apps whose tasks.py modules it discovers; its migrations are PostgreSQL-only.
    INSTALLED_APPS.insert(INSTALLED_APPS.index("example_api.jobs"), "procrastinate.contrib.django")

# --- e-mail: SMTP from the environment; `make run` sets the console backend -----------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Slipway <noreply@localhost>")
# <<< part jobs

# --- cache: login throttling must be shared by all workers, so Redis in production -----------
REDIS_URL = env_str("REDIS_URL")
# django-redis rather than Django's own RedisCache: Django's builds a new redis client object
# on every call, which made a cache read cost 2-3x more CPU (docs/performance.md); hiredis
# parses the replies in C.
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering fails a request within seconds (1 s a try,
            # redis-py tries up to 3 times) instead of holding its worker thread for good.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- auth -------------------------------------------------------------------------------------
# ModelBackend behind the failed-login throttle: every login (API, admin) is throttled.
AUTHENTICATION_BACKENDS = ["example_api.accounts.backends.ThrottledModelBackend"]

# The document declares it too (accounts/schemas.py), so clients can check it before sending.
PASSWORD_MIN_LENGTH = 10
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# --- i18n, static -----------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))

# --- security: strict unless DEBUG ------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # TLS ends at nginx, which sets X-Forwarded-Proto; probes on loopback stay on plain HTTP.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", f"^{METRICS_PATH.lstrip('/')}$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # API bodies are small; refuse big ones early

# --- logging: JSON lines in production, readable console with DEBUG ---------------------------
LOGGING = build_logging_config(json=not DEBUG, level=env_str("LOG_LEVEL", "INFO"))

# --- the apps' own settings -------------------------------------------------------------------
# Each app keeps its own settings in its settings.py (e.g. example_api/accounts/settings.py),
# merged here in PROJECT_APPS order, so a new app's settings need no edit of this file.
globals().update(app_settings(PROJECT_APPS))
