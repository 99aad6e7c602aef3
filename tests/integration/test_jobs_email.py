"""Background jobs for real: a booking enqueues its confirmation e-mail in the booking's
transaction, a procrastinate worker sends it to a local SMTP server (aiosmtpd on loopback),
a second run sends nothing, and an SMTP outage is retried with backoff."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from example_api.accounts.cleanup import delete_dead_tokens
from example_api.accounts.models import ApiToken
from example_api.bookings.tasks import send_booking_confirmation
from tests import domain_support
from tests.factories import future, iso
from tests.fakes.jobs import empty_queue, jobs_of, run_worker
from tests.fakes.smtp_server import LocalSmtp
from tests.harness.ports import free_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _empty_queue(transactional_db):
    empty_queue()


TASK = "notifications.send_booking_confirmation"


@pytest.fixture
def smtp(settings):
    with LocalSmtp() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_TIMEOUT = 5
        yield server


def book(api, token, resource, hours=24):
    start = future(hours)
    body = {"resource_id": resource.pk, "start": iso(start), "end": iso(start + timedelta(hours=1))}
    response = api.post(domain_support.BOOKINGS, body, token=token)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_a_booking_sends_one_confirmation(smtp, api, make_user, token_for, resource):
    user = make_user("ada")
    booking_id = book(api, token_for(user), resource)
    assert smtp.messages == []  # not in the request: the job sends it
    (job,) = jobs_of(TASK)
    assert (job.status, job.args) == ("todo", {"booking_id": booking_id})
    run_worker()
    (message,) = smtp.messages
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Booking confirmed: Room Ada"
    assert f"Booking id: {booking_id}" in message.get_payload()
    # Safe to run twice: a redelivered job sends nothing more.
    send_booking_confirmation.defer(booking_id=booking_id)
    run_worker()
    assert len(smtp.messages) == 1
    assert [job.status for job in jobs_of(TASK)] == ["succeeded", "succeeded"]


def test_a_refused_booking_enqueues_nothing(smtp, api, make_user, token_for, resource):
    token = token_for(make_user())
    book(api, token, resource)
    start = future(24)
    clash = {
        "resource_id": resource.pk,
        "start": iso(start),
        "end": iso(start + timedelta(hours=1)),
    }
    assert api.post(domain_support.BOOKINGS, clash, token=token).status_code == 409
    assert len(jobs_of(TASK)) == 1


def test_an_smtp_outage_is_retried_later(settings, api, make_user, token_for, resource):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    book(api, token_for(make_user()), resource)
    before = timezone.now()
    run_worker()
    (job,) = jobs_of(TASK)
    # Back in the queue, not lost: attempt 1 failed, the next waits 2 s (exponential).
    assert (job.status, job.attempts) == ("todo", 1)
    assert job.scheduled_at is not None
    assert job.scheduled_at >= before + timedelta(seconds=1)


def test_dead_tokens_are_deleted_once(make_user, token_for):
    user = make_user()
    token_for(user)  # live
    token_for(user, expires_in=timedelta(days=-3))  # long expired
    revoked = ApiToken.objects.create(
        user=user,
        key_hash="r" * 64,
        expires_at=timezone.now() + timedelta(days=1),
        revoked_at=timezone.now() - timedelta(days=2),
    )
    assert delete_dead_tokens() == 2
    assert delete_dead_tokens() == 0
    assert not ApiToken.objects.filter(pk=revoked.pk).exists()
    assert ApiToken.objects.count() == 1


def test_a_job_left_doing_by_a_dead_worker_is_run_again():
    send_booking_confirmation.defer(booking_id=10**9)  # no such booking: a harmless run
    with connection.cursor() as cursor:  # as a worker killed mid-job leaves it
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'doing' WHERE task_name = %s", [TASK]
        )
    assert [job.status for job in jobs_of(TASK)] == ["doing"]
    # A worker defers its periodic jobs when it starts: retry_stalled_jobs runs every 5
    # minutes, so its latest tick is always recent enough to be deferred.
    run_worker()
    run_worker()  # the retried job is due now
    assert [job.status for job in jobs_of("jobs.retry_stalled_jobs")] == ["succeeded"]
    assert [job.status for job in jobs_of(TASK)] == ["succeeded"]
