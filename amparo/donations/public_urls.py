from django.urls import path

from . import public_views

app_name = "donate"
urlpatterns = [
    path("", public_views.start, name="start"),
    path("details/", public_views.details, name="details"),
    path("checkout/", public_views.checkout, name="checkout"),
    path("thanks/", public_views.thanks, name="thanks"),
]
