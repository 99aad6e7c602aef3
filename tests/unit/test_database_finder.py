"""The integration layer's database finder: its order, and its loud failure."""

import contextlib

import pytest

from tests.integration import database


@pytest.fixture
def nothing_available(monkeypatch):
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    monkeypatch.setattr(database, "docker_answers", lambda: False)
    monkeypatch.setattr(database, "server_programs", lambda: None)


def test_without_any_postgresql_it_stops_and_says_how_to_provide_one(nothing_available, capsys):
    assert database.main(["pytest"]) == 3
    message = capsys.readouterr().err
    assert "No PostgreSQL found" in message
    for option in ("TEST_DATABASE_URL", "Docker", "apt-get install postgresql", "make test-unit"):
        assert option in message


def test_test_database_url_comes_first(monkeypatch):
    monkeypatch.setenv("TEST_DATABASE_URL", "postgres://u@db.example:5432/postgres")
    monkeypatch.setattr(database, "docker_answers", lambda: pytest.fail("not asked"))
    with database.choose() as url:  # type: ignore[union-attr]
        assert url == "postgres://u@db.example:5432/postgres"


def test_docker_comes_before_a_local_cluster(monkeypatch):
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    monkeypatch.setattr(database, "docker_answers", lambda: True)
    monkeypatch.setattr(database, "from_testcontainers", lambda: contextlib.nullcontext("docker"))
    with database.choose() as url:  # type: ignore[union-attr]
        assert url == "docker"


def test_the_command_gets_database_url(monkeypatch):
    monkeypatch.setenv("TEST_DATABASE_URL", "postgres://u@127.0.0.1:1/x")
    code = database.main(
        [
            "python",
            "-c",
            "import os, sys; sys.exit(os.environ['DATABASE_URL'] != 'postgres://u@127.0.0.1:1/x')",
        ]
    )
    assert code == 0


def test_no_command_is_a_usage_error(capsys):
    assert database.main([]) == 2
