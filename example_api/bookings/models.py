from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import Func, Q


class Resource(models.Model):
    """Anything with a calendar: a room, a desk, a car."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return self.name


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class TsTzRange(Func):
    """PostgreSQL's tstzrange(start, end, '[)'): the half-open range a booking covers."""

    function = "TSTZRANGE"
    output_field = models.DateTimeField()  # only used inside the constraint


class Booking(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    note = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="booking_end_after_start"
            ),
            # The no-overlap guarantee on PostgreSQL (needs btree_gist for the `=` on resource).
            # Migration 0002 creates it on PostgreSQL only; on SQLite writes are serialized.
            ExclusionConstraint(
                name="booking_no_overlap",
                expressions=[
                    ("resource", RangeOperators.EQUAL),
                    (TsTzRange("start", "end", models.Value("[)")), RangeOperators.OVERLAPS),
                ],
                condition=Q(status=BookingStatus.CONFIRMED),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-start"], name="booking_user_start_idx"),
            models.Index(fields=["resource", "start"], name="booking_resource_start_idx"),
        ]

    def __str__(self) -> str:
        return f"booking {self.pk} of {self.resource_id} [{self.start}, {self.end})"
