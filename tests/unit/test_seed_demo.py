from io import StringIO

import pytest
from django.core.management import call_command

from example_api.accounts.models import User
from example_api.bookings.models import Booking, Resource

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_users_resources_and_bookings_and_prints_credentials():
    output = seed()
    assert {u.username: u.is_staff for u in User.objects.all()} == {
        "admin": True,
        "alice": False,
        "bob": False,
    }
    assert Resource.objects.count() == 3
    assert Booking.objects.count() == 4
    for line in output.splitlines():
        if line.strip().startswith(("admin", "alice", "bob")):
            username, password = line.split()[:2]
            assert User.objects.get(username=username).check_password(password)


def test_seed_demo_is_idempotent_and_keeps_passwords():
    seed()
    hashes = dict(User.objects.values_list("username", "password"))
    output = seed()
    assert "passwords unchanged" in output
    assert dict(User.objects.values_list("username", "password")) == hashes
    assert (User.objects.count(), Resource.objects.count(), Booking.objects.count()) == (3, 3, 4)


def test_seed_demo_can_reset_passwords():
    seed()
    before = User.objects.get(username="alice").password
    assert "alice" in seed("--reset-passwords")
    assert User.objects.get(username="alice").password != before
