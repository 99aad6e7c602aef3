"""The JSON client every API test uses: `api.post(url, body, token=...)` over Django's test
client."""

import json
from typing import Any

from django.test import Client


class ApiClient:
    """A thin JSON client over Django's test client; `client` is there for raw requests."""

    def __init__(self) -> None:
        self.client = Client()

    def request(
        self, method: str, path: str, body: Any = None, *, token: str | None = None, **extra: Any
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        kwargs: dict[str, Any] = {"headers": headers, **extra}
        if body is not None:
            kwargs["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method.lower())(path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.request("POST", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)
