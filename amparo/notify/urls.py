from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("", views.notifications, name="list"),
    path("<int:notification_id>/read/", views.mark_read, name="read"),
    path("read/", views.mark_all_read, name="read-all"),
    path("settings/", views.preferences, name="preferences"),
]
