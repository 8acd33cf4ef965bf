from django.urls import path

from . import views

app_name = "translations"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:language>/", views.language, name="language"),
    path("<slug:language>/visibility/", views.visibility, name="visibility"),
    path(
        "<slug:language>/catalogs/<slug:app>/sign-off/",
        views.catalog_sign_off,
        name="catalog-sign-off",
    ),
    path(
        "<slug:language>/rights/<slug:topic>/sign-off/", views.page_sign_off, name="page-sign-off"
    ),
]
