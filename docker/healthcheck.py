"""Container health check: GET /healthz on the local app server, exit 0 only on 200 + "ok".

Runs with the image's own interpreter (the slim base has no curl or wget) and only the
standard library. Settings come from the environment:

  PORT               port the server listens on (default 8000)
  HEALTHCHECK_PATH   path to ask (default /healthz)
  HEALTHCHECK_HOST   Host header to send (default localhost; it must be in ALLOWED_HOSTS)
"""

import json
import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 4


def main() -> int:
    port = os.environ.get("PORT", "8000")
    path = os.environ.get("HEALTHCHECK_PATH", "/healthz")
    host = os.environ.get("HEALTHCHECK_HOST", "localhost")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": host, "Accept": "application/json"},
    )
    try:
        # The URL is built above from a fixed http://127.0.0.1 prefix, never from input.
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = json.loads(response.read() or b"{}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    if body.get("status") != "ok":
        print(f"unhealthy: status={body.get('status')!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
