"""Pages for cases. Every page fetches the case with ``access_case`` (404 for missing and
forbidden alike), checks the named predicate for what it shows or changes, validates input with
a form, and hands the writing to a service. Reads of protected values are audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.audit.reads import audit_read
from amparo.core.forms import RemoveOnRequestForm, run_service
from amparo.core.http import request_user
from amparo.core.lists import list_page
from amparo.organizations.models import AttorneyProfile, Membership, ProviderOrganization
from amparo.vault.services import subject_create

from . import services
from .calendar import build_calendar
from .choices import CaseStatus
from .forms import (
    CASE_DEFAULT_SORT,
    CASE_SORTS,
    AdversePartyForm,
    CaseEditForm,
    CaseFilterForm,
    CaseOpenForm,
    ClientFields,
    DocumentForm,
    EventForm,
    HearingEditForm,
    HearingForm,
    NoteForm,
    OutcomeForm,
    TeamAddForm,
    TransitionForm,
)
from .hooks import detail_sections
from .models import Case, CaseAssignment, Document, Hearing
from .outcomes import eoir_code
from .permissions import (
    answers_remembered,
    can_edit_case,
    can_manage_case_team,
    can_open_case,
    can_shred_client,
    can_view_client_identity,
    can_view_privileged,
    is_case_provider_admin,
)
from .selectors import access_case, case_list, case_team, case_timeline
from .workflow import TRANSITIONS, available_transitions

#: The client's protected fields a page shows (names only, for the audit log).
IDENTITY_FIELDS = (
    "client.name",
    "client.a_number",
    "client.date_of_birth",
    "client.phone",
    "client.email",
    "client.address",
    "client.country_of_birth",
    "facility",
)
PAGE_SIZE = 50


def _case(request: HttpRequest, case_id: Any) -> Case:
    return access_case(request_user(request), case_id)


def _require(predicate: Any, user: User, case: Case) -> None:
    if not predicate(user, case):
        raise Http404


def _access(request: HttpRequest, case_id: Any, predicate: Any) -> tuple[User, Case]:
    """The viewer and the case, when ``predicate`` allows it (404 otherwise)."""
    user = request_user(request)
    case = _case(request, case_id)
    _require(predicate, user, case)
    return user, case


def _saved(
    request: HttpRequest, form: BaseForm, save: Callable[[], object], *, message: str, to: str
) -> HttpResponse | None:
    """On a valid POST, run ``save`` (a service call); when it succeeds, flash ``message`` and
    redirect to ``to``. None when the page should be shown (again)."""
    if request.method == "POST" and form.is_valid() and run_service(form, save) is not None:
        messages.success(request, message)
        return redirect(to)
    return None


def _detail_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def _form_page(
    request: HttpRequest,
    case: Case | None,
    form: BaseForm,
    *,
    title: str,
    submit: str,
    intro: str = "",
    multipart: bool = False,
    cancel: str | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit,
            "multipart": multipart,
            "cancel": cancel or (_detail_url(case) if case else reverse("cases:list")),
        },
        status=status,
    )


# --- the list and opening a case ----------------------------------------------------------------


@login_required
def case_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if user.role not in (Role.FUND_ADMIN, Role.PROVIDER_ADMIN, Role.ATTORNEY):
        raise Http404
    scheduled = Hearing.objects.filter(status="scheduled").order_by("date", "pk")
    visible = case_list(fetched_by=user)
    leads = User.objects.filter(pk__in=visible.values("lead_attorney_id")).order_by(
        "first_name", "last_name", "pk"
    )
    form = CaseFilterForm(request.GET, attorneys=[(u.pk, u.display_name) for u in leads])
    listing = list_page(
        request,
        visible.prefetch_related(
            "outcomes", Prefetch("hearings", queryset=scheduled, to_attr="scheduled_hearings")
        ),
        form=form,
        sorts=CASE_SORTS,
        default_sort=CASE_DEFAULT_SORT,
        page_size=PAGE_SIZE,
    )
    show_names = user.role != Role.FUND_ADMIN
    rows = [
        {
            "case": case,
            "client": (case.client.display_name if show_names else case.client.initials),
            "next_hearing": next(iter(case.scheduled_hearings), None),
        }
        for case in listing.rows
    ]
    response = render(
        request,
        "cases/list.html",
        {
            "rows": rows,
            "listing": listing,
            "show_names": show_names,
            "can_open": _orgs_to_open_in(user) != [],
        },
        status=listing.status,
    )
    if rows and show_names:
        audit_read(
            actor=user,
            object_type="cases.case",
            fields=["client.name"],
            reason=f"case list ({len(rows)} cases)",
        )
    return response


def _orgs_to_open_in(user: User) -> list[ProviderOrganization]:
    orgs = ProviderOrganization.objects.filter(
        memberships__user=user, memberships__is_active=True, is_active=True
    ).distinct()
    return [org for org in orgs if can_open_case(user, org)]


def _attorneys_of(orgs: list[ProviderOrganization]) -> list[tuple[ProviderOrganization, User]]:
    found = []
    for org in orgs:
        profiles = (
            AttorneyProfile.objects.filter(
                organization=org,
                user__is_active=True,
                user__memberships__organization=org,
                user__memberships__is_active=True,
            )
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        found += [(org, p.user) for p in profiles]
    return found


@login_required
def case_open_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    orgs = _orgs_to_open_in(user)
    if not orgs:
        raise Http404
    attorneys = _attorneys_of(orgs)
    initial = {"lead_attorney": str(user.pk)} if user.role == Role.ATTORNEY else {}
    form = CaseOpenForm(
        request.POST or None, organizations=orgs, attorneys=attorneys, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = next(o for o in orgs if str(o.pk) == data["organization"])
        lead = next(
            (u for o, u in attorneys if str(u.pk) == data["lead_attorney"] and o == org), None
        )
        if data["lead_attorney"] and lead is None:
            form.add_error("lead_attorney", _("Choose an attorney of this organization."))
        else:
            client = {key: data.get(key) for key in services.CLIENT_KEYS}
            client.update(
                remind_by_sms=data["remind_by_sms"], remind_by_email=data["remind_by_email"]
            )
            case = run_service(
                form,
                services.case_open,
                organization=org,
                lead_attorney=lead,
                subject=subject_create(kind="client"),
                client=client,
                custody=data["custody"],
                facility=data["facility"],
                court=data["court"],
                case_type=data["case_type"],
                practice_area=data["practice_area"],
                next_hearing=data["next_hearing"],
                language=data["language"],
                by=user,
            )
            if case is not None:
                messages.success(request, _("The case was opened."))
                return redirect(_detail_url(case))
    return _form_page(
        request,
        None,
        form,
        title=_("Open a case"),
        submit=_("Open the case"),
        intro=_("Everything about the client is stored encrypted. Fill in what you know now."),
    )


# --- the case page ------------------------------------------------------------------------------


@login_required
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    with answers_remembered():  # a read-only page: each permission question asked once
        return _case_detail(request, case_id)


def _case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    case = _case(request, case_id)
    show_identity = bool(can_view_client_identity(user, case))
    show_privileged = bool(can_view_privileged(user, case))
    outcomes = list(case.outcomes.order_by("-decision_date", "-recorded_at", "-pk"))
    context = {
        "case": case,
        "client": case.client,
        "show_identity": show_identity,
        "show_privileged": show_privileged,
        "can_edit": bool(can_edit_case(user, case)) and not case.is_closed,
        "can_manage_team": bool(can_manage_case_team(user, case)),
        "can_shred": bool(can_shred_client(user, case)) and not case.client.is_shredded,
        "hearings": case.hearings.all(),
        "sections": detail_sections(user, case),
        "events": case_timeline(case=case)[:50],
        "team": case_team(case=case).filter(is_active=True),
        "outcomes": [(o, eoir_code(case.case_type, o.kind)) for o in outcomes],
        "transitions": available_transitions(user, case),
        "document_count": case.documents.count() if show_privileged else None,
        "note_count": case.notes.count() if show_privileged else None,
    }
    response = render(request, "cases/detail.html", context)
    shown = [*IDENTITY_FIELDS, "events.details"] if show_identity else []
    audit_read(actor=user, obj=case, fields=shown)
    return response


@login_required
def case_edit(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user, case = _access(request, case_id, can_edit_case)
    initial = {name: getattr(case, name) for name in services.CASE_FIELDS}
    form = CaseEditForm(request.POST or None, initial=initial)
    done = _saved(
        request,
        form,
        lambda: services.case_update(case=case, data=dict(form.cleaned_data), by=user),
        message=_("The changes were saved."),
        to=_detail_url(case),
    )
    if done:
        return done
    response = _form_page(request, case, form, title=_("Edit the case"), submit=_("Save"))
    if request.method != "POST":
        audit_read(actor=user, obj=case, fields=["facility"])
    return response


@login_required
def client_edit(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user, case = _access(request, case_id, can_edit_case)
    client = case.client
    initial = {name: getattr(client, name) for name in services.CLIENT_FIELDS}
    form = ClientFields(request.POST or None, initial=initial)
    done = _saved(
        request,
        form,
        lambda: services.client_update(case=case, data=dict(form.cleaned_data), by=user),
        message=_("The changes were saved."),
        to=_detail_url(case),
    )
    if done:
        return done
    response = _form_page(
        request, case, form, title=_("Edit the client's details"), submit=_("Save")
    )
    audit_read(actor=user, obj=client, fields=IDENTITY_FIELDS[:-1])
    return response


@login_required
def case_transition_view(request: HttpRequest, case_id: uuid.UUID, transition: str) -> HttpResponse:
    user = request_user(request)
    case = _case(request, case_id)
    name = transition
    step = TRANSITIONS.get(name)
    if step is None or not step.permission(user, case):
        raise Http404
    form = TransitionForm(request.POST or None)
    return _saved(
        request,
        form,
        lambda: services.case_transition(
            case=case, name=name, by=user, reason=form.cleaned_data["reason"]
        ),
        message=_("The case is now %(status)s.") % {"status": _status_label(name)},
        to=_detail_url(case),
    ) or _form_page(
        request,
        case,
        form,
        title=str(step.label),
        submit=str(step.label),
        status=400 if form.errors else 200,
    )


@login_required
def client_shred_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Remove the client's data on request: a page that says what goes and what stays, and
    asks why; the service refuses a blank reason and a client already removed."""
    user, case = _access(request, case_id, can_shred_client)
    form = RemoveOnRequestForm(request.POST if request.method == "POST" else None)
    done = _saved(
        request,
        form,
        lambda: services.case_client_shred(case=case, by=user, reason=form.cleaned_data["reason"]),
        message=_("The client's data was removed. The case stays, without the person."),
        to=_detail_url(case),
    )
    if done:
        return done
    context = {
        "form": form,
        "title": _("Remove the client's data on request"),
        "back_label": _("Case %(ref)s") % {"ref": case.reference},
        "cancel": _detail_url(case),
        "destroyed": [
            _("The client's name, A-number, date of birth, phone, email, address and country."),
            _("The detention facility, timeline details, documents, notes and adverse parties."),
            _("The help request the case came from, and any other case of the same client."),
        ],
        "kept": [
            _("The case reference, type, stage, court, hearings, deadlines and outcome."),
            _("The fund's counts and reports, and every amount in its books."),
            _("The audit log: who removed the data, when and why."),
        ],
    }
    return render(
        request,
        "core/remove_on_request.html",
        context,
        status=400 if form.errors else 200,
    )


