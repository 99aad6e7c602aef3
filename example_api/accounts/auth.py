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
