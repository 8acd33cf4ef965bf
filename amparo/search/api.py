"""``GET /api/v1/search?q=``: the search page's answer as JSON, under the same rules."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema

from amparo.core.http import request_user

from .services import search_run

router = Router(tags=["search"])


class ResultOut(Schema):
    kind: Literal["help_request", "case"]
    id: str
    reference: str
    label: str
    url: str


class SearchOut(Schema):
    results: list[ResultOut]


@router.get("", response=SearchOut, summary="Find requests and cases the caller may open")
def search(request: HttpRequest, q: str = "") -> SearchOut:
    found = search_run(by=request_user(request), query=q)
    return SearchOut(results=[ResultOut(**vars(r)) for r in found])
