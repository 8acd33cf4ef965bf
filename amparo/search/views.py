"""The search page: ``/search/?q=`` (the header's box sends here)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amparo.core.forms import run_service

from .forms import SearchForm
from .permissions import can_search
from .selectors import LIMIT
from .services import search_run


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Runs the search when the page is asked with ``q``; the bare page only shows the box."""
    if not can_search(request.user):
        raise PermissionDenied
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        results = run_service(form, search_run, by=request.user, query=form.cleaned_data["q"])
    kinds = [r.kind for r in results or []]
    more = any(kinds.count(kind) >= LIMIT for kind in set(kinds))
    return render(
        request,
        "search/results.html",
        {"form": form, "results": results, "more": more, "limit": LIMIT},
    )
