"""Every login is throttled by one mechanism: the authentication backend below authenticate().

The API's token endpoint and the admin's login form count into the same failures, and a
throttled login is refused even with the right password, whichever way it comes in."""

from http import HTTPStatus

import pytest
from django.contrib.auth import authenticate
from django.test import Client, override_settings
from django.urls import reverse

from example_api.accounts.models import User

ADMIN_LOGIN = reverse("admin:login")
API_LOGIN = reverse("api:issue_token")
PASSWORD = "a-staff-password-for-tests"
WRONG = "not-the-password-1"
THROTTLED_BODY = {
    "detail": "too many failed login attempts; try again later",
    "code": "login_throttled",
}


class AdminBrowser:
    """The admin's login page as a browser uses it: CSRF checks on, the token from the page's
    cookie sent back with each POST, with the form's hidden `next` field."""

    def __init__(self, address: str = "127.0.0.1") -> None:
        self.client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)

    def log_in(self, username: str, password: str):
        if "csrftoken" not in self.client.cookies:
            self.client.get(ADMIN_LOGIN)
        csrf = self.client.cookies["csrftoken"].value
        return self.client.post(
            ADMIN_LOGIN,
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": csrf,
                "next": reverse("admin:index"),  # the form's hidden field
            },
        )

    def logged_in(self) -> bool:
        return self.client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def api_login(username: str, password: str, address: str = "127.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        API_LOGIN, {"username": username, "password": password}, content_type="application/json"
    )


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_user(username="root", password=PASSWORD, is_staff=True)


def test_admin_login_works_when_not_throttled(staff):
    browser = AdminBrowser()
    response = browser.log_in("root", PASSWORD)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("admin:index")
    assert browser.logged_in()


def test_five_admin_failures_lock_the_username_even_with_the_right_password(staff):
    browser = AdminBrowser()
    for _ in range(5):
        failed = browser.log_in("root", WRONG)
        assert failed.status_code == HTTPStatus.OK
        assert "Please enter the correct username and password" in failed.text
    locked = browser.log_in("root", PASSWORD)
    assert locked.status_code == HTTPStatus.OK
    assert "Too many failed login attempts. Try again in 15 minutes." in locked.text
    assert not browser.logged_in()
    # The username stays locked from any address.
    other = AdminBrowser("10.0.0.9")
    assert other.log_in("root", PASSWORD).status_code == HTTPStatus.OK
    assert not other.logged_in()


@override_settings(LOGIN_MAX_FAILURES_PER_ADDRESS=3)
def test_failures_from_one_address_lock_that_address(staff):
    attacker = AdminBrowser("10.1.1.1")
    for attempt in range(3):
        attacker.log_in(f"guess{attempt}", WRONG)
    assert attacker.log_in("root", PASSWORD).status_code == HTTPStatus.OK
    assert not attacker.logged_in()
    elsewhere = AdminBrowser("10.2.2.2")
    assert elsewhere.log_in("root", PASSWORD).status_code == HTTPStatus.FOUND


def test_admin_failures_lock_the_api_login(staff):
    for _ in range(5):
        AdminBrowser().log_in("root", WRONG)
    response = api_login("root", PASSWORD)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response.json() == THROTTLED_BODY
    assert 0 < int(response["Retry-After"]) <= 15 * 60


def test_api_failures_lock_the_admin_login(staff):
    for _ in range(5):
        assert api_login("root", WRONG).status_code == HTTPStatus.UNAUTHORIZED
    browser = AdminBrowser()
    assert "Too many failed login attempts" in browser.log_in("root", PASSWORD).text
    assert not browser.logged_in()


def test_the_backend_refuses_a_throttled_login_whoever_calls_authenticate(staff):
    # No form, no pre-check: the refusal is below authenticate(), for any login a fork adds.
    for _ in range(5):
        assert authenticate(username="root", password=WRONG) is None
    assert authenticate(username="root", password=PASSWORD) is None
    assert not Client().login(username="root", password=PASSWORD)


def test_requests_refused_for_csrf_are_not_login_attempts(staff):
    client = Client(enforce_csrf_checks=True)
    for _ in range(10):
        response = client.post(ADMIN_LOGIN, {"username": "root", "password": WRONG})
        assert response.status_code == HTTPStatus.FORBIDDEN
    assert AdminBrowser().log_in("root", PASSWORD).status_code == HTTPStatus.FOUND
