"""On SQLite there is no queue: a job runs in the process once the transaction commits
(settings.JOBS_RUN_INLINE), and a failing job never fails the request that enqueued it."""

from datetime import timedelta

import pytest
from django.core import mail

from example_api.accounts.models import ApiToken
from example_api.accounts.tasks import delete_dead_tokens_job
from tests import domain_support
from tests.factories import future, iso


def book(api, token, resource):
    start = future(24)
    body = {"resource_id": resource.pk, "start": iso(start), "end": iso(start + timedelta(hours=1))}
    return api.post(domain_support.BOOKINGS, body, token=token)


def test_the_confirmation_is_sent_after_commit(
    settings, api, make_user, token_for, resource, django_capture_on_commit_callbacks
):
    assert settings.JOBS_RUN_INLINE
    token = token_for(make_user("grace"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = book(api, token, resource)
        assert mail.outbox == []  # nothing before the commit
    assert response.status_code == 201
    assert len(callbacks) == 2  # the job's inline run, and the booking outcomes metric
    (message,) = mail.outbox
    assert message.to == ["grace@example.com"]
    assert f"Booking id: {response.json()['id']}" in message.body


def test_a_failing_inline_job_does_not_fail_the_request(
    settings, api, make_user, token_for, resource, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.unit.test_send_once.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = book(api, token_for(make_user()), resource)
    assert response.status_code == 201


@pytest.mark.django_db
def test_the_periodic_cleanup_job_deletes_dead_tokens(make_user, token_for):
    token_for(make_user(), expires_in=timedelta(days=-2))
    delete_dead_tokens_job(timestamp=0)
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_no_address_no_mail_and_a_sent_one_is_not_sent_again(make_user, resource):
    from example_api.bookings.models import Booking
    from example_api.bookings.tasks import send_booking_confirmation

    user = make_user()
    start = future(24)
    booking = Booking.objects.create(
        user=user, resource=resource, start=start, end=start + timedelta(hours=1)
    )
    user.email = ""
    user.save()
    send_booking_confirmation(booking_id=booking.pk)
    assert mail.outbox == []
    user.email = "back@example.com"
    user.save()
    send_booking_confirmation(booking_id=booking.pk)
    send_booking_confirmation(booking_id=booking.pk)
    send_booking_confirmation(booking_id=booking.pk + 1000)  # gone
    (message,) = mail.outbox
    assert message.to == ["back@example.com"]
