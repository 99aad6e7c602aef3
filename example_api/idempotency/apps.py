from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    """Safe retries of the API's creates: the Idempotency-Key header (api.py) and the first
    answers it keeps (services.py). A platform app: it names no app of the example."""

    name = "example_api.idempotency"
    label = "idempotency"
