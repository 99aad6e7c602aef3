from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path

from example_api.api import api
from example_api.error_responses import error_body
from example_api.health.views import healthz, readyz
from example_api.metrics.exposition import metrics


def api_not_found(request: HttpRequest) -> JsonResponse:
    # Unknown paths under /api/ answer in JSON even with DEBUG on; a bad Host still gets 400.
    request.get_host()
    return JsonResponse(error_body(404), status=404)


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path(settings.METRICS_PATH.lstrip("/"), metrics, name="metrics"),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
    path("admin/", admin.site.urls),
]
