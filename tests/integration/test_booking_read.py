"""The plain-SQL booking read against the ORM, on PostgreSQL (aware datetimes come from
psycopg there, not from SQLite's strings)."""

import pytest

from tests.unit.test_booking_read import (  # noqa: F401 - collected and run here again
    test_a_read_row_saves_as_an_update,
    test_the_sql_selects_every_field_of_the_model,
    test_visible_booking_matches_the_orm,
)

pytestmark = pytest.mark.django_db
