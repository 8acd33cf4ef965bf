from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from amparo.api.api import api
from amparo.core import views as core_views

# The admin's own password-only sign-in would skip MFA: send it through allauth's instead.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("", include("amparo.core.urls")),
    path("accounts/", include("amparo.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("organizations/", include("amparo.organizations.urls")),
    path("audit/", include("amparo.audit.urls")),
    path("cases/", include("amparo.cases.urls")),
    path("cases/<uuid:case_id>/deadlines/", include("amparo.deadlines.case_urls")),
    path("calendar/", include("amparo.deadlines.urls")),
    path("help/", include("amparo.intake.public_urls")),
    path("intake/", include("amparo.intake.urls")),
    path("referrals/", include("amparo.referrals.urls")),
    path("rights/", include("amparo.rights.urls")),
    path("ledger/", include("amparo.ledger.urls")),
    path("donations/", include("amparo.donations.urls")),
    path("donate/", include("amparo.donations.public_urls")),
    path("transparency/", include("amparo.donations.transparency_urls")),
    path("grants/", include("amparo.grants.urls")),
    path("impact/", include("amparo.reports.public_urls")),
    path("reports/", include("amparo.reports.urls")),
    path("search/", include("amparo.search.urls")),
    path("notifications/", include("amparo.notify.urls")),
    path("sms/", include("amparo.sms.urls")),
    path("translations/", include("amparo.translations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

handler400 = "amparo.core.views.error_400"
handler403 = "amparo.core.views.error_403"
handler404 = "amparo.core.views.error_404"
handler500 = "amparo.core.views.error_500"
handler429 = "amparo.core.ratelimit.too_many_requests_view"  # allauth's limits use it too
