"""The integration layer runs only on PostgreSQL: refuse anything else loudly."""

import pytest
from django.db import connection


@pytest.fixture(scope="session", autouse=True)
def _require_postgresql(django_db_setup: None) -> None:
    if connection.vendor != "postgresql":
        pytest.exit(
            "tests/integration needs PostgreSQL; run it through `make test-integration` "
            "(which finds or starts one) or set DATABASE_URL=postgres://...",
            returncode=3,
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The OpenAPI fuzzing run takes longer than every other test here together: first in
    # line, it overlaps the rest on the second xdist worker instead of starting last.
    items.sort(key=lambda item: item.path.name != "test_openapi_fuzz.py")
