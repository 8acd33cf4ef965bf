from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.position, name="position"),
    path("activities/", views.activities, name="activities"),
    path("trial-balance/", views.trial_balance, name="trial-balance"),
    path("journal.csv", views.export_csv, name="export-csv"),
    path("journal.beancount", views.export_beancount, name="export-beancount"),
]
