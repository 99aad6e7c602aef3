from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "example_api.notifications"
    label = "notifications"
