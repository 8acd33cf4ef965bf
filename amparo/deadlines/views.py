"""Pages of the Django side of deadlines (filled in below the contract)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    return render(request, "deadlines/agenda.html", {})
