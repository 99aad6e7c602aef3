from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "example_api.bookings"
    label = "bookings"
