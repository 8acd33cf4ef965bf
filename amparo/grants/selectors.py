"""Reads scoped to the viewer: rounds, applications (recusal enforced here), summaries, the
public grant rows, and report prefill from case data (aggregate counts only)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Model, Prefetch, QuerySet, Sum
from django.http import Http404

from amparo.audit.services import audit_record
from amparo.cases.models import Case, Outcome
from amparo.organizations.models import GrantCategory, PracticeArea

from .models import (
    Application,
    Award,
    Conflict,
    GranteeReport,
    GrantRound,
    ReportState,
    RoundStatus,
    Score,
    Tranche,
)
from .permissions import (
    admin_organization_ids,
    can_view_application,
    can_view_rounds,
    is_board_member,
    is_conflicted,
    is_fund_admin,
)

#: Days before the due date when a report becomes "due"; days after it when it is "very late".
DUE_WINDOW_DAYS = 14
VERY_LATE_DAYS = 30


M = TypeVar("M", bound=Model)


def _get_or_404(qs: QuerySet[M], pk: Any, **filters: Any) -> M:
    """``qs.get(pk=...)``; a missing row and a malformed id both answer 404."""
    try:
        return qs.get(pk=int(pk), **filters)
    except (ObjectDoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def round_list(*, fetched_by: Any) -> QuerySet[GrantRound]:
    if not can_view_rounds(fetched_by):
        return GrantRound.objects.none()
    rounds = GrantRound.objects.select_related("restriction")
    if is_fund_admin(fetched_by):
        return rounds
    return rounds.exclude(status=RoundStatus.DRAFT)


def access_round(user: Any, round_id: Any) -> GrantRound:
    return _get_or_404(round_list(fetched_by=user), round_id)


def application_list(*, fetched_by: Any, round: GrantRound | None = None) -> QuerySet[Application]:
    """Applications the viewer may see: all (fund admin), not conflicted (board, once the round
    has closed), their organizations' (provider admin)."""
    qs = Application.objects.select_related("round", "organization")
    if round is not None:
        qs = qs.filter(round=round)
    if is_fund_admin(fetched_by):
        return qs
    if is_board_member(fetched_by):
        return (
            qs.exclude(round__status__in=[RoundStatus.DRAFT, RoundStatus.OPEN])
            .exclude(conflicts__member=fetched_by)
            .exclude(
                organization_id__in=Conflict.objects.filter(
                    member=fetched_by, organization__isnull=False
                ).values("organization_id")
            )
        )
    orgs = admin_organization_ids(fetched_by)
    return qs.filter(organization_id__in=orgs) if orgs else qs.none()


def access_application(user: Any, application_id: Any) -> Application:
    """The application, or 404 for missing and forbidden alike. A conflicted board member's
    attempt is refused the same way and recorded in the audit log."""
    application = _get_or_404(
        Application.objects.select_related("round", "organization"), application_id
    )
    if is_board_member(user) and is_conflicted(user, application):
        audit_record(
            actor=user,
            action="grants.recusal_refused",
            obj=application,
            reason="conflict of interest declared",
        )
        raise Http404
    if not can_view_application(user, application):
        raise Http404
    if is_board_member(user) and application.round.status in (
        RoundStatus.DRAFT,
        RoundStatus.OPEN,
    ):
        raise Http404
    return application


def award_list(*, fetched_by: Any) -> QuerySet[Award]:
    qs = Award.objects.select_related("application__round", "application__organization")
    if is_fund_admin(fetched_by):
        return qs
    orgs = admin_organization_ids(fetched_by)
    return qs.filter(application__organization_id__in=orgs) if orgs else qs.none()


def access_award(user: Any, award_id: Any) -> Award:
    return _get_or_404(award_list(fetched_by=user), award_id)


def access_report(user: Any, report_id: Any) -> GranteeReport:
    return _get_or_404(
        GranteeReport.objects.select_related(
            "award__application__organization", "award__application__round"
        ),
        report_id,
        award__in=award_list(fetched_by=user),
    )


def access_tranche(user: Any, tranche_id: Any) -> Tranche:
    return _get_or_404(
        Tranche.objects.select_related(
            "award__application__round__restriction", "award__application__organization"
        ),
        tranche_id,
        award__in=award_list(fetched_by=user),
    )


# --- Scores -------------------------------------------------------------------------------------


def with_scores(applications: QuerySet[Application]) -> QuerySet[Application]:
    """``applications`` with their scores (and criteria) read in one query for the whole list,
    which :func:`weighted_score` and :func:`reviewer_count` then use."""
    return applications.prefetch_related(
        Prefetch("scores", queryset=Score.objects.select_related("criterion"), to_attr="scored")
    )


def _scores(application: Application) -> list[Score]:
    """The application's scores: those :func:`with_scores` read, or one query for them."""
    read: list[Score] | None = getattr(application, "scored", None)
    if read is None:
        read = list(Score.objects.filter(application=application).select_related("criterion"))
    return read


def reviewer_count(application: Application) -> int:
    """How many members scored the application."""
    return len({s.member_id for s in _scores(application)})


