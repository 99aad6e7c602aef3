"""Every URL the tests call, in one table built with reverse() from the url names of
example_api/urls.py and the API's operations (namespace "api"). When a route or an
operation's name changes, this module is the one place in tests/ that changes."""

from django.urls import reverse

API = "api"


def _api(name: str, **kwargs: object) -> str:
    return reverse(f"{API}:{name}", kwargs=kwargs or None)


HEALTHZ = reverse("healthz")
READYZ = reverse("readyz")
API_ROOT = _api("api-root")
OPENAPI = _api("openapi-json")
REGISTER = _api("register_user")
TOKEN = _api("issue_token")  # POST logs in, DELETE (revoke_token) logs out
ME = _api("get_current_user")


# Paths no route serves, for the JSON 404 tests: an unknown name under the API, another
# version, the bare /api/ prefix and a path below a real one.
UNROUTED = [
    API_ROOT + "nothing/",
    ME.replace(API_ROOT, "/api/v2/"),
    "/api/",
    ME + "extra/",
]


# >>> part assistant
ASSISTANT_REQUESTS = _api("submit_assistant_request")


def assistant_request_url(request_id: int | str) -> str:
    return _api("get_assistant_request", request_id=request_id)


# <<< part assistant
# Not part of the API (no OpenAPI entry): loopback only, see example_api/metrics/exposition.py.
METRICS = reverse("metrics")
