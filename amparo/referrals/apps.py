from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "amparo.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from amparo.accounts.roles import Role
        from amparo.api.api import router_register
        from amparo.cases.hooks import ON_SEEDED, hook_register
        from amparo.core.dashboards import dashboard_register
        from amparo.core.navigation import NavItem, nav_register

        from . import permissions  # noqa: F401  (registers the rules)
        from .api import router
        from .dashboards import PANELS
        from .handoff import handoff_register
        from .marks import marks_register
        from .seed import cases_born_through_help_line

        handoff_register()
        marks_register()
        # amparo seed --cases: each case born from a request, as the demo's are
        hook_register(ON_SEEDED, cases_born_through_help_line)
        router_register(router)
        for roles, build in PANELS:
            dashboard_register(roles, build, order=40)
        nav_register(
            NavItem(
                _("Escalations"),
                "referrals:escalations",
                frozenset({Role.FUND_ADMIN, Role.INTAKE_WORKER}),
                order=60,
            )
        )
        nav_register(
            NavItem(_("Referrals"), "referrals:inbox", frozenset({Role.PROVIDER_ADMIN}), order=61)
        )
