from django.urls import path

from . import views

app_name = "grants"
urlpatterns = [
    path("", views.round_list_view, name="rounds"),
    path("rounds/new/", views.round_create_view, name="round-create"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/edit/", views.round_edit_view, name="round-edit"),
    path("rounds/<int:round_id>/delete/", views.round_delete_view, name="round-delete"),
    path("rounds/<int:round_id>/transition/", views.round_transition_view, name="round-transition"),
    path("rounds/<int:round_id>/apply/", views.apply_view, name="apply"),
    path("rounds/<int:round_id>/summary/", views.summary_view, name="summary"),
    path(
        "rounds/<int:round_id>/applications.csv",
        views.applications_export,
        name="applications-export",
    ),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
    path("applications/<int:application_id>/score/", views.score_view, name="score"),
    path("applications/<int:application_id>/award/", views.award_view, name="award-decide"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("conflicts/", views.conflicts_view, name="conflicts"),
    path("awards/<int:award_id>/", views.award_detail, name="award"),
    path("awards/<int:award_id>/agreement.pdf", views.agreement_download, name="agreement"),
    path("awards/<int:award_id>/tranches/", views.tranche_add_view, name="tranche-add"),
    path("tranches/<int:tranche_id>/pay/", views.tranche_pay_view, name="tranche-pay"),
    path("reports/<int:report_id>/", views.report_view, name="report"),
]
