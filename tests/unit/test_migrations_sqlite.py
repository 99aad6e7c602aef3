"""The local default (SQLite) migrates forward, back to zero and forward again: the
PostgreSQL-only exclusion constraint must never reach SQLite's table rebuilds."""

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_sqlite_migrates_both_ways():
    call_command("migrate", "bookings", "zero", verbosity=0)
    assert "bookings_booking" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "bookings_booking" in connection.introspection.table_names()
