"""Pages of referrals: the provider's inbox and answer, fund staff's escalation queue.

A provider admin sees the person's details only on a referral's page, and that read is
audited. Accepting opens the case (``referral_accept``); declining needs a reason and sends
the request on. Fund staff route by hand, or assign the whole waiting queue at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amparo.audit.reads import audit_read
from amparo.core.forms import run_service
from amparo.core.http import request_user
from amparo.core.lists import list_page
from amparo.intake.explain import priority_sentences
from amparo.intake.lists import QUEUE_DEFAULT_SORT, QUEUE_SORTS, HelpRequestFilterForm
from amparo.intake.models import ContactMethod, RequestState
from amparo.intake.selectors import access_help_request
from amparo.intake.services import PROTECTED_FIELDS
from amparo.organizations.languages import language_name
from amparo.organizations.models import AttorneyProfile, PracticeArea, ProviderOrganization
from amparo.organizations.selectors import attorney_list

from .conflicts import (
    ADVERSE_PARTY_IS_CLIENT,
    CLIENT_A_NUMBER,
    CLIENT_IS_ADVERSE_PARTY,
    CLIENT_NAME,
)
from .forms import AcceptForm, DeclineForm
from .lists import INBOX_DEFAULT_SORT, INBOX_SORTS, InboxFilterForm
from .models import ConflictStatus, Referral, ReferralStatus
from .permissions import can_answer_referral, can_route_requests
from .selectors import (
    access_referral,
    escalation_queue,
    identity_visible,
    provider_organizations,
    referral_attorney_choices,
    referral_inbox,
    waiting_count,
)
from .services import (
    best_candidates,
    referral_accept,
    referral_decline,
    referral_route,
    referrals_assign_queue,
)

#: What a conflict-check match means, for the provider.
CONFLICT_TEXTS = {
    CLIENT_A_NUMBER: gettext_lazy("The person's A-number matches one of your clients."),
    CLIENT_NAME: gettext_lazy("The person's name matches one of your clients."),
    ADVERSE_PARTY_IS_CLIENT: gettext_lazy(
        "Someone the person names as an adverse party has the name of one of your clients."
    ),
    CLIENT_IS_ADVERSE_PARTY: gettext_lazy(
        "The person's name matches an adverse party in one of your cases."
    ),
}


def _conflict_texts(matches: list[str]) -> list[str]:
    return [str(CONFLICT_TEXTS[m]) if m in CONFLICT_TEXTS else m for m in matches]


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not provider_organizations(fetched_by=request.user).exists():
        raise Http404
    inbox = referral_inbox(fetched_by=request.user)
    attorneys = AttorneyProfile.objects.filter(pk__in=inbox.values("attorney_id")).select_related(
        "user"
    )
    form = InboxFilterForm(
        request.GET,
        attorneys=sorted(((a.pk, a.user.display_name) for a in attorneys), key=lambda x: x[1]),
    )
    listing = list_page(
        request, inbox, form=form, sorts=INBOX_SORTS, default_sort=INBOX_DEFAULT_SORT
    )
    rows = [
        {"referral": r, "reasons": priority_sentences(r.help_request.priority_reasons)}
        for r in listing.rows
    ]
    return render(
        request,
        "referrals/inbox.html",
        {"rows": rows, "listing": listing},
        status=listing.status,
    )


def _answer_forms(
    referral: Referral, data: Any = None, *, posted: str = ""
) -> tuple[AcceptForm, DeclineForm]:
    """The accept and decline forms of ``referral``; ``data`` binds the one ``posted``."""
    choices = referral_attorney_choices(referral=referral)
    accept_form = AcceptForm(
        data if posted == "accept" else None,
        choices=choices,
        language=language_name(referral.help_request.spoken_language),
        conflict=referral.conflict == ConflictStatus.HIT,
    )
    decline_form = DeclineForm(data if posted == "decline" else None)
    return accept_form, decline_form


def _detail_page(
    request: HttpRequest,
    referral: Referral,
    *,
    forms: tuple[AcceptForm, DeclineForm] | None = None,
) -> HttpResponse:
    help_request = referral.help_request
    answering = (
        bool(can_answer_referral(request.user, referral))
        and referral.status == ReferralStatus.PENDING
    )
    show_person = help_request.purged_at is None and (
        answering or referral.status == ReferralStatus.ACCEPTED or can_route_requests(request.user)
    )
    # Once a case, the case's rules decide who sees the identity; the others see initials.
    initials_only = show_person and not identity_visible(request.user, help_request)
    show_person = show_person and not initials_only
    if answering and forms is None:
        forms = _answer_forms(referral)
    accept_form, decline_form = forms if answering and forms else (None, None)
    # A posted answer the page shows again is one with errors.
    invalid = any(f is not None and f.is_bound for f in (accept_form, decline_form))
    context: dict[str, Any] = {
        "referral": referral,
        "help_request": help_request,
        "reasons": priority_sentences(help_request.priority_reasons),
        "language": language_name(help_request.spoken_language),
        "practice_area": dict(PracticeArea.choices).get(
            help_request.practice_area, help_request.practice_area
        ),
        "contact_method": dict(ContactMethod.choices).get(help_request.contact_method, ""),
        "conflicts": _conflict_texts(referral.conflict_matches),
        "conflict_hit": referral.conflict == ConflictStatus.HIT,
        "answering": answering,
        "show_person": show_person,
        "initials_only": initials_only,
        "accept_form": accept_form,
        "decline_form": decline_form,
    }
    response = render(request, "referrals/detail.html", context, status=400 if invalid else 200)
    if show_person or initials_only:
        audit_read(
            actor=request.user,
            obj=help_request,
            fields=PROTECTED_FIELDS if show_person else ["initials"],
            reason=f"referral {referral.pk}",
        )
    return response


@login_required
def detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _detail_page(request, access_referral(request.user, referral_id))


def _closed(request: HttpRequest, referral: Referral) -> HttpResponse:
    """An answer to a referral that is no longer pending: say so on the referral."""
    if referral.status == ReferralStatus.ACCEPTED:
        messages.error(request, _("This referral was already accepted."))
    else:
        messages.error(
            request,
            _("This referral is closed: it was declined, withdrawn or not answered in time."),
        )
    return redirect("referrals:detail", referral_id=referral.pk)


@login_required
@require_POST
def accept(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = access_referral(request.user, referral_id)
    if not can_answer_referral(request.user, referral):
        raise Http404
    if referral.status != ReferralStatus.PENDING:
        return _closed(request, referral)
    forms = _answer_forms(referral, request.POST, posted="accept")
    form = forms[0]
    if form.is_valid():
        attorney = (
            attorney_list(organization=referral.organization)
            .filter(pk=int(form.cleaned_data["attorney"]))
            .first()
        )
        if attorney is None:  # left the organization since the page was drawn
            form.add_error("attorney", _("Choose an attorney of your organization."))
        else:
            case = run_service(
                form,
                referral_accept,
                referral=referral,
                by=request_user(request),
                lead_attorney=attorney,
                conflict_waived=bool(form.cleaned_data.get("conflict_waived")),
            )
            if case is not None:
                messages.success(
                    request,
                    _("You accepted the referral %(reference)s. The case is open.")
                    % {"reference": referral.help_request.reference},
                )
                return redirect("cases:detail", case_id=case.pk)
    return _detail_page(request, referral, forms=forms)


@login_required
@require_POST
def decline(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = access_referral(request.user, referral_id)
    if not can_answer_referral(request.user, referral):
        raise Http404
    if referral.status != ReferralStatus.PENDING:
        return _closed(request, referral)
    forms = _answer_forms(referral, request.POST, posted="decline")
    form = forms[1]
    if form.is_valid():
        done = run_service(
            form,
            referral_decline,
            referral=referral,
            by=request_user(request),
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, _("You declined the referral. It goes to another provider."))
            return redirect("referrals:inbox")
    return _detail_page(request, referral, forms=forms)


# --- Fund staff -------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> Any:
    if not can_route_requests(request.user):
        raise Http404
    return request.user


@login_required
def escalations(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    listing = list_page(
        request,
        escalation_queue(fetched_by=user),
        form=HelpRequestFilterForm(request.GET),
        sorts=QUEUE_SORTS,
        default_sort=QUEUE_DEFAULT_SORT,
    )
    requests = listing.rows
    best = best_candidates(requests)
    rows = [
        {
            "request": r,
            "reasons": priority_sentences(r.priority_reasons),
            "language": language_name(r.spoken_language),
            "candidate": best[r.pk],
        }
        for r in requests
    ]
    return render(
        request,
        "referrals/escalations.html",
        {
            "rows": rows,
            "listing": listing,
            "organizations": ProviderOrganization.objects.filter(is_active=True).order_by("name"),
            "waiting": waiting_count(fetched_by=user),
        },
        status=listing.status,
    )


@login_required
@require_POST
def route(request: HttpRequest, request_id: str) -> HttpResponse:
    """Send one request: to the best provider, or to the organization staff chose."""
    user = _staff(request)
    help_request = access_help_request(user, request_id)

    def back() -> HttpResponse:
        if request.POST.get("next") == "escalations":
            return redirect("referrals:escalations")
        return redirect("intake:detail", request_id=help_request.pk)

    organization = None
    raw = request.POST.get("organization", "")
    if raw:
        organization = (
            ProviderOrganization.objects.filter(pk=int(raw), is_active=True).first()
            if raw.isdigit()
            else None
        )
        if organization is None:
            messages.error(request, _("Choose an organization from the list."))
            return back()
    referral = referral_route(help_request=help_request, by=user, organization=organization)
    if referral is None:
        help_request.refresh_from_db()
        if help_request.state == RequestState.ESCALATED:
            messages.error(
                request, _("No provider can take this request now. It is on the escalation queue.")
            )
        else:
            messages.error(request, _("This request cannot be sent now."))
    else:
        messages.success(
            request, _("Sent to %(organization)s.") % {"organization": referral.organization.name}
        )
    return back()


@login_required
@require_POST
def assign_queue(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    result = referrals_assign_queue(by=user)
    messages.success(
        request,
        _("The matcher sent %(referred)s of %(considered)s waiting requests to providers.")
        % {"referred": result.referred, "considered": result.considered},
    )
    return redirect("referrals:escalations")
