from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Send-once notifications (sending.py) and their record; a feature sends its own from
    its jobs (docs/forking.md, "Capabilities to build on", names the example's)."""

    name = "example_api.notifications"
    label = "notifications"
