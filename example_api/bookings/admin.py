from django.contrib import admin

from example_api.bookings.models import Booking, Resource


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("id", "name")
    search_fields = ("name",)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Bookings are made through the API, which enforces the rules; the admin may only
    cancel or annotate them."""

    list_display = ("id", "resource", "user", "start", "end", "status")
    list_filter = ("status",)
    list_select_related = ("resource", "user")
    readonly_fields = ("resource", "user", "start", "end", "created_at")

    def has_add_permission(self, request: object) -> bool:
        return False
