"""The serve module is the one source of the server's options: defaults and overrides."""

from pathlib import Path

from granian.constants import Interfaces

from example_api.serve import DEFAULT_THREADS, DEFAULT_WORKERS, ServeConfig, granian_options


def test_defaults_bind_loopback_with_the_measured_sizes() -> None:
    options = granian_options(ServeConfig.from_env({}))
    assert options["address"] == "127.0.0.1"
    assert options["port"] == 8000
    assert options["uds"] is None
    assert options["interface"] is Interfaces.WSGI
    assert (options["workers"], options["blocking_threads"]) == (DEFAULT_WORKERS, DEFAULT_THREADS)
    assert options["websockets"] is False


def test_environment_overrides_address_and_sizes() -> None:
    env = {"HOST": "192.0.2.10", "PORT": "8001", "WEB_CONCURRENCY": "4", "BLOCKING_THREADS": "3"}
    options = granian_options(ServeConfig.from_env(env))
    assert (options["address"], options["port"]) == ("192.0.2.10", 8001)
    assert (options["workers"], options["blocking_threads"]) == (4, 3)


def test_a_unix_socket_replaces_tcp() -> None:
    options = granian_options(ServeConfig.from_env({"SERVE_UDS": "/run/app/blue.sock"}))
    assert options["uds"] == Path("/run/app/blue.sock")