def _status_label(name: str) -> str:
    target = TRANSITIONS[name].target
    return str(dict(CaseStatus.choices)[target]).lower()


# --- hearings, events, outcomes -----------------------------------------------------------------


@login_required
def hearing_add_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user, case = _access(request, case_id, can_edit_case)
    form = HearingForm(request.POST or None)
    return _saved(
        request,
        form,
        lambda: services.hearing_add(case=case, by=user, **form.cleaned_data),
        message=_("The hearing was added. Its filing deadline is below."),
        to=_detail_url(case) + "#deadlines",
    ) or _form_page(request, case, form, title=_("Add a hearing"), submit=_("Add the hearing"))


@login_required
def hearing_edit_view(request: HttpRequest, case_id: uuid.UUID, hearing_id: int) -> HttpResponse:
    user, case = _access(request, case_id, can_edit_case)
    hearing = case.hearings.filter(pk=hearing_id).first()
    if hearing is None:
        raise Http404
    initial = {name: getattr(hearing, name) for name in services.HEARING_FIELDS}
    form = HearingEditForm(request.POST or None, initial=initial)
    return _saved(
        request,
        form,
        lambda: services.hearing_update(
            hearing=hearing,
            data={k: v for k, v in form.cleaned_data.items() if k != "confirm_past"},
            confirm_past=form.cleaned_data["confirm_past"],
            by=user,
        ),
        message=_("The hearing was changed."),
        to=_detail_url(case),
    ) or _form_page(request, case, form, title=_("Change the hearing"), submit=_("Save"))


