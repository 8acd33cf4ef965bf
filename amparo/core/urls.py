from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
]
