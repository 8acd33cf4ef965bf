from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("queue.csv", views.queue_export, name="queue-export"),
    path("new/", views.new_request, name="new"),
    path("requests/<uuid:request_id>/", views.detail, name="detail"),
    path("requests/<uuid:request_id>/review/", views.review, name="review"),
    path("requests/<uuid:request_id>/close/", views.close, name="close"),
    path("requests/<uuid:request_id>/edit/", views.edit, name="edit"),
    path(
        "requests/<uuid:request_id>/adverse-parties/",
        views.adverse_parties,
        name="adverse-parties",
    ),
    path("requests/<uuid:request_id>/merge/", views.merge, name="merge"),
    path("eligibility/", views.policies, name="policies"),
    path("eligibility/<slug:program_slug>/", views.policy_edit, name="policy-edit"),
    path("poverty/<int:guideline_id>/confirm/", views.poverty_confirm, name="poverty-confirm"),
    path("retention/", views.retention, name="retention"),
]
