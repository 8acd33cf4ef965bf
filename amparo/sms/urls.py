from django.urls import path

from . import views

app_name = "sms"

urlpatterns = [
    path("twilio/inbound/", views.twilio_inbound, name="twilio-inbound"),
    path("twilio/status/", views.twilio_status, name="twilio-status"),
    path("requests/<uuid:request_id>/reply/", views.reply, name="reply"),
]
