"""Writing grant rounds: one function per state change, each in one transaction with its audit
event. Disbursements post to the ledger only through ``amparo.ledger.services``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amparo.audit.services import audit_record
from amparo.ledger.models import EntrySource, Restriction
from amparo.ledger.services import LedgerError, restricted_balance, restricted_spend
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
from .permissions import can_score, is_board_member, is_fund_admin

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
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


class GrantError(Exception):
    """A refused grant operation; ``message`` is translated."""

    def __init__(self, message: Any, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(str(self))

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


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
    by: Any,
) -> GrantRound:
    """A draft round with the default rubric. Refuses a non-positive budget, a deadline before
    the opening day and unknown categories."""
    if not is_fund_admin(by) and by is not None:
        raise GrantError(_("Only fund administrators run grant rounds."))
    if isinstance(budget, bool) or not isinstance(budget, int) or budget <= 0:
        raise GrantError(_("The budget must be more than zero."))
    if closes_on < opens_on:
        raise GrantError(_("The deadline must be on or after the opening day."))
    categories = list(categories) or list(GrantCategory.values)
    if any(c not in GrantCategory.values for c in categories):
        raise GrantError(_("Unknown grant category."))
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
    return grant_round


def round_transition(*, grant_round: GrantRound, to: str, by: Any) -> GrantRound:
    """Move the round one step along draft → open → closed → in review → decided.

    Refuses any other move, and closing before the deadline has passed."""
    if not is_fund_admin(by):
        raise GrantError(_("Only fund administrators run grant rounds."))
    with transaction.atomic():
        locked = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
        if to not in TRANSITIONS.get(locked.status, ()):
            raise GrantError(
                _("A round that is %(from)s cannot become %(to)s."),
                **{
                    "from": locked.get_status_display(),
                    "to": dict(RoundStatus.choices).get(to, to),
                },
            )
        if to == RoundStatus.CLOSED and _today() <= locked.closes_on:
            raise GrantError(_("The round cannot close before its deadline has passed."))
        locked.status = to
        locked.save(update_fields=["status"])
        audit_record(actor=by, action="grants.round_transition", obj=locked, reason=to)
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
        raise GrantError(_("Attach a PDF, PNG, JPEG, text or CSV file."))
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise GrantError(_("An attachment can be at most 5 MB."))
    if not data:
        raise GrantError(_("The attachment is empty."))
    magic = _MAGIC.get(ext)
    if magic is not None and not data.startswith(magic):
        raise GrantError(_("The file's content does not match its type."))
    return ALLOWED_TYPES[ext]


def application_save(
    *,
    grant_round: GrantRound,
    organization: ProviderOrganization,
    category: str,
    narrative: str,
    budget_lines: Sequence[tuple[str, int]],
    attachments: Sequence[tuple[str, str, bytes]] = (),
    by: Any,
    today: datetime.date | None = None,
) -> Application:
    """Create or replace the organization's application while the round accepts them.

    Refuses after the deadline (or when the round is not open), a category outside the round,
    an empty narrative, no or non-positive budget lines, and attachments of the wrong type or
    size; nothing is saved when anything is refused."""
    if by is not None and not (
        is_fund_admin(by)
        or Membership.objects.active()
        .filter(user=by, organization=organization, user__role="provider_admin")
        .exists()
    ):
        raise GrantError(_("Only the organization's administrators can apply."))
    if not accepting(grant_round, today):
        raise GrantError(
            _("This round no longer accepts applications or changes: the deadline was %(date)s."),
            date=grant_round.closes_on.isoformat(),
        )
    if category not in grant_round.categories:
        raise GrantError(_("This round does not fund that category."))
    if not narrative.strip():
        raise GrantError(_("Describe the work the grant would pay for."))
    if not budget_lines:
        raise GrantError(_("Add at least one budget line."))
    for description, amount in budget_lines:
        if not description.strip():
            raise GrantError(_("Each budget line needs a description."))
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise GrantError(_("Budget amounts must be more than zero."))
    checked = [(n, _check_attachment(n, t, d), d) for n, t, d in attachments]
    requested = sum(a for _d, a in budget_lines)
    with transaction.atomic():
        application, created = Application.objects.select_for_update().get_or_create(
            round=grant_round,
            organization=organization,
            defaults={"category": category, "narrative": narrative.strip()},
        )
        application.category = category
        application.narrative = narrative.strip()
        application.requested = requested
        application.updated_at = timezone.now()
        application.save()
        application.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(application=application, description=d.strip()[:200], amount=a)
            for d, a in budget_lines
        )
        for name, content_type, data in checked:
            Attachment.objects.create(
                application=application,
                filename=name[-200:],
                content_type=content_type,
                size=len(data),
                data=data,
            )
        audit_record(
            actor=by,
            action="grants.application_submitted" if created else "grants.application_changed",
            obj=application,
        )
    return application


# --- Board --------------------------------------------------------------------------------------


def conflict_declare(
    *,
    member: Any,
    application: Application | None = None,
    organization: ProviderOrganization | None = None,
) -> Conflict:
    """Declare a conflict; from then on the member cannot see, score or see the score of the
    application (or any application of the organization). Scores already given are withdrawn."""
    if not is_board_member(member):
        raise GrantError(_("Only advisory board members declare conflicts."))
    if (application is None) == (organization is None):
        raise GrantError(_("Choose an application or an organization."))
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
    *, application: Application, member: Any, scores: dict[int, tuple[int, str]]
) -> list[Score]:
    """Record the member's score (1-5) and comment for every criterion of the round.

    Refuses a conflicted member, a round not in review, a missing criterion or a score outside
    1-5; a member's new scores replace their earlier ones."""
    if not can_score(member, application):
        raise GrantError(_("You cannot score this application."))
    criteria = list(application.round.criteria.all())
    if {c.pk for c in criteria} != set(scores):
        raise GrantError(_("Score every criterion."))
    for value, _comment in scores.values():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise GrantError(_("Scores go from 1 to 5."))
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


