"""Liveness (/healthz) and readiness (/readyz) probes for load balancers and deploys."""

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

# Once the schema is seen up to date, it stays so for this process (migrations run before a
# release starts), so the migration graph is loaded once, not on every probe.
_schema_current = False


def migrations_pending() -> bool:
    """Django's documented question, `migrate --check`: it exits 1 when any migration of the
    project is unapplied, and applies nothing."""
    try:
        call_command("migrate", check_unapplied=True, interactive=False, verbosity=0)
    except SystemExit:
        return True
    return False


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "version": settings.APP_VERSION})


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    global _schema_current
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _schema_current:
            if migrations_pending():
                return JsonResponse(
                    {"status": "unavailable", "reason": "migrations pending"}, status=503
                )
            _schema_current = True
    except DatabaseError as exc:
        return JsonResponse(
            {"status": "unavailable", "reason": f"database error: {type(exc).__name__}"},
            status=503,
        )
    return JsonResponse({"status": "ok", "version": settings.APP_VERSION})
