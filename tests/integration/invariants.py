"""What must hold in the database whatever the requests did, asked of PostgreSQL itself."""

from django.db import connection


def overlapping_confirmed_pairs() -> int:
    """Counted by the database itself, with a self-join over half-open ranges."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM bookings_booking a JOIN bookings_booking b
              ON a.resource_id = b.resource_id AND a.id < b.id
             AND a.status = 'confirmed' AND b.status = 'confirmed'
             AND a.start < b."end" AND b.start < a."end"
            """
        )
        return int(cursor.fetchone()[0])
