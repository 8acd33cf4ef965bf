from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    # Our sign-in page shadows allauth's at the same path (this module is included first):
    # same view and flow, a page that says accounts are by invitation instead of "sign up".
    path("login/", views.SignInView.as_view(), name="login"),
    path("donor/sign-in/", views.donor_sign_in, name="donor-sign-in"),
    path("donor/sign-in/<str:token>/", views.donor_link, name="donor-link"),
    path("settings/", views.account_settings, name="settings"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.person_invite, name="person-invite"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/new/done/", views.token_created, name="token-created"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
