"""Requests answered before the fix may hold a proposal past year 9999 in UTC, which no Python
datetime can read: reading one answered 500 (the request, and the admin's list for all staff).
They become what the fix makes of such an answer: failed, assistant_invalid_output.

PostgreSQL only: it is where such a moment can be stored (SQLite, for `make run`, keeps text
and compares it as text, so the same condition would match every row there)."""

from django.db import migrations

FAIL_THEM = """
UPDATE assistant_assistantrequest
   SET state = 'failed', code = 'assistant_invalid_output',
       resource_id = NULL, start = NULL, "end" = NULL
 WHERE start >= '10000-01-01T00:00:00Z' OR "end" >= '10000-01-01T00:00:00Z'
"""


def fail_them(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FAIL_THEM)


class Migration(migrations.Migration):
    dependencies = [("assistant", "0001_initial")]

    operations = [migrations.RunPython(fail_them, migrations.RunPython.noop, elidable=True)]
