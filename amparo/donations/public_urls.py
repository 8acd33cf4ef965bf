from django.urls import URLPattern

app_name = "donate"
urlpatterns: list[URLPattern] = []
