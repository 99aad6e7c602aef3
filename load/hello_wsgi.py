"""The ceiling: a bare WSGI app that answers every request with a small JSON body.

`make bench` serves it with the same app server and settings as the API, so the API's
numbers can be read as a fraction of what the server, the HTTP stack and the load generator
allow on this machine.
"""

from collections.abc import Callable, Iterable
from typing import Any

BODY = b'{"hello": "world"}'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", HEADERS)
    return [BODY]