def weighted_score(application: Application) -> float | None:
    """The mean over members of each member's weighted average (1-5), or None if unscored."""
    per_member: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s in _scores(application):
        per_member[s.member_id].append((s.value, s.criterion.weight))
    averages = [
        sum(v * w for v, w in rows) / sum(w for _v, w in rows)
        for rows in per_member.values()
        if sum(w for _v, w in rows)
    ]
    return round(sum(averages) / len(averages), 2) if averages else None


@dataclass
class SummaryRow:
    application: Application
    requested: int
    score: float | None
    reviewers: int
    recommended: bool
    awarded: int | None


@dataclass
class RoundSummary:
    round: GrantRound
    rows: list[SummaryRow] = field(default_factory=list)
    requested: int = 0
    recommended_total: int = 0


#: The score at or above which an application is recommended (while the budget lasts).
RECOMMEND_AT = 3.5


def round_summary(*, round: GrantRound, fetched_by: Any) -> RoundSummary:
    """Requested amounts, scores and a recommendation: best scores first, funded in full while
    the budget lasts. A board member never sees a row they are conflicted with."""
    summary = RoundSummary(round=round)
    apps = list(
        with_scores(application_list(fetched_by=fetched_by, round=round).select_related("award"))
    )
    scored = [(a, weighted_score(a)) for a in apps]
    scored.sort(key=lambda pair: (-(pair[1] or 0), pair[0].pk))
    left = round.budget
    for application, score in scored:
        recommended = score is not None and score >= RECOMMEND_AT and application.requested <= left
        if recommended:
            left -= application.requested
            summary.recommended_total += application.requested
        award = getattr(application, "award", None)
        summary.rows.append(
            SummaryRow(
                application=application,
                requested=application.requested,
                score=score,
                reviewers=reviewer_count(application),
                recommended=recommended,
                awarded=award.amount if award else None,
            )
        )
        summary.requested += application.requested
    return summary


# --- Reports ------------------------------------------------------------------------------------


def report_state(report: GranteeReport, today: datetime.date) -> str:
    if report.submitted_at is not None:
        return ReportState.SUBMITTED
    if today > report.due_on + datetime.timedelta(days=VERY_LATE_DAYS):
        return ReportState.VERY_LATE
    if today > report.due_on:
        return ReportState.LATE
    if today >= report.due_on - datetime.timedelta(days=DUE_WINDOW_DAYS):
        return ReportState.DUE
    return ReportState.UPCOMING


#: Case practice areas counted under each grant category in a report's prefill.
_CATEGORY_OF_AREA = {
    PracticeArea.DETAINED_REMOVAL: GrantCategory.DETAINED_REMOVAL,
}


def case_category(area: str, custody: str) -> str:
    """The grant category a case counts under: detained removal defense when its practice area
    says so or its client is detained, otherwise affirmative and non-detained."""
    if area in _CATEGORY_OF_AREA or custody == "detained":
        return str(GrantCategory.DETAINED_REMOVAL)
    return str(GrantCategory.AFFIRMATIVE_NON_DETAINED)


def report_prefill(
    *, organization_id: int, start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """Counts from the grantee's own cases in Amparo for the period: aggregates, no client."""
    cases = Case.objects.filter(organization_id=organization_id)
    opened: dict[str, int] = defaultdict(int)
    for row in (
        cases.filter(opened_at__date__gte=start, opened_at__date__lte=end)
        .values("practice_area", "custody")
        .annotate(n=Count("pk"))
    ):
        opened[case_category(row["practice_area"], row["custody"])] += row["n"]
    closed: dict[str, int] = defaultdict(int)
    for row in (
        cases.filter(closed_at__date__gte=start, closed_at__date__lte=end)
        .values("practice_area", "custody")
        .annotate(n=Count("pk"))
    ):
        closed[case_category(row["practice_area"], row["custody"])] += row["n"]
    outcomes = {
        row["kind"]: row["n"]
        for row in Outcome.objects.filter(
            case__organization_id=organization_id,
            decision_date__gte=start,
            decision_date__lte=end,
        )
        .values("kind")
        .annotate(n=Count("pk"))
    }
    detained = (
        cases.filter(opened_at__date__lte=end, custody__in=["detained", "released"])
        .exclude(closed_at__date__lt=start)
        .count()
    )
    return {
        "counts": {"opened": dict(opened), "closed": dict(closed), "outcomes": outcomes},
        "detained_served": detained,
    }


# --- Public -------------------------------------------------------------------------------------


def public_grant_rows() -> list[dict[str, Any]]:
    """Grants by grantee and category, awarded vs disbursed (for the transparency page)."""
    labels = dict(GrantCategory.choices)
    rows = []
    for award in Award.objects.select_related(
        "application__organization", "application__round"
    ).annotate(paid=Sum("tranches__amount", filter=~_unpaid())):
        rows.append(
            {
                "grantee": award.application.organization.name,
                "category": str(labels.get(award.application.category, "")),
                "awarded": award.amount,
                "disbursed": int(getattr(award, "paid", 0) or 0),
                "currency": award.application.round.currency,
            }
        )
    rows.sort(key=lambda r: (str(r["grantee"]).casefold(), str(r["category"])))
    return rows


def _unpaid() -> Any:
    from django.db.models import Q

    return Q(tranches__paid_on__isnull=True)
