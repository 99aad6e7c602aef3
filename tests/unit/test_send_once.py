"""Send-once notifications know no feature: any kind of message about any object is sent
once it is built, recorded, and never again for that kind and object."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from example_api.notifications.models import SentNotification
from example_api.notifications.sending import send_once

pytestmark = pytest.mark.django_db


def note(object_id: int) -> EmailMessage:
    return EmailMessage(subject=f"about {object_id}", body="hello", to=["a@example.com"])


def test_one_message_per_kind_and_object():
    assert send_once(kind="reminder", object_id=7, build=note) is True
    assert send_once(kind="reminder", object_id=7, build=note) is False
    # Another object, or another kind for the same object, is another message.
    assert send_once(kind="reminder", object_id=8, build=note) is True
    assert send_once(kind="invoice", object_id=7, build=note) is True
    assert [message.subject for message in mail.outbox] == ["about 7", "about 8", "about 7"]
    assert SentNotification.objects.count() == 3


def test_nothing_to_send_is_not_recorded_so_a_later_call_may_send():
    assert send_once(kind="reminder", object_id=1, build=lambda object_id: None) is False
    assert not SentNotification.objects.exists()
    assert send_once(kind="reminder", object_id=1, build=note) is True


def test_a_failed_send_is_not_recorded_and_raises_for_the_jobs_retry(settings):
    settings.EMAIL_BACKEND = "tests.unit.test_send_once.BrokenBackend"
    with pytest.raises(ConnectionRefusedError):
        send_once(kind="reminder", object_id=1, build=note)
    assert not SentNotification.objects.exists()


def test_a_record_written_concurrently_is_not_an_error():
    def build_and_race(object_id: int) -> EmailMessage:
        # Another run records this message while this one is sending it.
        SentNotification.objects.create(kind="reminder", object_id=object_id)
        return note(object_id)

    assert send_once(kind="reminder", object_id=3, build=build_and_race) is True
    assert SentNotification.objects.count() == 1


class BrokenBackend(BaseEmailBackend):
    """An SMTP server that refuses every message (here, not in a domain's test: a fork that
    deletes the example's tests keeps it)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("no SMTP server")
