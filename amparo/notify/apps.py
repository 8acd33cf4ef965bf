from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "amparo.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the tasks)
        from .triggers import triggers_register

        triggers_register()
