from django.conf import settings
from django.db import models
from django.db.models import Q


class Title(models.Model):
    """A book the library holds one copy of."""

    name = models.CharField(max_length=200, unique=True)
    author = models.CharField(max_length=200, blank=True, default="")

    def __str__(self) -> str:
        return self.name


class Loan(models.Model):
    """A copy lent to a user from start until it is due back (end), open until returned."""

    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="loans")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    returned = models.BooleanField(default=False)

    class Meta:
        constraints = [
            # One copy: at most one open loan per title. A partial unique index, so SQLite
            # and PostgreSQL both enforce it, under any concurrency.
            models.UniqueConstraint(
                fields=["title"], condition=Q(returned=False), name="loan_one_open_per_title"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="loan_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"loan {self.pk} of {self.title_id}"
