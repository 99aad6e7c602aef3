from django.contrib import admin

from example_api.notifications.models import SentNotification


@admin.register(SentNotification)
class SentNotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "object_id", "sent_at")
    list_filter = ("kind",)
