from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "amparo.sms"
    label = "sms"
    verbose_name = _("Text messages")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the tasks)
        from .services import sms_hooks_register

        sms_hooks_register()
