from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("settings/", views.account_settings, name="settings"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
