from django.http import HttpRequest
from ninja.security import HttpBearer

from example_api.accounts.models import ApiToken
from example_api.accounts.selectors import active_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; sets `request.auth` to the live ApiToken."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        if not token or len(token) > 200:
            return None
        return active_token(token)


bearer_token = BearerToken()
