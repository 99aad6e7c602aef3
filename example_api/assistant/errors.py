"""What the assistant refuses (domain errors; their HTTP statuses are in
example_api/error_responses.py), and why a request ends `failed` (AssistantFailure: never an
HTTP error, the `code` of a failed request in GET /assistant/requests/{id}/). A proposal that
breaks the booking rule fails with the booking rule's own code (booking_in_past, ...)."""

from typing import ClassVar

from example_api.errors import DomainError, ErrorCode


class AssistantFailure(Exception):
    """Why the job could not propose anything; stored, shown, never raised to a client."""

    code: ClassVar[ErrorCode]


class UnknownTimeZone(DomainError):
    code = ErrorCode.UNKNOWN_TIME_ZONE
    field = "time_zone"

    def __init__(self) -> None:
        super().__init__("is not a known IANA time zone, e.g. Europe/Berlin")


class AssistantDisabled(DomainError):
    code = ErrorCode.ASSISTANT_DISABLED

    def __init__(self) -> None:
        super().__init__("the booking assistant is not configured on this server")


class AssistantQuotaExceeded(DomainError):
    code = ErrorCode.ASSISTANT_QUOTA_EXCEEDED

    def __init__(self, *, quota: int, retry_after: int) -> None:
        super().__init__(f"at most {quota} assistant requests per day; try again later")
        self.retry_after = retry_after


class AssistantRequestNotFound(DomainError):
    code = ErrorCode.ASSISTANT_REQUEST_NOT_FOUND

    def __init__(self) -> None:
        super().__init__("assistant request not found")


class AssistantUpstreamTimeout(AssistantFailure):
    """The language model did not answer in time."""

    code = ErrorCode.ASSISTANT_UPSTREAM_TIMEOUT


class AssistantUpstreamRateLimited(AssistantFailure):
    """The language model provider is rate limiting us."""

    code = ErrorCode.ASSISTANT_UPSTREAM_RATE_LIMITED


class AssistantUpstreamError(AssistantFailure):
    """The language model provider failed."""

    code = ErrorCode.ASSISTANT_UPSTREAM_ERROR


class AssistantInvalidOutput(AssistantFailure):
    """The language model's answer was not a valid proposal."""

    code = ErrorCode.ASSISTANT_INVALID_OUTPUT


class AssistantUnknownResource(AssistantFailure):
    """The proposal names a resource that does not exist."""

    code = ErrorCode.ASSISTANT_UNKNOWN_RESOURCE
