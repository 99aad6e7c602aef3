"""The latency alert speaks the app's histogram: its threshold is one of the app's bucket bounds
(between two bounds Prometheus interpolates, and the alert would fire on a guess), and its
promtool tests feed only series the app emits."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from example_api.metrics.instruments import LATENCY_BUCKETS

ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = ROOT / "ansible/roles/monitoring/defaults/main.yml"
ALERT_TESTS = ROOT / "tests/alerts"
LE = re.compile(r'slipway_http_request_duration_seconds_bucket\{le="([^"]+)"\}')


def test_the_latency_threshold_is_a_bucket_bound() -> None:
    alerts = yaml.safe_load(DEFAULTS.read_text())["monitoring_alerts"]
    assert alerts["latency_p99_seconds"] in LATENCY_BUCKETS


def test_the_alert_tests_feed_the_apps_buckets() -> None:
    fed = {le for path in ALERT_TESTS.glob("*.test.yml") for le in LE.findall(path.read_text())}
    assert fed, "no latency series in tests/alerts"
    assert fed - {"+Inf"} <= {f"{bound:g}" for bound in LATENCY_BUCKETS}
