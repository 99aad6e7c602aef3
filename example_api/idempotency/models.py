from django.db import models


class IdempotencyKey(models.Model):
    """The first successful answer to a create sent with an Idempotency-Key, for its retries.
    One row per owner, operation and key: the unique constraint is also what makes a
    concurrent repeat wait for the first request, then replay it (services.py)."""

    owner = models.CharField(max_length=64)  # "user:<id>", or "anonymous"
    operation = models.CharField(max_length=200)  # the request's path
    key = models.CharField(max_length=255)
    # A keyed hash of the request body (services.fingerprint), never the body: it may hold a
    # password.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.BinaryField()
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "operation", "key"], name="idempotency_key_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.operation} {self.key}"
