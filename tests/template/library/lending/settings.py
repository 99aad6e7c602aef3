"""The lending app's settings, merged into the project's (example_api/settings.py)."""

# What the OpenAPI document says the service is (example_api/api.py reads it).
API_DESCRIPTION = "A small library: register, log in, borrow a title's one copy, return it."
