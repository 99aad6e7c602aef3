"""What the project does with the planted app installed, written as JSON to the file named
by the one argument, for tests/unit/test_seam.py: `python -m tests.planted.observe OUT`
(DJANGO_SETTINGS_MODULE is set here). Facts only; the test decides what they must be."""

import contextlib
import io
import json
import os
import sys
from pathlib import Path


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings_planted"
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from example_api.api import api
    from example_api.error_catalog import ErrorCode
    from example_api.project_apps import migration_lint_apps

    client = Client(SERVER_NAME="localhost")  # an allowed host, as every request needs
    refused = client.post("/api/v1/parcels/collect/")
    scraped = client.get(settings.METRICS_PATH)
    lint_apps = migration_lint_apps(settings.PROJECT_APPS)
    lint_output = io.StringIO()
    # Its own migrations only (SQLite here; `make lint` lints the others on PostgreSQL). A
    # migration of an app missing from include_apps is printed as IGNORE.
    with contextlib.redirect_stdout(lint_output):  # the linter prints
        call_command("lintmigrations", "planted", include_apps=lint_apps)
    document = api.get_openapi_schema()
    facts = {
        "status": refused.status_code,
        "body": refused.json(),
        "retry_after": refused.headers.get("Retry-After"),
        "metrics": scraped.content.decode(),
        "error_codes": [code.value for code in ErrorCode],
        "documented_codes": document["components"]["schemas"]["ErrorCode"]["examples"],
        "lint_apps": lint_apps,
        "lint_output": lint_output.getvalue(),
    }
    Path(sys.argv[1]).write_text(json.dumps(facts))


if __name__ == "__main__":
    main()
