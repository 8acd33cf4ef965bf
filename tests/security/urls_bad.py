"""A URLconf that breaks the rule on purpose, to prove the URL check would catch it."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path


def view(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("")


nested = [path("<str:phone>/", view, name="by-phone")]

urlpatterns = [
    path("clients/<str:a_number>/", view, name="by-a-number"),
    re_path(r"^people/(?P<dateOfBirth>[0-9-]+)/$", view, name="by-dob"),
    path("orgs/<slug:client_name>/", include((nested, "bad"))),
    path("cases/<int:case_id>/notes/<int:note_id>/", view, name="fine"),
]
