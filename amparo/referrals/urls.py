from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/accept/", views.accept, name="accept"),
    path("<int:referral_id>/decline/", views.decline, name="decline"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/assign/", views.assign_queue, name="assign-queue"),
    path("route/<uuid:request_id>/", views.route, name="route"),
]
