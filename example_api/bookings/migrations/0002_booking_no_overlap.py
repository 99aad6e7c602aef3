"""The no-overlap guarantee: an exclusion constraint, created on PostgreSQL only.

Raw SQL, outside Django's model state: SQLite (the local default) has no exclusion
constraints and rebuilds tables from the model state on some schema changes, so the state
must not mention it. On SQLite the app serializes writes instead (BEGIN IMMEDIATE)."""

from django.db import migrations

# The rule's own definitions (the range bounds, the status that holds a slot); the SQL below
# must stay byte-identical, which tests/unit/test_rules.py checks.
from example_api.bookings.rules import RANGE_BOUNDS, SLOT_HOLDING_STATUS


class RunSQLOnPostgres(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0001_initial"),
    ]

    operations = [
        # btree_gist gives `=` on integers to GiST indexes; it is a trusted extension, so the
        # database owner may create it. Not dropped on the way back: others may use it.
        RunSQLOnPostgres(
            sql="CREATE EXTENSION IF NOT EXISTS btree_gist",
            reverse_sql=migrations.RunSQL.noop,
        ),
        RunSQLOnPostgres(
            sql=f"""
                ALTER TABLE bookings_booking ADD CONSTRAINT booking_no_overlap
                EXCLUDE USING gist (resource_id WITH =, tstzrange(start, "end", '{RANGE_BOUNDS}') WITH &&)
                WHERE (status = '{SLOT_HOLDING_STATUS}')
            """,
            reverse_sql="ALTER TABLE bookings_booking DROP CONSTRAINT booking_no_overlap",
        ),
    ]
