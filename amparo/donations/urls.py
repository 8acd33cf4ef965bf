from django.urls import URLPattern

app_name = "donations"
urlpatterns: list[URLPattern] = []
