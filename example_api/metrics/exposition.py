"""GET /metrics (settings.METRICS_PATH): every worker's metrics, added up, in Prometheus'
text format, and the job queue's figures.

Never public. On a server, the public nginx answers 404 for it and a loopback-only nginx
server proxies it to the live instance's Unix socket. The app refuses it too, with the 404
of a path that does not exist, unless the request
- comes from loopback or a Unix socket (REMOTE_ADDR 127.0.0.0/8, ::1 or empty), and
- went through no forwarding proxy: no X-Forwarded-For, X-Real-IP or Forwarded header
  (the public nginx sets the first two on everything it proxies).
So in the image, /metrics answers inside the container only (a sidecar sharing its network).
"""

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, CollectorRegistry, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from example_api.metrics import instruments, processes
from example_api.metrics.jobs import JobQueueCollector  # part: jobs

FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def is_local(request: HttpRequest) -> bool:
    if any(header in request.META for header in FORWARDING_HEADERS):
        return False
    peer = request.META.get("REMOTE_ADDR") or ""
    if not peer:
        return True  # a Unix socket: only local processes can connect to it
    try:
        return ipaddress.ip_address(peer).is_loopback
    except ValueError:
        return False


def scrape_registry() -> CollectorRegistry:
    """What one scrape reads: every process's files in multiprocess mode (this process's own
    values are among them), this process's registry otherwise; and the job queue."""
    registry = CollectorRegistry()
    directory = processes.multiprocess_dir()
    if directory:
        MultiProcessCollector(registry, path=directory)
    else:
        registry.register(_SingleProcess())
    registry.register(JobQueueCollector())  # part: jobs
    return registry


class _SingleProcess(Collector):
    def collect(self) -> Iterable[Metric]:
        return instruments.REGISTRY.collect()


def metrics(request: HttpRequest) -> HttpResponse:
    # Refused first, so that nothing (not even a 405) tells a stranger the path exists.
    if not settings.METRICS_ENABLED or not is_local(request):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    # Text format 0.0.4, which every Prometheus reads (Debian 13's is 2.53).
    body = generate_latest(scrape_registry())
    return HttpResponse(body, content_type=CONTENT_TYPE_PLAIN_0_0_4)
