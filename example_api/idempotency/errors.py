"""What the Idempotency-Key header can be refused for (api.py gives the statuses)."""

from enum import StrEnum

from example_api.errors import DomainError


class Code(StrEnum):
    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"


class IdempotencyKeyInvalid(DomainError):
    code = Code.IDEMPOTENCY_KEY_INVALID

    def __init__(self) -> None:
        super().__init__("Idempotency-Key must be 1-255 visible ASCII characters, no spaces")


class IdempotencyKeyReused(DomainError):
    code = Code.IDEMPOTENCY_KEY_REUSED

    def __init__(self) -> None:
        super().__init__(
            "this Idempotency-Key was sent with another body; use a new key for a new request"
        )
