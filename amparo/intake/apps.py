from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "amparo.intake"
    label = "intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from amparo.accounts.roles import Role
        from amparo.api.api import router_register
        from amparo.core.dashboards import dashboard_register
        from amparo.core.navigation import NavItem, nav_register
        from amparo.organizations.models import Program

        from . import permissions  # noqa: F401  (registers the rules)
        from .api import router
        from .dashboards import PANELS
        from .models import IntakePolicy, PovertyGuideline

        router_register(router)
        for model in (IntakePolicy, PovertyGuideline, Program):
            post_save.connect(_forget, sender=model, dispatch_uid=f"intake-rules-{model.__name__}")
            post_delete.connect(
                _forget, sender=model, dispatch_uid=f"intake-rules-del-{model.__name__}"
            )
        for roles, build in PANELS:
            dashboard_register(roles, build, order=30)
        staff = frozenset({Role.FUND_ADMIN, Role.INTAKE_WORKER})
        nav_register(NavItem(_("Help requests"), "intake:queue", staff, order=50))
        nav_register(
            NavItem(_("Eligibility"), "intake:policies", frozenset({Role.FUND_ADMIN}), order=51)
        )


def _forget(**_kwargs: object) -> None:
    """A program's rules or a poverty table changed: this process reads them again."""
    from .policy import forget_cached_rules

    forget_cached_rules()
