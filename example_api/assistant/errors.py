"""What the assistant refuses (domain errors: HTTP statuses in example_api/api.py), and why
a request ends `failed` (AssistantFailure: never an HTTP error, the `code` of a failed
request in GET /assistant/requests/{id}/). A proposal that breaks the booking rule fails
with the booking rule's own code (booking_in_past, booking_too_long, ...)."""

from typing import ClassVar

from example_api.errors import DomainError


class AssistantFailure(Exception):
    """Why the job could not propose anything; stored, shown, never raised to a client."""

    code: ClassVar[str] = "assistant_failure"


class AssistantDisabled(DomainError):
    code = "assistant_disabled"

    def __init__(self) -> None:
        super().__init__("the booking assistant is not configured on this server")


class AssistantQuotaExceeded(DomainError):
    code = "assistant_quota_exceeded"

    def __init__(self, *, quota: int, retry_after: int) -> None:
        super().__init__(f"at most {quota} assistant requests per day; try again later")
        self.retry_after = retry_after


class AssistantRequestNotFound(DomainError):
    code = "assistant_request_not_found"

    def __init__(self) -> None:
        super().__init__("assistant request not found")


class AssistantUpstreamTimeout(AssistantFailure):
    """The language model did not answer in time."""

    code = "assistant_upstream_timeout"


class AssistantUpstreamRateLimited(AssistantFailure):
    """The language model provider is rate limiting us."""

    code = "assistant_upstream_rate_limited"


class AssistantUpstreamError(AssistantFailure):
    """The language model provider failed."""

    code = "assistant_upstream_error"


class AssistantInvalidOutput(AssistantFailure):
    """The language model's answer was not a valid proposal."""

    code = "assistant_invalid_output"


class AssistantUnknownResource(AssistantFailure):
    """The proposal names a resource that does not exist."""

    code = "assistant_unknown_resource"
