from django.http import HttpRequest
from ninja.security import HttpBearer

from example_api.accounts.tokens import Principal, resolver


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; sets `request.auth` to the token's Principal."""

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        if not token or len(token) > 200:
            return None
        return resolver.resolve(token)


bearer_token = BearerToken()


def principal_of(request: HttpRequest) -> Principal:
    """The Principal `bearer_token` set on an authenticated request, typed for the views."""
    principal = request.auth  # type: ignore[attr-defined]
    if not isinstance(principal, Principal):
        raise TypeError("principal_of() needs a view protected by bearer_token")
    return principal


def user_id_of(request: HttpRequest) -> int:
    """Whose an authenticated request is: the owner of its idempotency keys, for one."""
    return principal_of(request).user_id
