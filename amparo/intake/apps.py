from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "amparo.intake"
    label = "intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from amparo.accounts.apps import _nav_insert
        from amparo.accounts.roles import Role
        from amparo.core.dashboards import PANELS
        from amparo.core.navigation import NAV_ITEMS, NavItem
        from amparo.organizations.models import Program

        from . import api, permissions  # noqa: F401  (registers rules and API endpoints)
        from .models import IntakePolicy, PovertyGuideline

        for model in (IntakePolicy, PovertyGuideline, Program):
            post_save.connect(_forget, sender=model, dispatch_uid=f"intake-rules-{model.__name__}")
            post_delete.connect(
                _forget, sender=model, dispatch_uid=f"intake-rules-del-{model.__name__}"
            )
        from .dashboards import PANELS as OUR_PANELS

        for panel in OUR_PANELS:
            if panel not in PANELS:
                PANELS.append(panel)
        staff = frozenset({Role.FUND_ADMIN, Role.INTAKE_WORKER})
        _nav_insert(NAV_ITEMS, NavItem(_("Help requests"), "intake:queue", staff))
        _nav_insert(
            NAV_ITEMS, NavItem(_("Eligibility"), "intake:policies", frozenset({Role.FUND_ADMIN}))
        )


def _forget(**_kwargs: object) -> None:
    """A program's rules or a poverty table changed: this process reads them again."""
    from .policy import forget_cached_rules

    forget_cached_rules()
