from django.http import HttpRequest
from ninja import Router

from example_api.errors import DomainError
from example_api.schemas import errors
from tests.planted import services
from tests.planted.errors import ParcelHeld

router = Router(tags=["parcels"])

ERROR_STATUS: dict[type[DomainError], int] = {ParcelHeld: 503}


@router.post("/parcels/collect/", auth=None, response={204: None, **errors(503)})
def collect_parcel(request: HttpRequest) -> tuple[int, None]:
    services.collect_parcel()
    return 204, None
