"""Pages for organizations, offices, staff, attorney profiles, programs and the fund.

Views fetch through selectors (404 for missing and forbidden alike), validate with forms, and
hand the writing to services. Bad input re-renders the form with translated errors; nothing
is saved.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts.roles import PROVIDER_ROLES, Role
from amparo.core.forms import run_service
from amparo.core.http import request_user
from amparo.core.identity import site_url
from amparo.core.lists import list_page
from amparo.core.services import ServiceError

from . import services
from .forms import (
    ORGANIZATION_DEFAULT_SORT,
    ORGANIZATION_SORTS,
    AttorneyProfileForm,
    FundForm,
    MembershipInviteForm,
    OfficeForm,
    OrganizationAdminForm,
    OrganizationFilterForm,
    OrganizationProviderForm,
    ProgramForm,
)
from .models import ProviderOrganization
from .permissions import (
    can_administer_organization,
    can_manage_organization,
    can_manage_programs,
    is_fund_admin,
)
from .selectors import (
    access_managed_organization,
    access_membership,
    access_office,
    access_organization,
    access_program,
    attorney_list,
    current_fund,
    membership_list,
    organization_directory,
    organizations_of,
    own_attorney_profile,
    pending_invitations,
    program_list,
)


def _site_url(request: HttpRequest) -> str:
    """Links in invitations point at the configured public site, never at the host this
    request happened to arrive on (a proxy, a developer's machine)."""
    return site_url() + "/"


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    template: str,
    context: dict[str, Any],
    *,
    service: Callable[..., Any],
    saved_message: str,
    done_url: Callable[[Any], str],
    **service_kwargs: Any,
) -> HttpResponse:
    """The page of a form that one service saves: on a valid POST run ``service`` with the
    ``service_kwargs`` and ``data=form.cleaned_data``; if it accepts, say ``saved_message`` and
    go to ``done_url(saved)``, else (or on GET) render ``template`` with the form."""
    if request.method == "POST" and form.is_valid():
        saved = run_service(form, service, data=form.cleaned_data, **service_kwargs)
        if saved is not None:
            messages.success(request, saved_message)
            return redirect(done_url(saved))
    return render(request, template, {"form": form, **context})


# --- Organizations ------------------------------------------------------------------------


@login_required
def organization_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if user.role not in (Role.FUND_ADMIN, Role.INTAKE_WORKER, Role.BOARD_MEMBER):
        raise Http404
    listing = list_page(
        request,
        organization_directory(fetched_by=user).prefetch_related("offices"),
        form=OrganizationFilterForm(request.GET),
        sorts=ORGANIZATION_SORTS,
        default_sort=ORGANIZATION_DEFAULT_SORT,
    )
    return render(
        request,
        "organizations/list.html",
        {
            "organizations": listing.rows,
            "listing": listing,
            "can_create": can_administer_organization(user, None),
        },
        status=listing.status,
    )


@login_required
def my_organization(request: HttpRequest) -> HttpResponse:
    org = organizations_of(request_user(request)).first()
    if org is None:
        raise Http404
    return redirect("organizations:detail", slug=org.slug)


@login_required
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request_user(request)
    org = access_organization(user, slug)
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": org,
            "offices": org.offices.all(),
            "attorneys": attorney_list(organization=org),
            "memberships": membership_list(organization=org),
            "can_manage": can_manage_organization(user, org),
        },
    )


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not can_administer_organization(user, None):
        raise Http404
    return _form_page(
        request,
        OrganizationAdminForm(request.POST or None),
        "organizations/organization_form.html",
        {"organization": None},
        service=services.organization_create,
        saved_message=_("The organization was created."),
        done_url=_organization_url,
        by=user,
    )


@login_required
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = request_user(request)
    org = access_managed_organization(user, slug)
    form_class = (
        OrganizationAdminForm
        if can_administer_organization(user, org)
        else OrganizationProviderForm
    )
    # The form validates a copy (validation writes to its instance): a rejected name never shows
    # up as the page's title, and the service compares the untouched one to name what changed.
    # The service needs no copy: model_update puts old values back when it refuses one.
    return _form_page(
        request,
        form_class(request.POST or None, instance=copy.copy(org)),
        "organizations/organization_form.html",
        {"organization": org},
        service=services.organization_update,
        saved_message=_("The changes were saved."),
        done_url=_organization_url,
        organization=org,
        by=user,
    )


