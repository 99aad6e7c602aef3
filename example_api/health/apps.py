from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "example_api.health"
    label = "health"
