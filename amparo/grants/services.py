"""Writing grant rounds: one function per state change, each in one transaction with its audit
event. Disbursements post to the ledger only through ``amparo.ledger.services``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amparo.audit.services import audit_record
from amparo.core import identity
from amparo.core.services import Actor, ServiceError, is_system, model_update, require
from amparo.donations.models import Appropriation
from amparo.ledger.currency import format_money
from amparo.ledger.models import EntrySource, Restriction
from amparo.ledger.services import restricted_balance, restricted_spend
from amparo.organizations.models import GrantCategory, Membership, ProviderOrganization

from .models import (
    Application,
    Attachment,
    Award,
    BudgetLine,
    Conflict,
    Criterion,
    GranteeReport,
    GrantRound,
    ReportReminder,
    ReportState,
    RoundStatus,
    Score,
    Tranche,
)
from .permissions import admin_organization_ids, can_score, is_board_member, is_fund_admin

if TYPE_CHECKING:
    from amparo.accounts.models import User

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_OVERRIDE_REASON = 500
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
}
#: Leading bytes of the binary types: a renamed file is refused.
_MAGIC = {".pdf": b"%PDF", ".png": b"\x89PNG", ".jpg": b"\xff\xd8", ".jpeg": b"\xff\xd8"}

DEFAULT_CRITERIA = (
    (_("Need and people served"), 3),
    (_("Quality of representation"), 3),
    (_("Capacity to deliver"), 2),
    (_("Budget is reasonable"), 2),
)

#: The lifecycle: which status each status may move to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    RoundStatus.DRAFT: (RoundStatus.OPEN,),
    RoundStatus.OPEN: (RoundStatus.CLOSED,),
    RoundStatus.CLOSED: (RoundStatus.IN_REVIEW,),
    RoundStatus.IN_REVIEW: (RoundStatus.DECIDED,),
    RoundStatus.DECIDED: (),
}


def _refused(field: str | None, message: Any, **params: Any) -> ServiceError:
    """A refusal of the values, beside ``field`` (the form field it is about) or about the
    whole request."""
    error = ServiceError(message, params=params or None)
    return ServiceError({field: [error]}) if field else error


def _today() -> datetime.date:
    return timezone.localdate()


# --- Rounds -------------------------------------------------------------------------------------


def round_create(
    *,
    name: str,
    budget: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    restriction: Restriction,
    categories: Sequence[str] = (),
    currency: str = "USD",
    budget_override: str = "",
    by: Actor,
) -> GrantRound:
    """A draft round with the default rubric, created by a fund administrator (or the system).
    Refuses a non-positive budget, a deadline before the opening day, unknown categories and a
    budget beyond what the restriction holds or has been promised, unless ``budget_override``
    gives the reason to go beyond it (kept in the audit log)."""
    require(is_system(by) or is_fund_admin(by))
    categories = _checked_round(budget, opens_on, closes_on, categories)
    override = _budget_override(budget, currency, restriction, budget_override)
    with transaction.atomic():
        grant_round = GrantRound.objects.create(
            name=name.strip(),
            budget=budget,
            currency=currency,
            opens_on=opens_on,
            closes_on=closes_on,
            restriction=restriction,
            categories=categories,
        )
        with translation.override("en"):
            Criterion.objects.bulk_create(
                Criterion(round=grant_round, name=str(label), weight=weight, position=i)
                for i, (label, weight) in enumerate(DEFAULT_CRITERIA)
            )
        audit_record(actor=by, action="grants.round_created", obj=grant_round)
        _audit_override(grant_round, override, by)
    return grant_round


def _checked_round(
    budget: int, opens_on: datetime.date, closes_on: datetime.date, categories: Sequence[str]
) -> list[str]:
    """The rules a round's values keep on creation and on every edit; returns the categories
    (all of them when none are chosen)."""
    if isinstance(budget, bool) or not isinstance(budget, int) or budget <= 0:
        raise _refused("budget", _("The budget must be more than zero."))
    if closes_on < opens_on:
        raise _refused("closes_on", _("The deadline must be on or after the opening day."))
    checked = list(categories) or list(GrantCategory.values)
    if any(c not in GrantCategory.values for c in checked):
        raise _refused("categories", _("Unknown grant category."))
    return checked


def restriction_available(restriction: Restriction, currency: str) -> int:
    """What a round may promise from ``restriction``: the money it holds plus what public
    appropriations have promised to it and not paid yet. Money counts before it arrives when a
    council has voted it; a round beyond that would promise grants nobody can pay."""
    promised = 0
    for appropriation in Appropriation.objects.filter(
        restriction=restriction, currency=currency
    ).annotate(received=Sum("payments__amount")):
        promised += max(0, appropriation.amount - int(appropriation.received or 0))
    held = restricted_balance(restriction_id=restriction.pk, currency=currency)
    return held + promised


def _budget_override(budget: int, currency: str, restriction: Restriction, reason: str) -> str:
    """The reason to go beyond the restriction, when the budget needs one (else ""). A budget
    beyond the restriction without a reason is refused beside the budget."""
    available = restriction_available(restriction, currency)
    if budget <= available:
        return ""
    reason = (reason or "").strip()
    if not reason:
        raise _refused(
            "budget",
            _(
                "The budget is more than %(restriction)s holds or has been promised "
                "(%(available)s). Lower it, or write why the round may go beyond it."
            ),
            restriction=restriction.name,
            available=format_money(max(0, available), currency),
        )
    if len(reason) > MAX_OVERRIDE_REASON:
        raise _refused(
            "budget_override",
            _("The reason is at most %(max)s characters."),
            max=MAX_OVERRIDE_REASON,
        )
    return reason


def _audit_override(grant_round: GrantRound, reason: str, by: Actor) -> None:
    """Record the decision to budget beyond the restriction, with its reason, if there was one."""
    if reason:
        audit_record(
            actor=by, action="grants.round_budget_override", obj=grant_round, reason=reason
        )


def _draft(grant_round: GrantRound, message: Any) -> GrantRound:
    """The round, locked, if it is still a draft; else the refusal ``message``. Once a round is
    open, providers rely on what it says."""
    locked = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
    if locked.status != RoundStatus.DRAFT:
        raise _refused(None, message)
    return locked


def round_update(
    *,
    grant_round: GrantRound,
    name: str,
    budget: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    restriction: Restriction,
    categories: Sequence[str] = (),
    budget_override: str = "",
    by: Actor,
) -> GrantRound:
    """Change a draft round (the same rules as creating one). Refused once the round is open."""
    require(is_system(by) or is_fund_admin(by))
    categories = _checked_round(budget, opens_on, closes_on, categories)
    with transaction.atomic():
        locked = _draft(grant_round, _("Only a draft round can be changed."))
        override = _budget_override(budget, locked.currency, restriction, budget_override)
        model_update(
            instance=locked,
            fields=["name", "budget", "opens_on", "closes_on", "restriction", "categories"],
            data={
                "name": name.strip(),
                "budget": budget,
                "opens_on": opens_on,
                "closes_on": closes_on,
                "restriction": restriction,
                "categories": categories,
            },
            by=by,
            action="grants.round_updated",
        )
        _audit_override(locked, override, by)
    return locked


def round_delete(*, grant_round: GrantRound, by: Actor) -> None:
    """Delete a draft round and its rubric. Refused once the round is open: applications and
    decisions refer to it."""
    require(is_system(by) or is_fund_admin(by))
    with transaction.atomic():
        locked = _draft(grant_round, _("Only a draft round can be deleted."))
        audit_record(actor=by, action="grants.round_deleted", obj=locked, reason=locked.name)
        locked.delete()


def round_transition(*, grant_round: GrantRound, to: str, by: Actor) -> GrantRound:
    """Move the round one step along draft → open → closed → in review → decided.

    Refuses any other move, and closing before the deadline has passed."""
    require(is_system(by) or is_fund_admin(by))
    with transaction.atomic():
        locked = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
        if to not in TRANSITIONS.get(locked.status, ()):
            raise _refused(
                "to",
                _("A round that is %(from)s cannot become %(to)s."),
                **{
                    "from": locked.get_status_display(),
                    "to": dict(RoundStatus.choices).get(to, to),
                },
            )
        if to == RoundStatus.CLOSED and _today() <= locked.closes_on:
            raise _refused("to", _("The round cannot close before its deadline has passed."))
        model_update(
            instance=locked,
            fields=["status"],
            data={"status": to},
            by=by,
            action="grants.round_transition",
            reason=to,
        )
    return locked


def accepting(grant_round: GrantRound, today: datetime.date | None = None) -> bool:
    today = today or _today()
    return (
        grant_round.status == RoundStatus.OPEN
        and grant_round.opens_on <= today <= grant_round.closes_on
    )


# --- Applications -------------------------------------------------------------------------------


def _check_attachment(name: str, content_type: str, data: bytes) -> str:
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise _refused("attachment", _("Attach a PDF, PNG, JPEG, text or CSV file."))
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise _refused("attachment", _("An attachment can be at most 5 MB."))
    if not data:
        raise _refused("attachment", _("The attachment is empty."))
    magic = _MAGIC.get(ext)
    if magic is not None and not data.startswith(magic):
        raise _refused("attachment", _("The file's content does not match its type."))
    return ALLOWED_TYPES[ext]


def application_save(
    *,
    grant_round: GrantRound,
    organization: ProviderOrganization,
    category: str,
    narrative: str,
    budget_lines: Sequence[tuple[str, int]],
    attachments: Sequence[tuple[str, str, bytes]] = (),
    by: Actor,
    today: datetime.date | None = None,
) -> Application:
    """Create or replace the organization's application while the round accepts them (by the
    organization's administrators, a fund administrator or the system).

    Refuses after the deadline (or when the round is not open), a category outside the round,
    an empty narrative, no or non-positive budget lines, and attachments of the wrong type or
    size; nothing is saved when anything is refused. A changed application audits the names
    of the fields that changed."""
    require(is_system(by) or is_fund_admin(by) or organization.pk in admin_organization_ids(by))
    if not accepting(grant_round, today):
        raise _refused(
            None,
            _("This round no longer accepts applications or changes: the deadline was %(date)s."),
            date=grant_round.closes_on.isoformat(),
        )
    if category not in grant_round.categories:
        raise _refused("category", _("This round does not fund that category."))
    if not narrative.strip():
        raise _refused("narrative", _("Describe the work the grant would pay for."))
    if not budget_lines:
        raise _refused("line_1_description", _("Add at least one budget line."))
    for i, (description, amount) in enumerate(budget_lines, start=1):
        if not description.strip():
            raise _refused(f"line_{i}_description", _("Each budget line needs a description."))
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise _refused(f"line_{i}_amount", _("Budget amounts must be more than zero."))
    checked = [(n, _check_attachment(n, t, d), d) for n, t, d in attachments]
    requested = sum(a for _d, a in budget_lines)
    with transaction.atomic():
        application, created = Application.objects.select_for_update().get_or_create(
            round=grant_round,
            organization=organization,
            defaults={
                "category": category,
                "narrative": narrative.strip(),
                "requested": requested,
            },
        )
        lines = [(d.strip()[:200], a) for d, a in budget_lines]
        before = list(application.budget_lines.order_by("pk").values_list("description", "amount"))
        changed: list[str] = []
        if not created:
            changed = model_update(
                instance=application,
                fields=["category", "narrative", "requested"],
                data={"category": category, "narrative": narrative.strip(), "requested": requested},
                by=by,
                action="grants.application_changed",
            )
        application.updated_at = timezone.now()
        Application.objects.filter(pk=application.pk).update(updated_at=application.updated_at)
        application.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(application=application, description=d, amount=a) for d, a in lines
        )
        for name, content_type, data in checked:
            Attachment.objects.create(
                application=application,
                filename=name[-200:],
                content_type=content_type,
                size=len(data),
                data=data,
            )
        if created:
            audit_record(actor=by, action="grants.application_submitted", obj=application)
        else:
            # What model_update does not see: the budget lines and the attachments.
            others = (["budget_lines"] if lines != before else []) + (
                ["attachments"] if checked else []
            )
            if others or not changed:
                audit_record(
                    actor=by,
                    action="grants.application_changed",
                    obj=application,
                    fields=others,
                )
    return application


# --- Board --------------------------------------------------------------------------------------


def conflict_declare(
    *,
    by: Actor,
    application: Application | None = None,
    organization: ProviderOrganization | None = None,
) -> Conflict:
    """The board member ``by`` declares a conflict; from then on they cannot see, score or see
    the score of the application (or any application of the organization). Scores already
    given are withdrawn."""
    require(is_board_member(by))
    member = cast("User", by)
    if (application is None) == (organization is None):
        raise _refused(None, _("Choose an application or an organization."))
    with transaction.atomic():
        conflict = Conflict.objects.create(
            member=member, application=application, organization=organization
        )
        scores = Score.objects.filter(member=member)
        if application is not None:
            scores.filter(application=application).delete()
        else:
            scores.filter(application__organization=organization).delete()
        audit_record(actor=member, action="grants.conflict_declared", obj=conflict)
    return conflict


def scores_record(
    *, application: Application, by: Actor, scores: dict[int, tuple[int, str]]
) -> list[Score]:
    """Record the board member's score (1-5) and comment for every criterion of the round.

    Refuses a conflicted member and a round not in review (as forbidden), a missing criterion
    or a score outside 1-5; a member's new scores replace their earlier ones."""
    require(can_score(by, application))
    member = cast("User", by)
    criteria = list(application.round.criteria.all())
    if {c.pk for c in criteria} != set(scores):
        raise _refused("scores", _("Score every criterion."))
    for value, _comment in scores.values():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise _refused("scores", _("Scores go from 1 to 5."))
    with transaction.atomic():
        Score.objects.filter(application=application, member=member).delete()
        made = Score.objects.bulk_create(
            Score(
                application=application,
                member=member,
                criterion=c,
                value=scores[c.pk][0],
                comment=scores[c.pk][1].strip(),
            )
            for c in criteria
        )
        audit_record(actor=member, action="grants.scored", obj=application)
    return made


