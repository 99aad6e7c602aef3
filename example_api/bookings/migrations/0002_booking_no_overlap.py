"""The no-overlap guarantee: an exclusion constraint, created on PostgreSQL only.

SQLite has no exclusion constraints (the app serializes writes there instead), so the
operation is kept in the migration state on every backend but touches only PostgreSQL."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models

import example_api.bookings.models


class AddConstraintOnPostgres(migrations.AddConstraint):
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
        BtreeGistExtension(),
        AddConstraintOnPostgres(
            model_name="booking",
            constraint=ExclusionConstraint(
                name="booking_no_overlap",
                expressions=[
                    ("resource", "="),
                    (
                        example_api.bookings.models.TsTzRange("start", "end", models.Value("[)")),
                        "&&",
                    ),
                ],
                condition=models.Q(("status", "confirmed")),
            ),
        ),
    ]
