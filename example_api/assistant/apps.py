from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "example_api.assistant"
    label = "assistant"