def _organization_url(org: ProviderOrganization) -> str:
    return reverse("organizations:detail", kwargs={"slug": org.slug})


# --- Offices ------------------------------------------------------------------------------


@login_required
def office_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = request_user(request)
    org = access_managed_organization(user, slug)
    return _form_page(
        request,
        OfficeForm(request.POST or None),
        "organizations/office_form.html",
        {"organization": org, "office": None},
        service=services.office_create,
        saved_message=_("The office was added."),
        done_url=lambda _office: _organization_url(org),
        organization=org,
        by=user,
    )


@login_required
def office_edit(request: HttpRequest, slug: str, office_id: int) -> HttpResponse:
    user = request_user(request)
    org = access_managed_organization(user, slug)
    office = access_office(user, org, office_id)
    return _form_page(
        request,
        OfficeForm(request.POST or None, instance=copy.copy(office)),  # see organization_edit
        "organizations/office_form.html",
        {"organization": org, "office": office},
        service=services.office_update,
        saved_message=_("The changes were saved."),
        done_url=lambda _office: _organization_url(org),
        office=office,
        by=user,
    )


@login_required
def office_delete(request: HttpRequest, slug: str, office_id: int) -> HttpResponse:
    user = request_user(request)
    org = access_managed_organization(user, slug)
    office = access_office(user, org, office_id)
    if request.method == "POST":
        services.office_delete(office=office, by=user)
        messages.success(request, _("The office was removed."))
        return redirect("organizations:detail", slug=org.slug)
    return render(
        request, "organizations/office_delete.html", {"organization": org, "office": office}
    )


# --- Staff --------------------------------------------------------------------------------


@login_required
def staff_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = request_user(request)
    org = access_managed_organization(user, slug)
    return render(
        request,
        "organizations/staff.html",
        {"organization": org, "memberships": membership_list(organization=org)},
    )


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """The invitations waiting for the signed-in person: accept or decline each (only provider
    roles are ever invited: ``membership_invite``)."""
    user = request_user(request)
    if user.role not in PROVIDER_ROLES:
        raise Http404
    pending = pending_invitations(fetched_by=user)
    if request.method == "POST":
        chosen = next((i for i in pending if str(i.pk) == request.POST.get("invitation")), None)
        decision = request.POST.get("decision")
        if chosen is None or decision not in ("accept", "decline"):
            raise Http404
        try:
            services.membership_invitation_answer(
                invitation=chosen, accept=decision == "accept", by=user
            )
        except ServiceError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if decision == "accept":
                messages.success(
                    request,
                    _("You joined %(name)s.") % {"name": chosen.organization.name},
                )
            else:
                messages.success(request, _("You declined the invitation."))
        return redirect("organizations:invitations")
    return render(request, "organizations/invitations.html", {"invitations": pending})


@login_required
def staff_invite(request: HttpRequest, slug: str) -> HttpResponse:
    user = request_user(request)
    org = access_managed_organization(user, slug)
    form = MembershipInviteForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The service answers None when the invitation waits for the person's acceptance:
        # success is "the form has no errors", the same answer whoever owns the email.
        run_service(
            form,
            services.membership_invite,
            organization=org,
            email=data["email"],
            role=data["role"],
            by=user,
            site_url=_site_url(request),
            first_name=data["first_name"],
            last_name=data["last_name"],
            language=data["language"],
        )
        if not form.errors:
            messages.success(request, _("The invitation was sent."))
            return redirect("organizations:staff", slug=org.slug)
    return render(request, "organizations/staff_invite.html", {"form": form, "organization": org})


