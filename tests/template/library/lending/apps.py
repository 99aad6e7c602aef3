from django.apps import AppConfig


class LendingConfig(AppConfig):
    name = "example_api.lending"
    label = "lending"
