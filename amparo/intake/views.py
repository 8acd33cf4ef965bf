"""Staff pages of intake: the queue, the one-page intake form, a request's detail, program
rules, poverty tables and retention.

Views fetch through selectors (404 for missing and forbidden alike), validate with forms and
leave the writing to services. Protected values appear only on the detail page, and that read
is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.audit.reads import audit_read
from amparo.audit.services import audit_record
from amparo.core.forms import run_service
from amparo.core.http import request_user
from amparo.core.lists import csv_response, list_page, list_rows
from amparo.core.terms import Custody
from amparo.organizations.languages import language_name
from amparo.organizations.models import PracticeArea

from .corrections import (
    EDITABLE_STATES,
    help_request_adverse_party_add,
    help_request_adverse_party_remove,
    help_request_merge,
    help_request_update,
)
from .explain import eligibility_sentences, priority_sentences
from .forms import PolicyForm, PovertyConfirmForm, StaffIntakeForm
from .forms.staff import AdversePartyForm, MergeForm, RequestEditForm
from .hooks import request_detail_context, request_detail_sections, request_identity_visible
from .lists import QUEUE_DEFAULT_SORT, QUEUE_SORTS, QueueFilterForm
from .models import ChangeKind, ContactMethod, HelpRequest, RequestState, Source
from .permissions import (
    can_export_intake_queue,
    can_manage_intake_policy,
    can_view_retention,
    can_work_intake,
)
from .policy import policy_for, public_policy
from .presentation import annotate
from .selectors import (
    access_help_request,
    access_poverty_guideline,
    access_program_policy,
    help_request_by_reference,
    help_request_duplicates,
    help_request_history,
    help_request_list,
    policy_list,
    poverty_guideline_list,
    queue_counts,
    retention_overview,
)
from .services import (
    PROTECTED_FIELDS,
    IntakeError,
    RequestData,
    ReviewDecision,
    help_request_close,
    help_request_review,
    help_request_submit,
    help_requests_purge_expired,
    intake_policy_save,
    poverty_guideline_confirm,
)

QUEUE_PAGE_SIZE = 100


def _staff(request: HttpRequest) -> Any:
    if not can_work_intake(request.user):
        raise Http404
    return request.user


def _queue_rows(requests: list[HelpRequest]) -> list[dict[str, Any]]:
    return [
        {
            "request": r,
            "reasons": priority_sentences(r.priority_reasons),
            "language": language_name(r.spoken_language),
        }
        for r in requests
    ]


def _queue_listing(request: HttpRequest, user: Any) -> tuple[QueueFilterForm, Any]:
    form = QueueFilterForm(request.GET, counts=queue_counts(fetched_by=user))
    requests = help_request_list(fetched_by=user).select_related("program")
    return form, requests


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form, requests = _queue_listing(request, user)
    listing = list_page(
        request,
        requests,
        form=form,
        sorts=QUEUE_SORTS,
        default_sort=QUEUE_DEFAULT_SORT,
        page_size=QUEUE_PAGE_SIZE,
        csv_url=reverse("intake:queue-export") if can_export_intake_queue(user) else "",
    )
    return render(
        request,
        "intake/staff/queue.html",
        {"listing": listing, "rows": _queue_rows(listing.rows)},
        status=listing.status,
    )


QUEUE_CSV_HEADER = (
    "reference",
    "priority",
    "state",
    "custody",
    "language",
    "interpreter",
    "received",
)


@login_required
@require_GET
def queue_export(request: HttpRequest) -> HttpResponseBase:
    """The queue as the page shows it (same filters and order, every page), for fund
    administrators: the page's non-identifying columns, never a name or a number."""
    user = request_user(request)
    if not can_export_intake_queue(user):
        raise Http404
    form, requests = _queue_listing(request, user)
    if not form.is_valid():
        return queue(request)  # the page, with the message beside the field; nothing exported
    rows = list_rows(
        request, requests, form=form, sorts=QUEUE_SORTS, default_sort=QUEUE_DEFAULT_SORT
    )
    audit_record(
        actor=user,
        action="intake.queue_exported",
        object_type="intake.helprequest",
        reason="CSV export of the queue's non-identifying columns",
    )
    return csv_response(
        rows.iterator(chunk_size=1000),
        header=QUEUE_CSV_HEADER,
        cells=lambda r: (
            r.reference,
            r.priority,
            r.state,
            r.custody,
            r.spoken_language,
            "yes" if r.needs_interpreter else "no",
            r.created_at.isoformat(),
        ),
        filename="help-requests",
    )


