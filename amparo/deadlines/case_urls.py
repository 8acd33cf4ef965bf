from django.urls import path

from . import views

# Mounted under cases/<uuid:case_id>/deadlines/ (config/urls.py): a case's deadline pages.
app_name = "case_deadlines"
urlpatterns = [
    path("<int:deadline_id>/", views.deadline_override_view, name="override"),
    path("<int:deadline_id>/done/", views.deadline_done_view, name="done"),
]
