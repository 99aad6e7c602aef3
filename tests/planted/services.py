from django.conf import settings
from prometheus_client import Counter

from example_api.metrics.instruments import REGISTRY
from tests.planted.errors import ParcelHeld

PARCELS_HELD = Counter(
    "slipway_planted_parcels_held", "Parcels refused as held.", registry=REGISTRY
)


def collect_parcel() -> None:
    PARCELS_HELD.inc()
    # mypy reads tests.settings, where the planted app and its setting are not installed.
    raise ParcelHeld(retry_after=settings.PARCEL_HOLD_SECONDS)  # type: ignore[misc]
