"""The public pages at /help/: no account needed (settings.AMPARO_PUBLIC_PREFIXES)."""

from django.urls import path

from . import public_views

app_name = "help"
urlpatterns = [
    path("", public_views.help_start, name="start"),
    path("q/<slug:slug>/", public_views.help_step, name="step"),
    path("check/", public_views.help_check, name="check"),
    path("done/", public_views.help_done, name="done"),
    path("status/", public_views.help_status, name="status"),
    path("status/result/", public_views.help_status_result, name="status-result"),
]