# --- Awards and disbursements -------------------------------------------------------------------


def committed_unpaid(restriction: Restriction) -> int:
    """Money awarded from ``restriction`` and not paid yet."""
    awarded = (
        Award.objects.filter(application__round__restriction=restriction).aggregate(
            t=Sum("amount")
        )["t"]
        or 0
    )
    paid = (
        Tranche.objects.filter(
            award__application__round__restriction=restriction, paid_on__isnull=False
        ).aggregate(t=Sum("amount"))["t"]
        or 0
    )
    return int(awarded) - int(paid)


def award_decide(*, application: Application, amount: int, by: Actor) -> Award:
    """Award ``amount`` to ``application``. Refused beyond the request, beyond what is left of
    the round's budget, or beyond the restricted balance not already committed to other awards;
    also when the restriction cannot pay for the application's category."""
    require(is_fund_admin(by))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _refused("amount", _("The amount must be more than zero."))
    with transaction.atomic():
        grant_round = GrantRound.objects.select_for_update().get(pk=application.round_id)
        restriction = Restriction.objects.select_for_update().get(pk=grant_round.restriction_id)
        if grant_round.status != RoundStatus.IN_REVIEW:
            raise _refused(None, _("Awards are decided while the round is in review."))
        if Award.objects.filter(application=application).exists():
            raise _refused(None, _("This application already has an award."))
        if amount > application.requested:
            raise _refused("amount", _("An award cannot be more than the amount requested."))
        if not restriction.allows(application.category):
            raise _refused(
                None,
                _("Money held for %(restriction)s cannot pay for this category."),
                restriction=restriction.name,
            )
        awarded = (
            Award.objects.filter(application__round=grant_round).aggregate(t=Sum("amount"))["t"]
            or 0
        )
        if int(awarded) + amount > grant_round.budget:
            raise _refused(
                "amount",
                _("This award would go beyond the round's budget: %(left)s is left."),
                left=_money(grant_round.budget - int(awarded), grant_round.currency),
            )
        available = restricted_balance(
            restriction_id=restriction.pk, currency=grant_round.currency
        ) - committed_unpaid(restriction)
        if amount > available:
            raise _refused(
                "amount",
                _(
                    "This award would go beyond the money held for %(restriction)s: "
                    "%(available)s is available."
                ),
                restriction=restriction.name,
                available=_money(max(available, 0), grant_round.currency),
            )
        award = Award.objects.create(
            application=application, amount=amount, decided_by=cast("User", by)
        )
        audit_record(actor=by, action="grants.awarded", obj=award)
    return award


