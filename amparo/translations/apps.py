from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "amparo.translations"
    label = "translations"
    verbose_name = _("Translations")

    def ready(self) -> None:
        from amparo.accounts.roles import Role
        from amparo.core.navigation import NavItem, nav_register

        from . import permissions  # noqa: F401  (registers the rules)

        nav_register(
            NavItem(
                _("Translations"),
                "translations:index",
                frozenset({Role.FUND_ADMIN, Role.TRANSLATOR}),
                order=75,
            )
        )
