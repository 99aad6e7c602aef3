from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "example_api.notifications"
    label = "notifications"

    def ready(self) -> None:
        from example_api.bookings.signals import booking_created
        from example_api.notifications import tasks

        booking_created.connect(tasks.on_booking_created, dispatch_uid="booking-confirmation")
