from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list_view, name="list"),
    path("new/", views.organization_create, name="create"),
    path("mine/", views.my_organization, name="mine"),
    path("invitations/", views.invitations, name="invitations"),
    path("profile/", views.own_profile, name="own-profile"),
    path("fund/", views.fund_edit, name="fund"),
    path("programs/", views.program_list_view, name="programs"),
    path("programs/new/", views.program_create, name="program-create"),
    path("programs/<slug:program_slug>/edit/", views.program_edit, name="program-edit"),
    path("<slug:slug>/", views.organization_detail, name="detail"),
    path("<slug:slug>/edit/", views.organization_edit, name="edit"),
    path("<slug:slug>/offices/new/", views.office_create, name="office-create"),
    path("<slug:slug>/offices/<int:office_id>/edit/", views.office_edit, name="office-edit"),
    path("<slug:slug>/offices/<int:office_id>/delete/", views.office_delete, name="office-delete"),
    path("<slug:slug>/staff/", views.staff_list, name="staff"),
    path("<slug:slug>/staff/invite/", views.staff_invite, name="staff-invite"),
    path(
        "<slug:slug>/staff/<int:membership_id>/deactivate/",
        views.membership_deactivate,
        name="membership-deactivate",
    ),
    path(
        "<slug:slug>/staff/<int:membership_id>/reactivate/",
        views.membership_reactivate,
        name="membership-reactivate",
    ),
    path(
        "<slug:slug>/staff/<int:membership_id>/profile/",
        views.member_profile,
        name="member-profile",
    ),
]
