"""Why a call to the model gave no answer, once the retries are used up; and a spent quota.
Plain exceptions, not API errors: each caller decides what its users see."""


class LlmFailure(Exception):
    """The provider gave no usable answer."""


class LlmTimeout(LlmFailure):
    """No answer within the timeout, on every attempt."""


class LlmRateLimited(LlmFailure):
    """The provider said 429 on every attempt (or asked for a longer wait than we give)."""


class LlmUnavailable(LlmFailure):
    """A 5xx, a connection refused or reset, or any other refusal of the provider."""


class QuotaSpent(Exception):
    """A caller's allowance for the day is used up."""

    def __init__(self, *, limit: int, retry_after: int) -> None:
        super().__init__(f"{limit} calls per day used up; retry in {retry_after} s")
        self.limit = limit
        self.retry_after = retry_after
