"""Reads of the assistant. A request is visible to its owner only."""

from example_api.assistant.models import AssistantRequest
from example_api.bookings import selectors as bookings


def own_request(*, user_id: int, request_id: int) -> AssistantRequest | None:
    return (
        AssistantRequest.objects.select_related("resource")
        .filter(pk=request_id, user_id=user_id)
        .first()
    )


def conflicts(request: AssistantRequest) -> bool:
    """Whether booking the proposal now would collide; read at each GET, since bookings
    change after the proposal was made."""
    if request.resource_id is None or request.start is None or request.end is None:
        return False
    return bookings.has_conflict(
        resource_id=request.resource_id, start=request.start, end=request.end
    )