def _data_from_staff_form(data: dict[str, Any], language: str) -> RequestData:
    income = data.get("income")
    return RequestData(
        name=data["name"],
        custody=data["custody"],
        contact_method=data["contact_method"],
        language=language,
        spoken_language=data["spoken_language"],
        needs_interpreter=data["needs_interpreter"],
        facility=data.get("facility", "") if data["custody"] == Custody.DETAINED else "",
        a_number=data.get("a_number", ""),
        next_hearing=data.get("next_hearing"),
        court=data.get("court", ""),
        zip_code=data.get("zip_code", ""),
        county=data.get("county", ""),
        household_size=data.get("household_size"),
        income_low=income,
        income_high=income,
        practice_area=data.get("practice_area", ""),
        minor=data["minor"],
        unaccompanied_child=data["unaccompanied_child"],
        in_absentia_risk=data["in_absentia_risk"],
        vulnerable=data["vulnerable"],
        missed_hearing=data["missed_hearing"],
        in_absentia_order=data["in_absentia_order"],
        deadline_kind=data.get("deadline_kind") or "",
        deadline_date=data.get("deadline_date"),
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        relative_name=data.get("relative_name", ""),
        relative_phone=data.get("relative_phone", ""),
        contact_notes=data.get("contact_notes", ""),
        safe_to_leave_message=data["safe_to_leave_message"],
        date_of_birth=data.get("date_of_birth"),
        adverse_parties=data.get("adverse_parties") or [],
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_request(request: HttpRequest) -> HttpResponse:
    """The hotline and detention-visit form: one page, keyboard first. A request with the same
    A-number or phone as an open one is not created twice: the worker is shown the existing
    request, and creates a new one only after ticking that it is a different person."""
    user = _staff(request)
    policy = public_policy()
    form = StaffIntakeForm(
        request.POST if request.method == "POST" else None,
        policy=policy,
        initial={"spoken_language": "es", "route_now": True},
    )
    duplicates: list[HelpRequest] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = help_request_duplicates(
            fetched_by=user, a_number=data.get("a_number", ""), phone=data.get("phone", "")
        )
        if duplicates and not data["not_a_duplicate"]:
            form.add_error(
                None,
                _(
                    "A request with the same A-number or phone already exists. Open it below, or tick that this is a different person."
                ),
            )
        else:
            submission = help_request_submit(
                data=_data_from_staff_form(data, (request.LANGUAGE_CODE or "en").split("-")[0]),
                source=data["source"],
                by=user,
                flag_duplicates=False,
                route=data["route_now"],
            )
            created = submission.help_request
            if data["route_now"] and created.state == RequestState.WAITING:
                messages.success(
                    request,
                    _("Request %(reference)s saved. It goes to a provider now.")
                    % {"reference": created.reference},
                )
            else:
                messages.success(
                    request, _("Request %(reference)s saved.") % {"reference": created.reference}
                )
            return redirect("intake:detail", request_id=created.pk)
    annotate(form)
    return render(request, "intake/staff/new.html", {"form": form, "duplicates": duplicates})


@login_required
def detail(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _staff(request)
    help_request = access_help_request(user, request_id)
    # Once the request became a case, the case's rules decide who sees the person (intake.hooks).
    initials_only = help_request.purged_at is None and not request_identity_visible(
        user, help_request
    )
    if help_request.purged_at is not None:
        shown: list[str] = []
    elif initials_only:
        shown = ["initials"]
    else:
        shown = [*PROTECTED_FIELDS, "adverse_parties.name"]
    context = {
        "help_request": help_request,
        "eligibility": eligibility_sentences(help_request.eligibility_reasons),
        "priority_reasons": priority_sentences(help_request.priority_reasons),
        "spoken_language": language_name(help_request.spoken_language),
        "practice_area": dict(PracticeArea.choices).get(
            help_request.practice_area, help_request.practice_area
        ),
        "adverse_parties": [p.name for p in help_request.adverse_parties.all()]
        if help_request.purged_at is None and not initials_only
        else [],
        "initials_only": initials_only,
        "referrals": [],
        "can_review": help_request.state == RequestState.NEEDS_REVIEW
        and help_request.purged_at is None,
        "can_close": help_request.is_open,
        "can_route": help_request.state in (RequestState.WAITING, RequestState.ESCALATED)
        and help_request.purged_at is None,
        "candidate": None,
        "duplicate_of": help_request.possible_duplicate_of,
        "contact_method": dict(ContactMethod.choices).get(help_request.contact_method, ""),
        "source": dict(Source.choices).get(help_request.source, ""),
        "can_correct": _editable(help_request) and not initials_only,
        "history": _history_rows(user, help_request),
        "merged_into": help_request.merged_into,
        # Its referrals and the best provider for it, from the router (intake.hooks).
        **request_detail_context(help_request),
    }
    if shown and not initials_only:
        # The text conversation (amparo.sms): only for those who may see the person.
        context.update(request_detail_sections(user, help_request))
    response = render(request, "intake/staff/detail.html", context)
    if shown:
        audit_read(actor=user, obj=help_request, fields=shown, reason="intake detail")
    return response


def _editable(help_request: HelpRequest) -> bool:
    return (
        help_request.purged_at is None
        and help_request.merged_into_id is None
        and help_request.state in EDITABLE_STATES
    )


def _field_labels() -> dict[str, str]:
    fields = StaffIntakeForm.base_fields
    labels = {name: str(field.label) for name, field in fields.items()}
    labels["income_low_cents"] = labels["income_high_cents"] = labels["income"]
    labels["adverse_parties"] = _("Adverse parties")
    labels["merged_into"] = _("Merged into")
    return labels


def _history_rows(user: Any, help_request: HelpRequest) -> list[dict[str, Any]]:
    labels = _field_labels()
    rows = []
    for change in help_request_history(fetched_by=user, help_request=help_request):
        names = list(dict.fromkeys(labels.get(f, f) for f in change.fields))
        rows.append(
            {
                "change": change,
                "kind": dict(ChangeKind.choices).get(change.kind, change.kind),
                "fields": names,
                "by": change.changed_by.display_name if change.changed_by else _("System"),
            }
        )
    return rows


def _edit_initial(help_request: HelpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(help_request, name)
        for name in RequestEditForm.base_fields
        if name not in RequestEditForm.EXCLUDED and name != "income"
    }
    low, high = help_request.income_low, help_request.income_high
    initial["income_low"], initial["income_high"] = low, high
    initial["income"] = low if low is not None and low == high else ""
    for name, value in initial.items():
        if value is None and name not in ("date_of_birth", "next_hearing", "deadline_date"):
            initial[name] = ""
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, request_id: str) -> HttpResponse:
    """Correct a request: what changes is audited by field and kept in its history, and
    screening and triage run again."""
    user = _staff(request)
    help_request = access_help_request(user, request_id)
    if not _editable(help_request) or not request_identity_visible(user, help_request):
        messages.error(request, _("This request cannot be corrected any more."))
        return redirect("intake:detail", request_id=help_request.pk)
    form = RequestEditForm(
        request.POST if request.method == "POST" else None,
        policy=policy_for(help_request.program_id),
        initial=_edit_initial(help_request),
    )
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form, help_request_update, help_request=help_request, by=user, data=form.changes()
        )
        if changed is not None:
            if changed:
                messages.success(request, _("The corrections were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("intake:detail", request_id=help_request.pk)
    annotate(form)
    response = render(
        request,
        "intake/staff/edit.html",
        {"form": form, "help_request": help_request},
        status=400 if form.errors else 200,
    )
    audit_read(actor=user, obj=help_request, fields=list(PROTECTED_FIELDS), reason="intake edit")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def adverse_parties(request: HttpRequest, request_id: str) -> HttpResponse:
    """Add an adverse party, or remove one named by mistake."""
    user = _staff(request)
    help_request = access_help_request(user, request_id)
    if not _editable(help_request) or not request_identity_visible(user, help_request):
        messages.error(request, _("This request cannot be corrected any more."))
        return redirect("intake:detail", request_id=help_request.pk)
    form = AdversePartyForm(request.POST if "add" in request.POST else None)
    if request.method == "POST" and "remove" in request.POST:
        try:
            help_request_adverse_party_remove(
                help_request=help_request, by=user, party_id=request.POST.get("remove", "")
            )
        except (IntakeError, ValueError, ValidationError):
            messages.error(request, _("This adverse party is not on the request."))
        else:
            messages.success(request, _("The adverse party was removed."))
        return redirect("intake:adverse-parties", request_id=help_request.pk)
    if form.is_bound and form.is_valid():
        added = run_service(
            form,
            help_request_adverse_party_add,
            help_request=help_request,
            by=user,
            name=form.cleaned_data["name"],
        )
        if added is not None:
            messages.success(request, _("The adverse party was added."))
            return redirect("intake:adverse-parties", request_id=help_request.pk)
    annotate(form)
    parties = list(help_request.adverse_parties.all())
    response = render(
        request,
        "intake/staff/adverse_parties.html",
        {"form": form, "help_request": help_request, "parties": parties},
        status=400 if form.errors else 200,
    )
    if parties:
        audit_read(
            actor=user,
            obj=help_request,
            fields=["adverse_parties.name"],
            reason="intake adverse parties",
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, request_id: str) -> HttpResponse:
    """Two requests found to be the same person: one carries on, the other is closed as
    merged into it (and stays readable)."""
    user = _staff(request)
    help_request = access_help_request(user, request_id)
    form = MergeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        other = help_request_by_reference(fetched_by=user, reference=form.cleaned_data["other"])
        if other is None:
            form.add_error("other", _("No request has this reference."))
        elif other.pk == help_request.pk:
            form.add_error("other", _("Enter the reference of another request."))
        else:
            keep, gone = (
                (help_request, other)
                if form.cleaned_data["keep"] == "this"
                else (other, help_request)
            )
            survivor = run_service(form, help_request_merge, keep=keep, merge=gone, by=user)
            if survivor is not None:
                messages.success(
                    request,
                    _("Request %(gone)s was merged into %(kept)s.")
                    % {"gone": gone.reference, "kept": survivor.reference},
                )
                return redirect("intake:detail", request_id=survivor.pk)
    annotate(form)
    return render(
        request,
        "intake/staff/merge.html",
        {"form": form, "help_request": help_request},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def review(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _staff(request)
    help_request = access_help_request(user, request_id)
    decision = request.POST.get("decision", "")
    try:
        help_request_review(help_request=help_request, by=user, decision=decision)
    except IntakeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision was saved."))
    return redirect("intake:detail", request_id=help_request.pk)


@login_required
@require_POST
def close(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _staff(request)
    help_request = access_help_request(user, request_id)
    try:
        help_request_close(help_request=help_request, by=user)
    except IntakeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request was closed."))
    return redirect("intake:detail", request_id=help_request.pk)


# --- Program rules --------------------------------------------------------------------------


@login_required
def policies(request: HttpRequest) -> HttpResponse:
    if not can_manage_intake_policy(request.user):
        raise Http404
    return render(
        request,
        "intake/staff/policies.html",
        {
            "rows": policy_list(fetched_by=request.user),
            "tables": poverty_guideline_list(fetched_by=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, program_slug: str) -> HttpResponse:
    program, policy = access_program_policy(request.user, program_slug)
    form = PolicyForm(request.POST if request.method == "POST" else None, policy=policy)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            intake_policy_save,
            program=program,
            by=request_user(request),
            values=form.values(),
        )
        if saved is not None:
            messages.success(request, _("The intake rules were saved."))
            return redirect("intake:policies")
    annotate(form)
    return render(
        request,
        "intake/staff/policy_form.html",
        {"form": form, "program": program, "policy": policy},
    )


@login_required
@require_http_methods(["GET", "POST"])
def poverty_confirm(request: HttpRequest, guideline_id: int) -> HttpResponse:
    guideline = access_poverty_guideline(request.user, guideline_id)
    form = PovertyConfirmForm(
        request.POST if request.method == "POST" else None,
        initial={"additional_person": guideline.additional_person, "source": guideline.source},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            poverty_guideline_confirm,
            guideline=guideline,
            by=request.user,
            additional_person=form.cleaned_data["additional_person"],
            source=form.cleaned_data["source"],
        )
    ):
        messages.success(request, _("The %(year)s table is confirmed.") % {"year": guideline.year})
        return redirect("intake:policies")
    annotate(form)
    return render(
        request, "intake/staff/poverty_confirm.html", {"form": form, "guideline": guideline}
    )


@login_required
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest) -> HttpResponse:
    if not can_view_retention(request.user):
        raise Http404
    if request.method == "POST":
        purged = help_requests_purge_expired(by=request_user(request))
        messages.success(request, _("%(count)s requests were shredded.") % {"count": purged})
        return redirect(reverse("intake:retention"))
    return render(
        request,
        "intake/staff/retention.html",
        {"overview": retention_overview(fetched_by=request.user)},
    )


__all__ = ["ReviewDecision"]
