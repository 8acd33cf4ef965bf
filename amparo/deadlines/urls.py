from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("print/", views.calendar_print, name="calendar-print"),
    path("feeds/", views.feeds, name="feeds"),
    path("feeds/<int:feed_id>/revoke/", views.feed_revoke, name="feed-revoke"),
    path("feeds/<str:token>.ics", views.feed, name="feed"),
]
