"""The project's URLs plus the raw-insert baseline; used only by ``amparo bench intake``."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

from . import bench_views

urlpatterns = [
    path("bench/raw-insert", bench_views.raw_insert, name="bench-raw-insert"),
    *project_urlpatterns,
]

handler400 = "amparo.core.views.error_400"
handler403 = "amparo.core.views.error_403"
handler404 = "amparo.core.views.error_404"
handler500 = "amparo.core.views.error_500"
