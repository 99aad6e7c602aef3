from django.apps import AppConfig


class PlantedConfig(AppConfig):
    name = "tests.planted"
    label = "planted"
