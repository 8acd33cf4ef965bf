"""Grant pages: rounds, applications, board review, awards, tranches and grantee reports.

Every object is fetched through an ``access_*`` selector: missing and forbidden look the same
(404), and a conflicted board member is refused exactly like that (and the refusal audited)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.core.forms import form_errors_add, run_service
from amparo.core.lists import csv_response, list_page, list_rows
from amparo.core.services import ServiceError, require
from amparo.ledger.currency import plain_amount
from amparo.organizations.models import ProviderOrganization

from .agreement import agreement_pdf
from .forms import (
    APPLICATION_DEFAULT_SORT,
    APPLICATION_SORTS,
    ROUND_DEFAULT_SORT,
    ROUND_SORTS,
    ApplicationFilterForm,
    ApplicationForm,
    AwardForm,
    ReportForm,
    RoundFilterForm,
    RoundForm,
    TrancheForm,
    TransitionForm,
)
from .models import Application, Attachment, Award, GrantRound, RoundStatus
from .permissions import (
    admin_organization_ids,
    can_score,
    can_view_rounds,
    is_board_member,
    is_fund_admin,
    is_provider_admin,
)
from .selectors import (
    access_application,
    access_award,
    access_report,
    access_round,
    access_tranche,
    application_list,
    award_list,
    report_prefill,
    report_state,
    round_list,
    round_summary,
    weighted_score,
)
from .services import (
    TRANSITIONS,
    accepting,
    application_save,
    award_decide,
    conflict_declare,
    report_submit,
    reports_schedule,
    round_create,
    round_delete,
    round_transition,
    round_update,
    scores_record,
    tranche_add,
    tranche_pay,
)


def _flash(request: HttpRequest, action: Callable[[], object], *, success: str) -> None:
    """Run a service call; its refusal becomes an error message, its success ``success``."""
    try:
        action()
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)


@login_required
@require_GET
def round_list_view(request: HttpRequest) -> HttpResponse:
    require(can_view_rounds(request.user))
    today = timezone.localdate()
    reports = []
    awards = list(award_list(fetched_by=request.user).prefetch_related("reports"))
    for award in awards:
        for report in award.reports.all():
            reports.append((report, report_state(report, today)))
    listing = list_page(
        request,
        round_list(fetched_by=request.user),
        form=RoundFilterForm(request.GET),
        sorts=ROUND_SORTS,
        default_sort=ROUND_DEFAULT_SORT,
    )
    return render(
        request,
        "grants/rounds.html",
        {
            "listing": listing,
            "rounds": listing.rows,
            "admin": is_fund_admin(request.user),
            "board": is_board_member(request.user),
            "awards": awards,
            "reports": reports,
        },
        status=listing.status,
    )


def _round_values(form: RoundForm) -> dict[str, Any]:
    """The typed values of a round, as ``round_create`` and ``round_update`` take them."""
    d = form.cleaned_data
    return {
        name: d[name]
        for name in (
            "name",
            "budget",
            "opens_on",
            "closes_on",
            "restriction",
            "categories",
            "budget_override",
        )
    }


@login_required
@require_http_methods(["GET", "POST"])
def round_create_view(request: HttpRequest) -> HttpResponse:
    require(is_fund_admin(request.user))
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        grant_round = run_service(form, round_create, **_round_values(form), by=request.user)
        if grant_round is not None:
            messages.success(request, _("The round was created as a draft."))
            return redirect("grants:round", round_id=grant_round.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "grants/round_form.html", {"form": form}, status=status)


def _draft_round(request: HttpRequest, round_id: int) -> GrantRound | None:
    """The round for a fund administrator to edit or delete; None (with a message saying why)
    when it is no longer a draft."""
    require(is_fund_admin(request.user))
    grant_round = access_round(request.user, round_id)
    if grant_round.status != RoundStatus.DRAFT:
        messages.error(request, _("Only a draft round can be changed or deleted."))
        return None
    return grant_round


@login_required
@require_http_methods(["GET", "POST"])
def round_edit_view(request: HttpRequest, round_id: int) -> HttpResponse:
    """Change a draft round: the creation form, filled with what the round says."""
    grant_round = _draft_round(request, round_id)
    if grant_round is None:
        return redirect("grants:round", round_id=round_id)
    initial = {
        "name": grant_round.name,
        "budget": grant_round.budget,
        "opens_on": grant_round.opens_on,
        "closes_on": grant_round.closes_on,
        "restriction": grant_round.restriction_id,
        "categories": grant_round.categories,
    }
    form = RoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, round_update, grant_round=grant_round, **_round_values(form), by=request.user
        )
        if saved is not None:
            messages.success(request, _("The draft round was saved."))
            return redirect("grants:round", round_id=grant_round.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "grants/round_form.html", {"form": form, "round": grant_round}, status=status
    )


@login_required
@require_POST
def round_delete_view(request: HttpRequest, round_id: int) -> HttpResponse:
    """Delete a draft round (the button on its page)."""
    grant_round = _draft_round(request, round_id)
    if grant_round is None:
        return redirect("grants:round", round_id=round_id)
    try:
        round_delete(grant_round=grant_round, by=cast(User, request.user))
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("grants:round", round_id=round_id)
    messages.success(
        request, _("The draft round %(name)s was deleted.") % {"name": grant_round.name}
    )
    return redirect("grants:rounds")


def _opens_later(grant_round: GrantRound) -> str:
    """When an open round starts taking applications, if that day has not come yet (a round
    may be opened ahead of its start so providers can read it); else ""."""
    if grant_round.status == RoundStatus.OPEN and timezone.localdate() < grant_round.opens_on:
        return date_format(grant_round.opens_on, "DATE_FORMAT")
    return ""


def _opened_early(grant_round: GrantRound, to: str) -> str:
    """What to say when a round is opened before its start: it opens now, applications later."""
    if to == RoundStatus.OPEN and timezone.localdate() < grant_round.opens_on:
        return _("The round is open. Applications open on %(date)s.") % {
            "date": date_format(grant_round.opens_on, "DATE_FORMAT")
        }
    return ""


@login_required
@require_GET
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    grant_round = access_round(request.user, round_id)
    admin = is_fund_admin(request.user)
    listing = list_page(
        request,
        application_list(fetched_by=request.user, round=grant_round),
        form=ApplicationFilterForm(request.GET),
        sorts=APPLICATION_SORTS,
        default_sort=APPLICATION_DEFAULT_SORT,
        csv_url=reverse("grants:applications-export", args=[grant_round.pk]) if admin else "",
    )
    orgs = admin_organization_ids(request.user)
    return render(
        request,
        "grants/round.html",
        {
            "round": grant_round,
            "listing": listing,
            "applications": listing.rows,
            "admin": is_fund_admin(request.user),
            "board": is_board_member(request.user),
            "can_apply": bool(orgs) and accepting(grant_round),
            "opens_later": _opens_later(grant_round),
            "draft": grant_round.status == RoundStatus.DRAFT,
            "next_states": [
                (s, dict(RoundStatus.choices)[s]) for s in TRANSITIONS[grant_round.status]
            ],
        },
        status=listing.status,
    )


APPLICATIONS_CSV_HEADER = ("organization", "category", "requested", "currency", "submitted")


@login_required
@require_GET
def applications_export(request: HttpRequest, round_id: int) -> HttpResponseBase:
    """A round's applications as the page lists them (same filters and order, every page), for
    fund administrators: organizations and amounts, never a narrative or an attachment."""
    if not is_fund_admin(request.user):
        raise Http404
    grant_round = access_round(request.user, round_id)
    form = ApplicationFilterForm(request.GET)
    if not form.is_valid():
        return round_detail(request, round_id)  # the page, with the message beside the field
    rows = list_rows(
        request,
        application_list(fetched_by=request.user, round=grant_round),
        form=form,
        sorts=APPLICATION_SORTS,
        default_sort=APPLICATION_DEFAULT_SORT,
    )
    audit_record(
        actor=request.user,
        action="grants.applications_exported",
        object_type="grants.grantround",
        object_id=grant_round.pk,
        reason="CSV export of the round's applications",
    )
    return csv_response(
        rows.iterator(chunk_size=1000),
        header=APPLICATIONS_CSV_HEADER,
        cells=lambda a: (
            a.organization.name,
            a.category,
            plain_amount(a.requested, grant_round.currency),
            grant_round.currency,
            a.submitted_at.isoformat(),
        ),
        filename=f"applications-round-{grant_round.pk}",
    )


@login_required
@require_POST
def round_transition_view(request: HttpRequest, round_id: int) -> HttpResponse:
    require(is_fund_admin(request.user))
    grant_round = access_round(request.user, round_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
    else:
        _flash(
            request,
            lambda: round_transition(
                grant_round=grant_round, to=form.cleaned_data["to"], by=cast(User, request.user)
            ),
            success=_opened_early(grant_round, form.cleaned_data["to"])
            or _("The round's status was changed."),
        )
    return redirect("grants:round", round_id=grant_round.pk)


@login_required
@require_http_methods(["GET", "POST"])
def apply_view(request: HttpRequest, round_id: int) -> HttpResponse:
    require(is_provider_admin(request.user))
    grant_round = access_round(request.user, round_id)
    orgs = admin_organization_ids(request.user)
    require(bool(orgs))

    organization = ProviderOrganization.objects.get(pk=orgs[0])
    existing = Application.objects.filter(round=grant_round, organization=organization).first()
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {"category": existing.category, "narrative": existing.narrative}
        for i, line in enumerate(existing.budget_lines.all()[:5], start=1):
            initial[f"line_{i}_description"] = line.description
            initial[f"line_{i}_amount"] = line.amount
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        categories=list(grant_round.categories),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            upload = d.get("attachment")
            attachments = []
            if upload is not None:
                if upload.size > 5 * 1024 * 1024:
                    form.add_error("attachment", _("An attachment can be at most 5 MB."))
                else:
                    attachments.append((upload.name, upload.content_type or "", upload.read()))
            application = (
                None
                if form.errors
                else run_service(
                    form,
                    application_save,
                    grant_round=grant_round,
                    organization=organization,
                    category=d["category"],
                    narrative=d["narrative"],
                    budget_lines=d["lines"],
                    attachments=attachments,
                    by=request.user,
                )
            )
            if application is not None:
                messages.success(request, _("Your application was saved."))
                return redirect("grants:application", application_id=application.pk)
    elif _opens_later(grant_round):
        messages.error(
            request,
            _("Applications to this round open on %(date)s.") % {"date": _opens_later(grant_round)},
        )
        return redirect("grants:round", round_id=grant_round.pk)
    elif not accepting(grant_round):
        messages.error(
            request,
            _("This round no longer accepts applications or changes: the deadline was %(date)s.")
            % {"date": grant_round.closes_on.isoformat()},
        )
        return redirect("grants:round", round_id=grant_round.pk)
    return render(
        request,
        "grants/apply.html",
        {"form": form, "round": grant_round, "existing": existing, "organization": organization},
        status=status,
    )


@login_required
@require_GET
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access_application(request.user, application_id)
    return render(request, "grants/application.html", _application_context(request, application))


def _application_context(
    request: HttpRequest, application: Application, award_form: AwardForm | None = None
) -> dict[str, Any]:
    criteria = list(application.round.criteria.all())
    mine = {}
    if is_board_member(request.user):
        mine = {
            s.criterion_id: s
            for s in application.scores.filter(member=request.user)  # type: ignore[misc]
        }
    return {
        "application": application,
        "criteria": [(c, mine.get(c.pk)) for c in criteria],
        "score": weighted_score(application)
        if (is_fund_admin(request.user) or is_board_member(request.user))
        else None,
        "can_score": can_score(request.user, application),
        "admin": is_fund_admin(request.user),
        "board": is_board_member(request.user),
        "award": getattr(application, "award", None),
        "can_award": is_fund_admin(request.user)
        and application.round.status == RoundStatus.IN_REVIEW,
        "award_form": award_form or AwardForm(),
    }


@login_required
@require_POST
def score_view(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access_application(request.user, application_id)
    require(is_board_member(request.user))
    scores: dict[int, tuple[int, str]] = {}
    error = None
    for criterion in application.round.criteria.all():
        raw = request.POST.get(f"score_{criterion.pk}", "")
        comment = request.POST.get(f"comment_{criterion.pk}", "")[:2000]
        if not raw.isdigit() or not 1 <= int(raw) <= 5:
            error = _("Give every criterion a score from 1 to 5.")
            break
        scores[criterion.pk] = (int(raw), comment)
    if error is None:
        try:
            scores_record(application=application, by=cast(User, request.user), scores=scores)
        except ServiceError as exc:
            error = " ".join(exc.messages)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your scores were saved."))
    return redirect("grants:application", application_id=application.pk)


@login_required
@require_GET
def summary_view(request: HttpRequest, round_id: int) -> HttpResponse:
    require(is_fund_admin(request.user) or is_board_member(request.user))
    grant_round = access_round(request.user, round_id)
    summary = round_summary(round=grant_round, fetched_by=request.user)
    return render(request, "grants/summary.html", {"summary": summary, "round": grant_round})


@login_required
@require_POST
def award_view(request: HttpRequest, application_id: int) -> HttpResponse:
    """Award the grant and schedule its quarterly reports; a refused amount is shown beside the
    field, with what was typed, and nothing is saved."""
    require(is_fund_admin(request.user))
    application = access_application(request.user, application_id)
    form = AwardForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                award = award_decide(
                    application=application,
                    amount=form.cleaned_data["amount"],
                    by=cast(User, request.user),
                )
                reports_schedule(
                    award=award, start=timezone.localdate(), by=cast(User, request.user)
                )
        except ServiceError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, _("The award was recorded."))
            return redirect("grants:award", award_id=award.pk)
    return render(
        request,
        "grants/application.html",
        _application_context(request, application, award_form=form),
        status=400,
    )


@login_required
@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    access_application(request.user, attachment.application_id)
    response = HttpResponse(bytes(attachment.data), content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="attachment-{attachment.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def conflicts_view(request: HttpRequest) -> HttpResponse:
    require(is_board_member(request.user))

    if request.method == "POST":
        org_id = request.POST.get("organization", "")
        app_id = request.POST.get("application", "")
        organization = (
            ProviderOrganization.objects.filter(pk=int(org_id)).first()
            if org_id.isdigit()
            else None
        )
        application = None
        if app_id.isdigit():
            # Declaring a conflict must not reveal anything: any application id is accepted.
            application = Application.objects.filter(pk=int(app_id)).first()
        if organization is None and application is None:
            messages.error(request, _("Choose an organization or an application."))
            return render(
                request,
                "grants/conflicts.html",
                _conflicts_context(request),
                status=400,
            )
        _flash(
            request,
            lambda: conflict_declare(
                by=cast(User, request.user), organization=organization, application=application
            ),
            success=_("Your conflict was recorded. You will not see that work."),
        )
        return redirect("grants:conflicts")
    return render(request, "grants/conflicts.html", _conflicts_context(request))


def _conflicts_context(request: HttpRequest) -> dict[str, Any]:
    from .models import Conflict

    declared = Conflict.objects.filter(member=cast(User, request.user)).select_related(
        "organization", "application__organization", "application__round"
    )
    return {
        "organizations": ProviderOrganization.objects.order_by("name"),
        "applications": application_list(fetched_by=request.user),
        "declared": declared,
    }


@login_required
@require_GET
def award_detail(request: HttpRequest, award_id: int) -> HttpResponse:
    award = access_award(request.user, award_id)
    return render(request, "grants/award.html", _award_context(request, award))


def _award_context(
    request: HttpRequest, award: Award, tranche_form: TrancheForm | None = None
) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "award": award,
        "tranches": award.tranches.all(),
        "reports": [(r, report_state(r, today)) for r in award.reports.all()],
        "admin": is_fund_admin(request.user),
        "tranche_form": tranche_form or TrancheForm(),
    }


@login_required
@require_GET
def agreement_download(request: HttpRequest, award_id: int) -> HttpResponse:
    award = access_award(request.user, award_id)
    language = "es" if request.GET.get("lang") == "es" else "en"
    response = HttpResponse(agreement_pdf(award, language), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="grant-agreement-{award.pk}-{language}.pdf"'
    )
    return response


@login_required
@require_POST
def tranche_add_view(request: HttpRequest, award_id: int) -> HttpResponse:
    """Schedule a tranche; a refused one is shown beside its field and nothing is saved."""
    require(is_fund_admin(request.user))
    award = access_award(request.user, award_id)
    form = TrancheForm(request.POST)
    if (
        form.is_valid()
        and run_service(
            form,
            tranche_add,
            award=award,
            amount=form.cleaned_data["amount"],
            due_on=form.cleaned_data["due_on"],
            by=request.user,
        )
        is not None
    ):
        messages.success(request, _("The tranche was scheduled."))
        return redirect("grants:award", award_id=award.pk)
    return render(
        request, "grants/award.html", _award_context(request, award, tranche_form=form), status=400
    )


@login_required
@require_POST
def tranche_pay_view(request: HttpRequest, tranche_id: int) -> HttpResponse:
    require(is_fund_admin(request.user))
    tranche = access_tranche(request.user, tranche_id)
    _flash(
        request,
        lambda: tranche_pay(tranche=tranche, by=cast(User, request.user)),
        success=_("The tranche was paid and posted to the books."),
    )
    return redirect("grants:award", award_id=tranche.award_id)


@login_required
@require_http_methods(["GET", "POST"])
def report_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access_report(request.user, report_id)
    application = report.award.application
    editable = (
        report.submitted_at is None
        and application.organization_id in admin_organization_ids(request.user)
    )
    initial: dict[str, Any] = {}
    if editable:
        prefill = report_prefill(
            organization_id=application.organization_id,
            start=report.period_start,
            end=report.period_end,
        )
        initial["detained_served"] = prefill["detained_served"]
        for kind in ("opened", "closed"):
            for category, n in prefill["counts"][kind].items():
                initial[f"{kind}_{category}"] = n
    form = ReportForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        require(editable)
        status = 400
        if (
            form.is_valid()
            and run_service(
                form,
                report_submit,
                report=report,
                counts=form.counts(),
                detained_served=form.cleaned_data["detained_served"],
                spend=form.cleaned_data.get("spend") or 0,
                narrative=form.cleaned_data.get("narrative") or "",
                by=request.user,
            )
            is not None
        ):
            messages.success(request, _("Thank you: the report was submitted."))
            return redirect("grants:award", award_id=report.award_id)
    return render(
        request,
        "grants/report.html",
        {
            "report": report,
            "state": report_state(report, timezone.localdate()),
            "form": form,
            "editable": editable,
        },
        status=status,
    )
