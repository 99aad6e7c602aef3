"""The ceiling: a bare WSGI app that answers every request with a small JSON body.

`make bench` serves it exactly as example_api.serve serves the API (same granian options,
same sizes from the same environment), so the API's req/s reads as a fraction of what the
server, the HTTP stack and wrk allow on this machine:

    HOST=127.0.0.1 PORT=18101 python -m load.hello_wsgi
"""

from collections.abc import Callable, Iterable
from typing import Any

from granian import Granian

from example_api.serve import ServeConfig, granian_options

BODY = b'{"hello": "world"}'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", HEADERS)
    return [BODY]


if __name__ == "__main__":
    Granian("load.hello_wsgi:application", **granian_options(ServeConfig.from_env())).serve()