@login_required
def event_add_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user, case = _access(request, case_id, can_edit_case)
    form = EventForm(request.POST or None)
    return _saved(
        request,
        form,
        lambda: services.event_add(case=case, by=user, **form.cleaned_data),
        message=_("The event was added to the timeline."),
        to=_detail_url(case) + "#timeline",
    ) or _form_page(
        request,
        case,
        form,
        title=_("Add to the timeline"),
        submit=_("Add"),
        intro=_(
            "A last arrival, a change of address, a filing received or a briefing notice also "
            "starts its deadline."
        ),
    )


@login_required
def outcome_record_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user, case = _access(request, case_id, can_edit_case)
    form = OutcomeForm(request.POST or None, case_type=case.case_type)
    return _saved(
        request,
        form,
        lambda: services.outcome_record(case=case, by=user, **form.cleaned_data),
        message=_("The decision was recorded. New deadlines are below."),
        to=_detail_url(case) + "#deadlines",
    ) or _form_page(
        request, case, form, title=_("Record a decision"), submit=_("Record the decision")
    )


# --- documents and privileged notes ------------------------------------------------------------


def _list_and_add(
    request: HttpRequest,
    case: Case,
    *,
    form: BaseForm,
    add: Callable[[BaseForm], object],
    saved: str,
    url_name: str,
    template: str,
    items_name: str,
    items: Callable[[], list[Any]],
    audited: list[str],
) -> HttpResponse:
    """A case's list of protected things with a form to add one (documents, notes, adverse
    parties): the add goes through a service; its refusals show beside the form (400); adding
    without the right answers 404; reading a non-empty list is audited."""
    user = request_user(request)
    can_add = bool(can_edit_case(user, case))
    if request.method == "POST" and not can_add:
        raise Http404
    done = _saved(
        request, form, lambda: add(form), message=saved, to=reverse(url_name, args=[case.pk])
    )
    if done:
        return done
    listed = items()
    response = render(
        request,
        template,
        {"case": case, items_name: listed, "form": form, "can_add": can_add},
        status=400 if form.errors else 200,
    )
    if listed:
        audit_read(actor=user, obj=case, fields=audited)
    return response


