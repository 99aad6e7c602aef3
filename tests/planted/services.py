from prometheus_client import Counter

from example_api.metrics.instruments import REGISTRY
from tests.planted.errors import ParcelHeld

PARCELS_HELD = Counter(
    "slipway_planted_parcels_held", "Parcels refused as held.", registry=REGISTRY
)
HOLD_SECONDS = 90


def collect_parcel() -> None:
    PARCELS_HELD.inc()
    raise ParcelHeld(retry_after=HOLD_SECONDS)
