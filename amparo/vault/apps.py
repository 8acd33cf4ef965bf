from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "amparo.vault"
    label = "vault"
