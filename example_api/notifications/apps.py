from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Send-once notifications (sending.py) and their record; a feature sends its own from
    its jobs (the example: bookings/tasks.py)."""

    name = "example_api.notifications"
    label = "notifications"
