from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "amparo.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from amparo.api.api import router_register
        from amparo.cases.models import Client
        from amparo.intake.models import HelpRequest

        from .api import router
        from .services import keys_refresh_on_save

        router_register(router, prefix="/search")
        post_save.connect(keys_refresh_on_save, sender=HelpRequest, dispatch_uid="search-hr")
        post_save.connect(keys_refresh_on_save, sender=Client, dispatch_uid="search-client")
