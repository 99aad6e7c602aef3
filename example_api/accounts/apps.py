from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "example_api.accounts"
    label = "accounts"
