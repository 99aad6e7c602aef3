from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "example_api.jobs"
    label = "jobs"
