from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "example_api.bookings"
    label = "bookings"

    def ready(self) -> None:
        from example_api.bookings import outcomes
        from example_api.bookings.signals import booking_created

        booking_created.connect(outcomes.count_created, dispatch_uid="booking-outcomes")
        # >>> part jobs
        from example_api.bookings import tasks

        booking_created.connect(tasks.on_booking_created, dispatch_uid="booking-confirmation")
        # <<< part jobs
