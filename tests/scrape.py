"""Reading /metrics in tests: scrape it through the test client (as a loopback caller) and
look samples up by name and labels; a series not there yet reads as 0."""

from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from tests.endpoints import METRICS

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(api: Any) -> Samples:
    response = api.get(METRICS, REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200, response.content
    return parse(response.content.decode())


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)
