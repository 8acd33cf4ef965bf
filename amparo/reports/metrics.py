"""Impact figures from Amparo's own data, computed with SQL aggregates (GROUP BY).

Nothing here reads a protected field: every query groups on choice columns, dates and ids.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum

from amparo.cases.choices import CaseStatus, Custody
from amparo.cases.models import Case, Outcome
from amparo.cases.outcomes import NOT_FINAL, OutcomeKind, ReliefGranted
from amparo.intake.models import Eligibility, HelpRequest
from amparo.ledger.models import AccountType, Posting
from amparo.referrals.models import Referral, ReferralStatus
from amparo.stats.summary import quantile_from_histogram, rate

CUSTODY_KINDS = (OutcomeKind.RELEASED, OutcomeKind.KEPT_DETAINED)
RELIEF_KINDS = (OutcomeKind.RELIEF_GRANTED, OutcomeKind.APPROVED)
#: Columns of the published outcome table (completions, grouped for readability).
OUTCOME_COLUMNS = ("relief", "terminated", "removal", "other")
CUSTODY_ROWS = tuple(c.value for c in Custody)


def threshold() -> int:
    return int(getattr(settings, "AMPARO_SMALL_CELL_THRESHOLD", 11))


def _outcome_column(kind: str) -> str:
    if kind in RELIEF_KINDS:
        return "relief"
    if kind == OutcomeKind.TERMINATED:
        return "terminated"
    if kind in (OutcomeKind.REMOVAL_ORDER, OutcomeKind.DENIED, OutcomeKind.VOLUNTARY_DEPARTURE):
        return "removal"
    return "other"


@dataclass(frozen=True)
class Filters:
    program_id: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass
class Metrics:
    funnel: dict[str, int] = field(default_factory=dict)
    days_to_acceptance: dict[str, dict[str, int | None]] = field(default_factory=dict)
    outcomes: list[list[int]] = field(default_factory=list)  # custody rows x OUTCOME_COLUMNS
    relief_types: dict[str, int] = field(default_factory=dict)
    completed: int = 0
    relief: int = 0
    released: int = 0
    custody_decisions: int = 0
    active_cases: int = 0
    attorneys: int = 0
    cost_by_category: dict[str, int] = field(default_factory=dict)  # cents
    cases: int = 0

    @property
    def relief_rate(self) -> float | None:
        return rate(self.relief, self.completed)

    @property
    def release_rate(self) -> float | None:
        return rate(self.released, self.custody_decisions)

    @property
    def active_per_attorney(self) -> float | None:
        return rate(self.active_cases, self.attorneys)

    @property
    def cost_per_case(self) -> dict[str, int | None]:
        return {
            k: (v // self.cases if self.cases else None) for k, v in self.cost_by_category.items()
        }


def _day_bounds(f: Filters, qs: QuerySet[Any], field_name: str) -> QuerySet[Any]:
    if f.start:
        qs = qs.filter(**{f"{field_name}__date__gte": f.start})
    if f.end:
        qs = qs.filter(**{f"{field_name}__date__lte": f.end})
    return qs


def _requests(f: Filters) -> QuerySet[HelpRequest]:
    qs = HelpRequest.objects.all()
    if f.program_id:
        qs = qs.filter(program_id=f.program_id)
    return _day_bounds(f, qs, "created_at")


def _cases(f: Filters) -> QuerySet[Case]:
    qs = Case.objects.all()
    if f.program_id:
        ids = Referral.objects.filter(help_request__program_id=f.program_id).values("pk")
        qs = qs.filter(referral_id__in=ids)
    return _day_bounds(f, qs, "opened_at")


def compute(f: Filters | None = None) -> Metrics:
    f = f or Filters()
    m = Metrics()
    requests = _requests(f)
    counts = requests.aggregate(
        requests=Count("pk"),
        eligible=Count("pk", filter=Q(eligibility=Eligibility.ELIGIBLE)),
        referred=Count("pk", filter=Q(referrals__isnull=False), distinct=True),
        accepted=Count("pk", filter=Q(referrals__status=ReferralStatus.ACCEPTED), distinct=True),
    )
    cases = _cases(f)
    case_counts = cases.aggregate(
        represented=Count("pk"),
        active=Count("pk", filter=Q(status__in=(CaseStatus.OPEN, CaseStatus.ACTIVE))),
        attorneys=Count(
            "lead_attorney",
            filter=Q(status__in=(CaseStatus.OPEN, CaseStatus.ACTIVE)),
            distinct=True,
        ),
    )
    m.funnel = {
        "requests": counts["requests"],
        "eligible": counts["eligible"],
        "referred": counts["referred"],
        "accepted": counts["accepted"],
        "represented": case_counts["represented"],
    }
    m.cases = case_counts["represented"]
    m.active_cases = case_counts["active"]
    m.attorneys = case_counts["attorneys"]

    # Time from request to acceptance: one group per (custody, waiting time), then quantiles.
    waits = (
        Referral.objects.filter(
            status=ReferralStatus.ACCEPTED,
            responded_at__isnull=False,
            help_request__in=requests.values("pk"),
        )
        .annotate(
            wait=ExpressionWrapper(
                F("responded_at") - F("help_request__created_at"), output_field=DurationField()
            )
        )
        .values("help_request__custody", "wait")
        .annotate(n=Count("pk"))
    )
    histograms: dict[str, dict[int, int]] = {}
    for wrow in waits:
        row: dict[str, Any] = dict(wrow)
        days = row["wait"].days if row["wait"] is not None else 0
        hist = histograms.setdefault(row["help_request__custody"], {})
        hist[days] = hist.get(days, 0) + row["n"]
    m.days_to_acceptance = {
        custody: {
            "median": quantile_from_histogram(hist, 0.5),
            "p90": quantile_from_histogram(hist, 0.9),
            "n": sum(hist.values()),
        }
        for custody, hist in sorted(histograms.items())
    }

    outcomes = Outcome.objects.filter(case__in=cases.values("pk"))
    table = [[0] * len(OUTCOME_COLUMNS) for _ in CUSTODY_ROWS]
    grouped = (
        outcomes.exclude(kind__in=[*NOT_FINAL, *CUSTODY_KINDS])
        .values("case__custody", "kind")
        .annotate(n=Count("case", distinct=True))
    )
    for orow in grouped:
        row = dict(orow)
        if row["case__custody"] in CUSTODY_ROWS:
            i = CUSTODY_ROWS.index(row["case__custody"])
            table[i][OUTCOME_COLUMNS.index(_outcome_column(row["kind"]))] += row["n"]
    m.outcomes = table
    completed = outcomes.exclude(kind__in=[*NOT_FINAL, *CUSTODY_KINDS]).aggregate(
        completed=Count("case", distinct=True),
        relief=Count("case", filter=Q(kind__in=RELIEF_KINDS), distinct=True),
    )
    m.completed = completed["completed"]
    m.relief = completed["relief"]
    m.relief_types = {r.value: 0 for r in ReliefGranted}
    for rrow in (
        outcomes.filter(kind=OutcomeKind.RELIEF_GRANTED)
        .exclude(relief="")
        .values("relief")
        .annotate(n=Count("case", distinct=True))
    ):
        m.relief_types[str(rrow["relief"])] = int(rrow["n"])
    custody = outcomes.filter(kind__in=CUSTODY_KINDS).aggregate(
        decisions=Count("case", distinct=True),
        released=Count("case", filter=Q(kind=OutcomeKind.RELEASED), distinct=True),
    )
    m.custody_decisions = custody["decisions"]
    m.released = custody["released"]

    postings = Posting.objects.filter(account__type=AccountType.EXPENSE)
    if f.start:
        postings = postings.filter(entry__effective_date__gte=f.start)
    if f.end:
        postings = postings.filter(entry__effective_date__lte=f.end)
    m.cost_by_category = {
        row["account__name"]: int(row["total"] or 0)
        for row in postings.values("account__name")
        .annotate(total=Sum("amount"))
        .order_by("account__name")
    }
    return m
