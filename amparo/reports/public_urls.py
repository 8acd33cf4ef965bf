from django.urls import path

from . import views

app_name = "impact"
urlpatterns = [
    path("", views.impact, name="index"),
]
