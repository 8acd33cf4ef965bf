from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("new/", views.case_open_view, name="open"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/edit/", views.case_edit, name="edit"),
    path("<uuid:case_id>/client/", views.client_edit, name="client"),
    path("<uuid:case_id>/client/remove/", views.client_shred_view, name="client-remove"),
    path("<uuid:case_id>/status/<slug:transition>/", views.case_transition_view, name="transition"),
    path("<uuid:case_id>/hearings/new/", views.hearing_add_view, name="hearing-add"),
    path("<uuid:case_id>/hearings/<int:hearing_id>/", views.hearing_edit_view, name="hearing-edit"),
    path("<uuid:case_id>/timeline/new/", views.event_add_view, name="event-add"),
    path("<uuid:case_id>/outcome/", views.outcome_record_view, name="outcome"),
    path("<uuid:case_id>/documents/", views.documents_view, name="documents"),
    path(
        "<uuid:case_id>/documents/<uuid:document_id>/",
        views.document_download,
        name="document",
    ),
    path("<uuid:case_id>/notes/", views.notes_view, name="notes"),
    path("<uuid:case_id>/adverse-parties/", views.adverse_parties_view, name="adverse-parties"),
    path("<uuid:case_id>/team/", views.team_view, name="team"),
    path(
        "<uuid:case_id>/team/<int:assignment_id>/revoke/",
        views.team_revoke_view,
        name="team-revoke",
    ),
    path("<uuid:case_id>/calendar.ics", views.case_ics, name="ics"),
]
