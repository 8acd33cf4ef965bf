from django.urls import path

from . import public_views

app_name = "transparency"
urlpatterns = [
    path("", public_views.transparency_page, name="index"),
]
