"""The project's URLs plus the benchmarks' baseline pages; used only under ``bench.settings``."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

from . import views

urlpatterns = [
    path("bench/raw-insert", views.raw_insert, name="bench-raw-insert"),
    path(
        "vault-bench/protected/<uuid:record_id>/",
        views.protected_detail,
        name="vault-bench-protected",
    ),
    path("vault-bench/plain/<uuid:record_id>/", views.plain_detail, name="vault-bench-plain"),
    *project_urlpatterns,
]

handler400 = "amparo.core.views.error_400"
handler403 = "amparo.core.views.error_403"
handler404 = "amparo.core.views.error_404"
handler500 = "amparo.core.views.error_500"
