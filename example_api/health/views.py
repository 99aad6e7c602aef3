"""Liveness (/healthz) and readiness (/readyz) probes for load balancers and deploys.

/readyz asks every dependency (health/checks.py) and answers 200 when all answer, else 503
with the ones that failed:

    {"status": "unavailable", "reason": "redis: ConnectionError", "failed": ["redis"],
     "checks": {"database": "ok", "redis": "ConnectionError", "queue": "ok"}, "version": ...}
"""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from example_api.health import checks


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "version": settings.APP_VERSION})


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results = {name: check() or "ok" for name, check in checks.CHECKS.items()}
    failed = [name for name, result in results.items() if result not in ("ok", checks.NOT_USED)]
    body: dict[str, object] = {"status": "ok", "version": settings.APP_VERSION, "checks": results}
    if not failed:
        return JsonResponse(body)
    reason = "; ".join(f"{name}: {results[name]}" for name in failed)
    return JsonResponse(
        {**body, "status": "unavailable", "reason": reason, "failed": failed}, status=503
    )
