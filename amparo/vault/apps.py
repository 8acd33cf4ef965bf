from typing import Any

from django.apps import AppConfig
from django.core.signals import setting_changed
from django.utils.translation import gettext_lazy as _


def _settings_changed(setting: str = "", **kwargs: Any) -> None:
    if setting in ("AMPARO", "VAR_DIR"):
        from .keys import reset_provider

        reset_provider()


class VaultConfig(AppConfig):
    name = "amparo.vault"
    label = "vault"
    verbose_name = _("Vault")

    def ready(self) -> None:
        setting_changed.connect(_settings_changed, dispatch_uid="amparo-vault-settings")
