from django.db import models


class SentNotification(models.Model):
    """One row per message sent: the job checks it first, so a job run twice (a retry after
    a crash, a redelivery) does not send twice once the first run has recorded its send."""

    kind = models.CharField(max_length=50)
    object_id = models.BigIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="notification_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
