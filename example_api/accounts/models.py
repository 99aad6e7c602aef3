from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """The project's own user model, so a fork can add fields without a painful migration."""

    class Meta:
        constraints = [
            # "Alice" and "alice" must not be two accounts.
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once at login."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"token {self.pk} of user {self.user_id}"