@login_required
def documents_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user, case = _access(request, case_id, can_view_privileged)

    def add(form: BaseForm) -> object:
        upload = form.cleaned_data["file"]
        return services.document_add(
            case=case,
            data=upload.read(services_max_bytes() + 1),
            filename=upload.name or "",
            kind=form.cleaned_data["kind"],
            by=user,
        )

    return _list_and_add(
        request,
        case,
        form=DocumentForm(request.POST or None, request.FILES or None),
        add=add,
        saved=_("The document was stored, encrypted."),
        url_name="cases:documents",
        template="cases/documents.html",
        items_name="documents",
        items=lambda: list(
            case.documents.defer("content").select_related("uploaded_by", "subject")
        ),
        audited=["documents.filename"],
    )


def services_max_bytes() -> int:
    from .documents import max_bytes

    return max_bytes()


@login_required
def document_download(
    request: HttpRequest, case_id: uuid.UUID, document_id: uuid.UUID
) -> HttpResponse:
    user, case = _access(request, case_id, can_view_privileged)
    document: Document | None = case.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    response = HttpResponse(document.content, content_type=document.content_type)
    # The file name is protected: an ASCII stand-in keeps it out of proxies' logs.
    extension = {
        "application/pdf": "pdf",
        "image/jpeg": "jpg",
        "image/png": "png",
    }.get(document.content_type, "docx")
    response["Content-Disposition"] = (
        f'attachment; filename="document-{str(document.pk)[:8]}.{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    audit_read(actor=user, obj=document, fields=["content", "filename"])
    return response


@login_required
def notes_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user, case = _access(request, case_id, can_view_privileged)
    return _list_and_add(
        request,
        case,
        form=NoteForm(request.POST or None),
        add=lambda form: services.note_add(case=case, body=form.cleaned_data["body"], by=user),
        saved=_("The note was saved, encrypted."),
        url_name="cases:notes",
        template="cases/notes.html",
        items_name="notes",
        items=lambda: list(case.notes.select_related("author", "subject")),
        audited=["notes.body"],
    )


@login_required
def adverse_parties_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user, case = _access(request, case_id, can_view_client_identity)
    return _list_and_add(
        request,
        case,
        form=AdversePartyForm(request.POST or None),
        add=lambda form: services.adverse_party_add(case=case, by=user, **form.cleaned_data),
        saved=_("The adverse party was added."),
        url_name="cases:adverse-parties",
        template="cases/adverse_parties.html",
        items_name="parties",
        items=lambda: list(case.adverse_parties.select_related("subject").order_by("created_at")),
        audited=["adverse_parties.name"],
    )


# --- the team -----------------------------------------------------------------------------------


@login_required
def team_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    case = _case(request, case_id)
    can_manage = bool(can_manage_case_team(user, case))
    on_team = set(case.assignments.filter(is_active=True).values_list("user_id", flat=True))
    people = [
        m.user
        for m in Membership.objects.active()
        .filter(organization=case.organization, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
        if m.user.role in (Role.ATTORNEY, Role.PROVIDER_ADMIN) and m.user_id not in on_team
    ]
    form = TeamAddForm(request.POST or None, people=people)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            person = next(p for p in people if str(p.pk) == form.cleaned_data["user"])
            done = run_service(
                form,
                services.team_add,
                case=case,
                user=person,
                role=form.cleaned_data["role"],
                by=user,
            )
            if done is not None:
                messages.success(
                    request, _("%(name)s is on the case.") % {"name": person.display_name}
                )
                return redirect("cases:team", case_id=case.pk)
    return render(
        request,
        "cases/team.html",
        {
            "case": case,
            "team": case_team(case=case),
            "form": form,
            "can_manage": can_manage,
            "people": people,
            "can_remove_self": bool(is_case_provider_admin(user, case)),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def team_revoke_view(request: HttpRequest, case_id: uuid.UUID, assignment_id: int) -> HttpResponse:
    user, case = _access(request, case_id, can_manage_case_team)
    assignment: CaseAssignment | None = (
        case.assignments.select_related("user").filter(pk=assignment_id).first()
    )
    if assignment is None:
        raise Http404
    try:
        services.team_revoke(assignment=assignment, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:team", case_id=case.pk)
    messages.success(
        request, _("%(name)s is no longer on the case.") % {"name": assignment.user.display_name}
    )
    return redirect("cases:team", case_id=case.pk)


# --- calendar -----------------------------------------------------------------------------------


@login_required
def case_ics(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    case = _case(request, case_id)
    body = build_calendar(
        name=f"{case.reference}",
        hearings=case.hearings.select_related("case", "case__client__subject"),
        deadlines=case.deadlines.filter(is_active=True).select_related(
            "case", "case__client__subject"
        ),
        include_names=False,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.ics"'
    audit_read(actor=user, obj=case, fields=["client.initials"], reason="calendar download")
    return response
