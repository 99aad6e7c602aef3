from django.conf import settings
from django.db import models


class AssistantState(models.TextChoices):
    PENDING = "pending"
    PROPOSED = "proposed"
    FAILED = "failed"


class AssistantRequest(models.Model):
    """One sentence and what became of it. The proposal is data for the client to confirm
    with POST /bookings/; nothing here ever books."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    time_zone = models.CharField(max_length=64, default="UTC")
    state = models.CharField(
        max_length=10, choices=AssistantState.choices, default=AssistantState.PENDING
    )
    code = models.CharField(max_length=50, blank=True, default="")  # why it failed
    resource = models.ForeignKey(
        "bookings.Resource", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True, default="")
    # Token usage as the provider reported it: the cost of this request.
    model = models.CharField(max_length=100, blank=True, default="")
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="assistant_user_created_idx")]

    def __str__(self) -> str:
        return f"assistant request {self.pk} ({self.state})"
