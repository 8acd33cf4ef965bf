from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsIntakeConfig(AppConfig):
    name = "amparo.smsintake"
    label = "smsintake"
    verbose_name = _("Help requests by text message")

    def ready(self) -> None:
        from amparo.core.hooks import hook_register
        from amparo.sms.hooks import CONVERSATION_HANDLERS

        from .services import conversation_handle

        hook_register(CONVERSATION_HANDLERS, conversation_handle)
