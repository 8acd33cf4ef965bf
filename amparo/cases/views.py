"""Pages for cases (filled in below the contract)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import case_list


@login_required
def case_list_view(request: HttpRequest) -> HttpResponse:
    cases = case_list(fetched_by=request.user)  # type: ignore[arg-type]
    return render(request, "cases/list.html", {"cases": cases})
