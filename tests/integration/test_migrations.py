"""Migrations are in sync with the models and run both ways on PostgreSQL."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from example_api.health.checks import migrations_pending

pytestmark = pytest.mark.django_db(transaction=True)


def tables() -> set[str]:
    return set(connection.introspection.table_names())


def constraint_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", [name])
        return cursor.fetchone() is not None


def test_makemigrations_has_nothing_to_add():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_migrate_back_to_zero_and_forward_again():
    assert constraint_exists("booking_no_overlap")
    call_command("migrate", "bookings", "zero", verbosity=0)
    assert "bookings_booking" not in tables()
    assert not constraint_exists("booking_no_overlap")
    call_command("migrate", "accounts", "zero", verbosity=0)
    assert "accounts_apitoken" not in tables()
    call_command("migrate", verbosity=0)
    assert {"bookings_booking", "bookings_resource", "accounts_apitoken"} <= tables()
    assert constraint_exists("booking_no_overlap")


def test_an_unapplied_migration_is_pending_and_nothing_is_applied():
    call_command("migrate", "bookings", "0002", verbosity=0)
    try:
        assert migrations_pending()
        assert migrations_pending()  # the check applied nothing
    finally:
        call_command("migrate", verbosity=0)
    assert not migrations_pending()
