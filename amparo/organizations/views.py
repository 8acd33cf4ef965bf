from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from amparo.accounts.roles import Role

from .models import Program
from .selectors import access_organization, attorney_list, membership_list, organization_list, organizations_of


@login_required
def organization_list_view(request: HttpRequest) -> HttpResponse:
    if request.user.role not in (Role.FUND_ADMIN, Role.INTAKE_WORKER, Role.BOARD_MEMBER):  # type: ignore[union-attr]
        raise Http404
    orgs = organization_list(fetched_by=request.user).prefetch_related("offices")  # type: ignore[arg-type]
    return render(request, "organizations/list.html", {"organizations": orgs})


@login_required
def my_organization(request: HttpRequest) -> HttpResponse:
    org = organizations_of(request.user).first()  # type: ignore[arg-type]
    if org is None:
        raise Http404
    return redirect("organizations:detail", slug=org.slug)


@login_required
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = access_organization(request.user, slug)  # type: ignore[arg-type]
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": org,
            "offices": org.offices.all(),
            "attorneys": attorney_list(organization=org),
            "memberships": membership_list(organization=org),
        },
    )


@login_required
def program_list_view(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.FUND_ADMIN:  # type: ignore[union-attr]
        raise Http404
    return render(request, "organizations/programs.html", {"programs": Program.objects.select_related("fund")})