def _money(amount: int, currency: str) -> str:
    return str(format_money(amount, currency))


def tranche_add(*, award: Award, amount: int, due_on: datetime.date, by: Actor) -> Tranche:
    """Add a tranche to the award's schedule. Refused when the tranches would add up to more
    than the amount awarded."""
    require(is_fund_admin(by))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _refused("amount", _("Each tranche must be more than zero."))
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        scheduled = locked.tranches.aggregate(t=Sum("amount"))["t"] or 0
        if int(scheduled) + amount > locked.amount:
            raise _refused(
                "amount",
                _("The tranches would add up to more than the award: %(left)s is left."),
                left=_money(locked.amount - int(scheduled), locked.application.round.currency),
            )
        number = (
            locked.tranches.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        tranche = Tranche.objects.create(award=locked, number=number, amount=amount, due_on=due_on)
        audit_record(actor=by, action="grants.tranche_scheduled", obj=tranche)
    return tranche


def tranche_pay(*, tranche: Tranche, by: Actor, paid_on: datetime.date | None = None) -> Tranche:
    """Pay a tranche: one restricted spend posted through the ledger and the tranche marked
    paid, together or not at all. Refused when already paid or when the restricted balance is
    short (the ledger checks it under a lock and refuses with a ``LedgerError``)."""
    require(is_fund_admin(by))
    paid_on = paid_on or _today()
    with transaction.atomic():
        locked = (
            Tranche.objects.select_for_update()
            .select_related("award__application__round__restriction")
            .get(pk=tranche.pk)
        )
        if locked.paid_on is not None:
            raise _refused(None, _("This tranche has already been paid."))
        application = locked.award.application
        grant_round = application.round
        entry = restricted_spend(
            restriction=grant_round.restriction,
            category=application.category,
            amount=locked.amount,
            currency=grant_round.currency,
            memo=f"Grant award {locked.award_id}, tranche {locked.number}",
            effective_date=paid_on,
            by=by,
            source=EntrySource.DISBURSEMENT,
            source_ref=f"grant-tranche:{locked.pk}",
        )
        locked.paid_on = paid_on
        locked.entry_id = entry.pk
        locked.save(update_fields=["paid_on", "entry_id"])
        audit_record(actor=by, action="grants.tranche_paid", obj=locked)
    return locked


# --- Grantee reports ----------------------------------------------------------------------------


def quarter_end(day: datetime.date) -> datetime.date:
    month = ((day.month - 1) // 3 + 1) * 3
    nxt = datetime.date(day.year + (month == 12), 1 if month == 12 else month + 1, 1)
    return nxt - datetime.timedelta(days=1)


#: A quarterly report is due this many days after its quarter ends.
REPORT_DUE_DAYS = 30


def reports_schedule(
    *, award: Award, start: datetime.date, by: Actor, quarters: int = 4
) -> list[GranteeReport]:
    """One report per quarter from ``start``, due 30 days after each quarter; idempotent."""
    require(is_system(by) or is_fund_admin(by))
    made = []
    with transaction.atomic():
        period_start = start
        for _i in range(quarters):
            end = quarter_end(period_start)
            report, _created = GranteeReport.objects.get_or_create(
                award=award,
                period_start=period_start,
                defaults={
                    "period_end": end,
                    "due_on": end + datetime.timedelta(days=REPORT_DUE_DAYS),
                },
            )
            made.append(report)
            period_start = end + datetime.timedelta(days=1)
    return made


def report_submit(
    *,
    report: GranteeReport,
    counts: dict[str, Any],
    detained_served: int,
    spend: int,
    narrative: str,
    by: Actor,
) -> GranteeReport:
    """The grantee's report for the quarter, submitted by the grantee's administrators (or a
    fund administrator for them): counts only. Refuses negative numbers and a second
    submission."""
    require(
        is_system(by)
        or is_fund_admin(by)
        or report.award.application.organization_id in admin_organization_ids(by)
    )
    if detained_served < 0:
        raise _refused("detained_served", _("Numbers cannot be negative."))
    if spend < 0:
        raise _refused("spend", _("Numbers cannot be negative."))
    for group in counts.values():
        if any((not isinstance(n, int)) or n < 0 for n in group.values()):
            raise _refused(None, _("Numbers cannot be negative."))
    with transaction.atomic():
        locked = GranteeReport.objects.select_for_update().get(pk=report.pk)
        if locked.submitted_at is not None:
            raise _refused(None, _("This report has already been submitted."))
        locked.counts = counts
        locked.detained_served = detained_served
        locked.spend = spend
        locked.narrative = narrative.strip()
        locked.submitted_at = timezone.now()
        locked.save()
        audit_record(actor=by, action="grants.report_submitted", obj=locked)
    return locked


def reminders_send(*, by: Actor, today: datetime.date | None = None) -> int:
    """Email the grantee's administrators once per report and state (due, late, very late).
    The scheduler sends them (``by`` is SYSTEM), or a fund administrator.

    Idempotent: a reminder row per (report, state) is created first under a unique constraint;
    running again the same day, or twice at once, sends nothing new."""
    require(is_system(by) or is_fund_admin(by))
    from .selectors import report_state

    today = today or _today()
    sent = 0
    for report in GranteeReport.objects.filter(submitted_at__isnull=True).select_related(
        "award__application__organization"
    ):
        state = report_state(report, today)
        if state not in (ReportState.DUE, ReportState.LATE, ReportState.VERY_LATE):
            continue
        try:
            with transaction.atomic():
                ReportReminder.objects.create(report=report, state=state)
                organization = report.award.application.organization
                emails = list(
                    Membership.objects.active()
                    .filter(organization=organization, user__role="provider_admin")
                    .values_list("user__email", "user__preferred_language")
                )
                audit_record(
                    actor=by, action="grants.report_reminded", obj=report, reason=str(state)
                )
                transaction.on_commit(partial(_mail, report, state, emails))
        except IntegrityError:
            continue
        sent += 1
    return sent


def _mail(report: GranteeReport, state: str, recipients: list[tuple[str, str]]) -> None:
    for email, language in recipients:
        with translation.override(language or "en"):
            labels = dict(ReportState.choices)
            subject = gettext("Grantee report %(state)s: %(start)s to %(end)s") % {
                "state": str(labels[state]).lower(),
                "start": report.period_start.isoformat(),
                "end": report.period_end.isoformat(),
            }
            body = gettext(
                "The quarterly report for %(start)s to %(end)s was due on %(due)s. "
                "Please sign in to %(fund)s at %(url)s and submit it under Grants."
            ) % {
                "start": report.period_start.isoformat(),
                "end": report.period_end.isoformat(),
                "due": report.due_on.isoformat(),
                "fund": identity.fund_name(),
                "url": identity.absolute_url(reverse("grants:report", args=[report.pk])),
            }
        send_mail(subject, body, identity.sender(), [email])
