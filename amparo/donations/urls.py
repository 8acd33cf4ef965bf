from django.urls import path

from . import views

app_name = "donations"
urlpatterns = [
    path("", views.gift_list_view, name="list"),
    path("receipt/", views.receipt_download, name="receipt"),
    path("receipt/issue/", views.receipt_issue_view, name="issue-receipt"),
    path("statement/", views.statement_download, name="statement"),
    path("export.csv", views.gift_export, name="export"),
    path("donors/<uuid:donor_id>/", views.donor_detail, name="donor"),
    path("donors/<uuid:donor_id>/remove/", views.donor_shred_view, name="donor-remove"),
    path("appropriations/", views.appropriation_list, name="appropriations"),
    path("appropriations/new/", views.appropriation_create_view, name="appropriation-create"),
    path("appropriations/<int:pk>/", views.appropriation_detail, name="appropriation"),
    path(
        "appropriations/<int:pk>/receive/",
        views.appropriation_receive_view,
        name="appropriation-receive",
    ),
]
