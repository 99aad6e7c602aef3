"""The bookings app's settings: the limits of the booking rule (example_api/bookings/rules.py).
Merged into the project's settings (example_api/settings.py)."""

from datetime import timedelta

from example_api.env import env_int

BOOKING_MAX_DURATION = timedelta(minutes=env_int("BOOKING_MAX_DURATION_MINUTES", 8 * 60))
BOOKING_MAX_ACTIVE_PER_USER = env_int("BOOKING_MAX_ACTIVE_PER_USER", 20)

# What the OpenAPI document says the service is (example_api/api.py reads it).
API_DESCRIPTION = "A small booking service: register, log in, book resources without overlaps."