@login_required
@require_POST
def membership_deactivate(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    user = request_user(request)
    org = access_managed_organization(user, slug)
    membership = access_membership(user, org, membership_id)
    try:
        services.membership_deactivate(membership=membership, by=user)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s no longer has access to this organization.")
            % {"name": membership.user.display_name},
        )
    return redirect("organizations:staff", slug=org.slug)


@login_required
@require_POST
def membership_reactivate(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    user = request_user(request)
    org = access_managed_organization(user, slug)
    membership = access_membership(user, org, membership_id)
    services.membership_reactivate(membership=membership, by=user)
    messages.success(
        request,
        _("%(name)s has access to this organization again.")
        % {"name": membership.user.display_name},
    )
    return redirect("organizations:staff", slug=org.slug)


# --- Attorney profiles --------------------------------------------------------------------


def _profile_form_page(
    request: HttpRequest, *, membership: Any, done_url: str, own: bool
) -> HttpResponse:
    user = request_user(request)
    profile = getattr(membership.user, "attorney_profile", None)
    if profile is not None and profile.organization_id != membership.organization_id:
        raise Http404
    return _form_page(
        request,
        AttorneyProfileForm(request.POST or None, instance=profile),
        "organizations/profile_form.html",
        {
            "organization": membership.organization,
            "person": membership.user,
            "own": own,
            "cancel_url": done_url,
        },
        service=services.attorney_profile_save,
        saved_message=_("The profile was saved."),
        done_url=lambda _profile: done_url,
        membership=membership,
        by=user,
    )


@login_required
def member_profile(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    user = request_user(request)
    org = access_managed_organization(user, slug)
    membership = access_membership(user, org, membership_id)
    if not membership.is_active:
        raise Http404
    return _profile_form_page(
        request,
        membership=membership,
        done_url=reverse("organizations:staff", kwargs={"slug": org.slug}),
        own=membership.user_id == user.pk,
    )


@login_required
def own_profile(request: HttpRequest) -> HttpResponse:
    """An attorney's own profile: languages, practice areas, capacity, accepting cases."""
    user = request_user(request)
    profile = own_attorney_profile(user)
    if profile is not None:
        membership = user.memberships.active().filter(organization=profile.organization).first()
    else:
        membership = user.memberships.active().select_related("organization").first()
    if membership is None or user.role not in (Role.ATTORNEY, Role.PROVIDER_ADMIN):
        raise Http404
    return _profile_form_page(
        request, membership=membership, done_url=reverse("core:dashboard"), own=True
    )


# --- Programs and the fund ----------------------------------------------------------------


@login_required
def program_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not can_manage_programs(user):
        raise Http404
    return render(
        request,
        "organizations/programs.html",
        {"programs": program_list(fetched_by=user), "fund": current_fund()},
    )


@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not can_manage_programs(user):
        raise Http404
    fund = current_fund()
    if fund is None:
        messages.info(request, _("Describe the fund first; programs belong to it."))
        return redirect("organizations:fund")
    return _form_page(
        request,
        ProgramForm(request.POST or None, initial={"fund": fund}),
        "organizations/program_form.html",
        {"program": None},
        service=services.program_create,
        saved_message=_("The program was created."),
        done_url=_programs_url,
        by=user,
    )


@login_required
def program_edit(request: HttpRequest, program_slug: str) -> HttpResponse:
    user = request_user(request)
    program = access_program(user, program_slug)
    return _form_page(
        request,
        ProgramForm(request.POST or None, instance=copy.copy(program)),  # see organization_edit
        "organizations/program_form.html",
        {"program": program},
        service=services.program_update,
        saved_message=_("The changes were saved."),
        done_url=_programs_url,
        program=program,
        by=user,
    )


@login_required
def fund_edit(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not is_fund_admin(user):
        raise Http404
    fund = current_fund()
    return _form_page(
        request,
        FundForm(request.POST or None, instance=current_fund()),
        "organizations/fund_form.html",
        {"fund": fund},
        service=services.fund_save,
        saved_message=_("The changes were saved."),
        done_url=_programs_url,
        fund=fund,
        by=user,
    )


def _programs_url(_saved: object) -> str:
    return reverse("organizations:programs")
