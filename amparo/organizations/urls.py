from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list_view, name="list"),
    path("mine/", views.my_organization, name="mine"),
    path("programs/", views.program_list_view, name="programs"),
    path("<slug:slug>/", views.organization_detail, name="detail"),
]