def award_decide(*, application: Application, amount: int, by: Any) -> Award:
    """Award ``amount`` to ``application``. Refused beyond the request, beyond what is left of
    the round's budget, or beyond the restricted balance not already committed to other awards;
    also when the restriction cannot pay for the application's category."""
    if not is_fund_admin(by):
        raise GrantError(_("Only fund administrators decide awards."))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise GrantError(_("The amount must be more than zero."))
    with transaction.atomic():
        grant_round = GrantRound.objects.select_for_update().get(pk=application.round_id)
        restriction = Restriction.objects.select_for_update().get(pk=grant_round.restriction_id)
        if grant_round.status != RoundStatus.IN_REVIEW:
            raise GrantError(_("Awards are decided while the round is in review."))
        if Award.objects.filter(application=application).exists():
            raise GrantError(_("This application already has an award."))
        if amount > application.requested:
            raise GrantError(_("An award cannot be more than the amount requested."))
        if not restriction.allows(application.category):
            raise GrantError(
                _("Money held for %(restriction)s cannot pay for this category."),
                restriction=restriction.name,
            )
        awarded = (
            Award.objects.filter(application__round=grant_round).aggregate(t=Sum("amount"))["t"]
            or 0
        )
        if int(awarded) + amount > grant_round.budget:
            raise GrantError(
                _("This award would go beyond the round's budget: %(left)s is left."),
                left=_money(grant_round.budget - int(awarded), grant_round.currency),
            )
        available = restricted_balance(
            restriction_id=restriction.pk, currency=grant_round.currency
        ) - committed_unpaid(restriction)
        if amount > available:
            raise GrantError(
                _(
                    "This award would go beyond the money held for %(restriction)s: "
                    "%(available)s is available."
                ),
                restriction=restriction.name,
                available=_money(max(available, 0), grant_round.currency),
            )
        award = Award.objects.create(application=application, amount=amount, decided_by=by)
        audit_record(actor=by, action="grants.awarded", obj=award)
    return award


def _money(amount: int, currency: str) -> str:
    from amparo.ledger.currency import format_money

    return str(format_money(amount, currency))


def tranche_add(*, award: Award, amount: int, due_on: datetime.date, by: Any) -> Tranche:
    """Add a tranche to the award's schedule. Refused when the tranches would add up to more
    than the amount awarded."""
    if not is_fund_admin(by):
        raise GrantError(_("Only fund administrators schedule disbursements."))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise GrantError(_("Each tranche must be more than zero."))
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        scheduled = locked.tranches.aggregate(t=Sum("amount"))["t"] or 0
        if int(scheduled) + amount > locked.amount:
            raise GrantError(
                _("The tranches would add up to more than the award: %(left)s is left."),
                left=_money(locked.amount - int(scheduled), locked.application.round.currency),
            )
        number = (
            locked.tranches.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        tranche = Tranche.objects.create(award=locked, number=number, amount=amount, due_on=due_on)
        audit_record(actor=by, action="grants.tranche_scheduled", obj=tranche)
    return tranche


def tranche_pay(*, tranche: Tranche, by: Any, paid_on: datetime.date | None = None) -> Tranche:
    """Pay a tranche: one restricted spend posted through the ledger and the tranche marked
    paid, together or not at all. Refused when already paid or when the restricted balance is
    short (the ledger checks it under a lock)."""
    if not is_fund_admin(by):
        raise GrantError(_("Only fund administrators pay grants."))
    paid_on = paid_on or _today()
    with transaction.atomic():
        locked = (
            Tranche.objects.select_for_update()
            .select_related("award__application__round__restriction")
            .get(pk=tranche.pk)
        )
        if locked.paid_on is not None:
            raise GrantError(_("This tranche has already been paid."))
        application = locked.award.application
        grant_round = application.round
        try:
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
        except LedgerError as exc:
            raise GrantError(exc.message, **exc.params) from exc
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
    *, award: Award, start: datetime.date, quarters: int = 4
) -> list[GranteeReport]:
    """One report per quarter from ``start``, due 30 days after each quarter; idempotent."""
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
    by: Any,
) -> GranteeReport:
    """The grantee's report for the quarter: counts only. Refuses negative numbers and a
    second submission."""
    if detained_served < 0 or spend < 0:
        raise GrantError(_("Numbers cannot be negative."))
    for group in counts.values():
        if any((not isinstance(n, int)) or n < 0 for n in group.values()):
            raise GrantError(_("Numbers cannot be negative."))
    with transaction.atomic():
        locked = GranteeReport.objects.select_for_update().get(pk=report.pk)
        if locked.submitted_at is not None:
            raise GrantError(_("This report has already been submitted."))
        locked.counts = counts
        locked.detained_served = detained_served
        locked.spend = spend
        locked.narrative = narrative.strip()
        locked.submitted_at = timezone.now()
        locked.save()
        audit_record(actor=by, action="grants.report_submitted", obj=locked)
    return locked


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Email the grantee's administrators once per report and state (due, late, very late).

    Idempotent: a reminder row per (report, state) is created first under a unique constraint;
    running again the same day, or twice at once, sends nothing new."""
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
                    actor=None, action="grants.report_reminded", obj=report, reason=str(state)
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
                "Please sign in to Amparo and submit it under Grants."
            ) % {
                "start": report.period_start.isoformat(),
                "end": report.period_end.isoformat(),
                "due": report.due_on.isoformat(),
            }
        send_mail(subject, body, None, [email])
