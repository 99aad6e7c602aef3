from django.conf import settings
from django.db import models
from django.db.models import Q


class Resource(models.Model):
    """Anything with a calendar: a room, a desk, a car."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return self.name


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class Booking(models.Model):
    # No single-column indexes on the foreign keys: the composite indexes below start with
    # them and serve those lookups too.
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="bookings", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    note = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The no-overlap guarantee on PostgreSQL is an exclusion constraint created in raw SQL
        # by migration 0002 (booking_no_overlap). It is kept out of the model state on
        # purpose: SQLite rebuilds tables from that state and cannot express it.
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="booking_end_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-start"], name="booking_user_start_idx"),
            models.Index(fields=["resource", "start"], name="booking_resource_start_idx"),
        ]

    def __str__(self) -> str:
        return f"booking {self.pk} of {self.resource_id} [{self.start}, {self.end})"
