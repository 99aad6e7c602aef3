"""Accounts endpoints: register, log in (token), log out, who am I; and the HTTP status of
each of the accounts domain's errors."""

from http import HTTPStatus

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import AuthenticationError

from example_api.accounts import selectors, services
from example_api.accounts.auth import bearer_token, principal_of
from example_api.accounts.backends import request_address
from example_api.accounts.errors import (
    InvalidCredentials,
    LoginThrottled,
    StaffOnly,
    UsernameTaken,
    UserNotFound,
    WeakPassword,
)
from example_api.accounts.schemas import MeOut, RegisterIn, TokenIn, TokenOut, UserOut
from example_api.errors import DomainError
from example_api.idempotency.api import IDEMPOTENT, idempotent
from example_api.schemas import errors

router = Router(tags=["accounts"])

# Each of this app's domain errors and the status that answers it (the project merges every
# app's table: example_api/api.py). 422: a rule refused well-formed input.
ERROR_STATUS: dict[type[DomainError], int] = {
    UsernameTaken: 409,
    WeakPassword: 422,
    InvalidCredentials: 401,
    LoginThrottled: 429,
    StaffOnly: 403,
    UserNotFound: 404,
}


@router.post(
    "/users/",
    auth=None,
    response={201: UserOut, **errors(400, 409, 413, 422)},
    summary="Register a user",
    openapi_extra=IDEMPOTENT,
)
@idempotent()
def register_user(request: HttpRequest, payload: RegisterIn) -> Status[object]:
    user = services.register_user(
        username=payload.username, email=payload.email, password=payload.password
    )
    return Status(HTTPStatus.CREATED, user)


@router.post(
    "/auth/token/",
    auth=None,
    response={200: TokenOut, **errors(400, 401, 413, 422, 429)},
    summary="Log in: exchange username and password for a bearer token",
)
def issue_token(request: HttpRequest, payload: TokenIn) -> dict[str, object]:
    raw_token, token = services.issue_token(
        username=payload.username,
        password=payload.password,
        client_address=request_address(request),
    )
    return {"token": raw_token, "expires_at": token.expires_at}


@router.delete(
    "/auth/token/",
    auth=bearer_token,
    response={204: None, **errors(401)},
    summary="Log out: revoke the token this request carries",
)
def revoke_token(request: HttpRequest) -> Status[None]:
    services.revoke_token(principal=principal_of(request))
    return Status(HTTPStatus.NO_CONTENT, None)


@router.get(
    "/users/me/",
    auth=bearer_token,
    response={200: MeOut, **errors(401)},
    summary="The user the token belongs to",
)
def get_current_user(request: HttpRequest) -> object:
    user = selectors.active_user(principal_of(request).user_id)
    if user is None:  # deactivated or deleted while its token was still cached
        raise AuthenticationError()
    return user
