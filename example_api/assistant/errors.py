"""What the assistant refuses (domain errors; their HTTP statuses are in its api.py), and
why a request ends `failed` (AssistantFailure: never an HTTP error, the `code` of a failed
request in GET /assistant/requests/{id}/). A proposal that breaks the booking rule fails with
the booking rule's own code (booking_in_past, ...)."""

from enum import StrEnum
from typing import ClassVar

from example_api.errors import DomainError


class Code(StrEnum):
    UNKNOWN_TIME_ZONE = "unknown_time_zone"
    ASSISTANT_DISABLED = "assistant_disabled"
    ASSISTANT_QUOTA_EXCEEDED = "assistant_quota_exceeded"
    ASSISTANT_REQUEST_NOT_FOUND = "assistant_request_not_found"
    # Why an assistant request ended `failed` (its `code`; never an HTTP error's).
    ASSISTANT_UPSTREAM_TIMEOUT = "assistant_upstream_timeout"
    ASSISTANT_UPSTREAM_RATE_LIMITED = "assistant_upstream_rate_limited"
    ASSISTANT_UPSTREAM_ERROR = "assistant_upstream_error"
    ASSISTANT_INVALID_OUTPUT = "assistant_invalid_output"
    ASSISTANT_UNKNOWN_RESOURCE = "assistant_unknown_resource"


class AssistantFailure(Exception):
    """Why the job could not propose anything; stored, shown, never raised to a client."""

    code: ClassVar[Code]


class UnknownTimeZone(DomainError):
    code = Code.UNKNOWN_TIME_ZONE
    field = "time_zone"

    def __init__(self) -> None:
        super().__init__("is not a known IANA time zone, e.g. Europe/Berlin")


class AssistantDisabled(DomainError):
    code = Code.ASSISTANT_DISABLED

    def __init__(self) -> None:
        super().__init__("the booking assistant is not configured on this server")


class AssistantQuotaExceeded(DomainError):
    code = Code.ASSISTANT_QUOTA_EXCEEDED

    def __init__(self, *, quota: int, retry_after: int) -> None:
        super().__init__(f"at most {quota} assistant requests per day; try again later")
        self.retry_after = retry_after


class AssistantRequestNotFound(DomainError):
    code = Code.ASSISTANT_REQUEST_NOT_FOUND

    def __init__(self) -> None:
        super().__init__("assistant request not found")


class AssistantUpstreamTimeout(AssistantFailure):
    """The language model did not answer in time."""

    code = Code.ASSISTANT_UPSTREAM_TIMEOUT


class AssistantUpstreamRateLimited(AssistantFailure):
    """The language model provider is rate limiting us."""

    code = Code.ASSISTANT_UPSTREAM_RATE_LIMITED


class AssistantUpstreamError(AssistantFailure):
    """The language model provider failed."""

    code = Code.ASSISTANT_UPSTREAM_ERROR


class AssistantInvalidOutput(AssistantFailure):
    """The language model's answer was not a valid proposal."""

    code = Code.ASSISTANT_INVALID_OUTPUT


class AssistantUnknownResource(AssistantFailure):
    """The proposal names a resource that does not exist."""

    code = Code.ASSISTANT_UNKNOWN_RESOURCE
