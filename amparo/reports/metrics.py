"""Impact figures from Amparo's own data, computed with SQL aggregates (GROUP BY).

Nothing here reads a protected field: every query groups on choice columns, dates and ids.

Everything a page publishes about people and cases is derived from two small partitions, so
that published figures can be protected *jointly* (:mod:`amparo.stats.linked`):

- ``request_stages``: help requests by the furthest stage they reached (not eligible, eligible,
  referred, accepted). The funnel is nested by construction: a referred request counts as
  eligible, an accepted one as referred.
- ``case_atoms``: cases by custody x final outcome group x latest custody decision, apart by
  where the case started (:data:`CASE_ORIGINS`). Only cases born from an accepted referral of
  a request in the slice are "represented", the funnel's last stage, so it can never be larger
  than "accepted". Cases that started outside the help line (a provider's own intake, a
  transfer: no referral) are a stage of their own, beside the funnel; cases from requests
  outside the slice (made before the period) count in the outcome tables only. A case
  counts once, under its latest decision on the merits (relief by kind, other relief,
  protection with a removal order, terminated, removal, other, or ``open`` when none is
  recorded yet). The groups follow :data:`amparo.cases.outcomes.CATEGORY_OF`: withholding of
  removal and CAT are protection, never relief; administrative closure, change of venue and
  remands leave a case where it was; appellate decisions count only when they state a result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case as CaseWhen,
)
from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from amparo.cases.choices import CaseStatus
from amparo.cases.models import Case
from amparo.cases.outcomes import (
    OutcomeCategory,
    OutcomeKind,
    ReliefGranted,
    category_of,
)
from amparo.core.terms import Custody
from amparo.intake.models import Eligibility, HelpRequest
from amparo.organizations.models import GrantCategory, PracticeArea
from amparo.referrals.models import Referral, ReferralStatus
from amparo.stats.summary import quantile_from_histogram, rate

RELIEF_KINDS = (OutcomeKind.RELIEF_GRANTED, OutcomeKind.APPROVED)
#: Columns of the published outcome table (completions, grouped for readability): the
#: completion categories of amparo.cases.outcomes, in order.
OUTCOME_COLUMNS = ("relief", "protection", "terminated", "removal", "other")
CUSTODY_ROWS = tuple(c.value for c in Custody)
RELIEF_TYPES = tuple(r.value for r in ReliefGranted)
#: Final-outcome groups of a case: relief by kind, relief of no stated kind, the other columns,
#: and "open" (no final outcome yet).
OUTCOME_GROUPS = (
    *(f"relief:{r}" for r in RELIEF_TYPES),
    "relief:unstated",
    "protection",
    "terminated",
    "removal",
    "other",
    "open",
)
DECISIONS = ("released", "kept_detained", "none")
REQUEST_STAGES = ("not_eligible", "eligible", "referred", "accepted")
#: Where a case started, as the funnel sees it: from an accepted referral of a request in the
#: slice ("request"), outside the help line with no referral at all ("outside": a provider's
#: own intake, a transfer), or from a request the slice leaves out ("other").
CASE_ORIGINS = ("request", "outside", "other")
#: A case's atom: (custody, final outcome group, latest custody decision).
CaseKey = tuple[str, str, str]
#: Case categories a filter can pick (the two grant categories that serve people directly).
CASE_CATEGORIES = (GrantCategory.DETAINED_REMOVAL, GrantCategory.AFFIRMATIVE_NON_DETAINED)


def threshold() -> int:
    return int(getattr(settings, "AMPARO_SMALL_CELL_THRESHOLD", 11))


def column_of_group(group: str) -> str | None:
    """The outcome-table column a final-outcome group falls in (``None``: not completed)."""
    if group.startswith("relief:"):
        return "relief"
    return None if group == "open" else group


def _group_of(kind: str | None, relief: str | None) -> str:
    if not kind:
        return "open"
    category = category_of(kind, relief or "")
    if category == OutcomeCategory.RELIEF:
        return f"relief:{relief}" if relief in RELIEF_TYPES else "relief:unstated"
    if category in OUTCOME_COLUMNS:
        return str(category)
    return "open" if category == OutcomeCategory.OPEN else "other"


@dataclass(frozen=True)
class Filters:
    program_id: int | None = None
    organization_id: int | None = None
    category: str | None = None
    award_id: int | None = None  # a grant: its grantee's cases (set with organization_id)
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass
class Metrics:
    request_stages: dict[str, int] = field(default_factory=dict)
    #: Cases born from the slice's own requests (the funnel's "represented").
    case_atoms: dict[CaseKey, int] = field(default_factory=dict)
    #: Cases that started outside the help line: counted beside the funnel, never in it.
    outside_atoms: dict[CaseKey, int] = field(default_factory=dict)
    #: Cases from requests outside the slice (an earlier period): outcome tables only.
    other_atoms: dict[CaseKey, int] = field(default_factory=dict)
    days_to_acceptance: dict[str, dict[str, int | None]] = field(default_factory=dict)
    active_cases: int = 0
    attorneys: int = 0
    spend_by_category: dict[str, int] = field(default_factory=dict)  # cents paid to grantees
    cases_by_category: dict[str, int] = field(default_factory=dict)

    # -- derived figures (all from the partitions) ------------------------------------------
    def every_case(self) -> list[tuple[CaseKey, int]]:
        """Every case atom whatever its origin: the outcome tables count cases, not the funnel."""
        return [
            *self.case_atoms.items(),
            *self.outside_atoms.items(),
            *self.other_atoms.items(),
        ]

    def _sum(self, custody: str | None = None, column: str | None = None) -> int:
        return sum(
            n
            for (c, g, _d), n in self.every_case()
            if (custody is None or c == custody)
            and (column_of_group(g) == column if column else column_of_group(g) is not None)
        )

    @property
    def funnel(self) -> dict[str, int]:
        """The nested stages, each a subset of the one before (see :func:`funnel_nested`)."""
        s = self.request_stages
        accepted = s.get("accepted", 0)
        referred = accepted + s.get("referred", 0)
        eligible = referred + s.get("eligible", 0)
        return {
            "requests": eligible + s.get("not_eligible", 0),
            "eligible": eligible,
            "referred": referred,
            "accepted": accepted,
            "represented": self.represented,
        }

    @property
    def represented(self) -> int:
        return sum(self.case_atoms.values())

    @property
    def outside(self) -> int:
        """Cases that started outside the help line (no request, no referral)."""
        return sum(self.outside_atoms.values())

    @property
    def cases(self) -> int:
        return sum(n for _key, n in self.every_case())

    @property
    def outcomes(self) -> list[list[int]]:
        """Completed cases: custody rows x OUTCOME_COLUMNS."""
        return [[self._sum(c, col) for col in OUTCOME_COLUMNS] for c in CUSTODY_ROWS]

    @property
    def completed(self) -> int:
        return self._sum()

    @property
    def relief(self) -> int:
        return self._sum(column="relief")

    @property
    def protection(self) -> int:
        return self._sum(column="protection")

    @property
    def relief_types(self) -> dict[str, int]:
        return {
            r: sum(n for (_c, g, _d), n in self.every_case() if g == f"relief:{r}")
            for r in RELIEF_TYPES
        }

    @property
    def released(self) -> int:
        return sum(n for (_c, _g, d), n in self.every_case() if d == "released")

    @property
    def custody_decisions(self) -> int:
        return sum(n for (_c, _g, d), n in self.every_case() if d != "none")

    @property
    def relief_rate(self) -> float | None:
        return rate(self.relief, self.completed)

    @property
    def protection_rate(self) -> float | None:
        return rate(self.protection, self.completed)

    @property
    def release_rate(self) -> float | None:
        return rate(self.released, self.custody_decisions)

    @property
    def active_per_attorney(self) -> float | None:
        return rate(self.active_cases, self.attorneys)

    @property
    def cost_per_case(self) -> dict[str, int | None]:
        """Money paid to grantees in each category, divided by that category's cases (cents)."""
        return {
            str(cat): (
                self.spend_by_category.get(cat, 0) // self.cases_by_category[cat]
                if self.cases_by_category.get(cat)
                else None
            )
            for cat in CASE_CATEGORIES
        }


def _day_bounds(f: Filters, qs: QuerySet[Any], field_name: str) -> QuerySet[Any]:
    if f.start:
        qs = qs.filter(**{f"{field_name}__date__gte": f.start})
    if f.end:
        qs = qs.filter(**{f"{field_name}__date__lte": f.end})
    return qs


#: A case counted as active (open, or work under way).
OPEN_STATUSES = (CaseStatus.OPEN, CaseStatus.ACTIVE)


def detained_q(prefix: str = "") -> Q:
    """Cases counted under "removal defense for detained people" (as grantee reports do)."""
    return Q(**{f"{prefix}practice_area": PracticeArea.DETAINED_REMOVAL}) | Q(
        **{f"{prefix}custody": Custody.DETAINED}
    )


def _requests(f: Filters) -> QuerySet[HelpRequest]:
    qs = HelpRequest.objects.all()
    if f.program_id:
        qs = qs.filter(program_id=f.program_id)
    if f.organization_id:  # a subquery, not a join: a request referred twice counts once
        referred = Referral.objects.filter(organization_id=f.organization_id)
        qs = qs.filter(pk__in=referred.values("help_request_id"))
    if f.category == GrantCategory.DETAINED_REMOVAL:
        qs = qs.filter(custody=Custody.DETAINED)
    elif f.category == GrantCategory.AFFIRMATIVE_NON_DETAINED:
        qs = qs.exclude(custody=Custody.DETAINED)
    return _day_bounds(f, qs, "created_at")


def _cases(f: Filters) -> QuerySet[Case]:
    qs = Case.objects.all()
    if f.program_id:
        ids = Referral.objects.filter(help_request__program_id=f.program_id).values("pk")
        qs = qs.filter(referral_id__in=ids)
    if f.organization_id:
        qs = qs.filter(organization_id=f.organization_id)
    if f.category == GrantCategory.DETAINED_REMOVAL:
        qs = qs.filter(detained_q())
    elif f.category == GrantCategory.AFFIRMATIVE_NON_DETAINED:
        qs = qs.exclude(detained_q())
    return _day_bounds(f, qs, "opened_at")


def count_if(condition: Q) -> Sum:
    """How many rows of a group meet ``condition``. A sum, not ``COUNT(pk) FILTER``: it reads no
    column the condition does not name, so an index that covers the query still covers it."""
    return Sum(
        CaseWhen(When(condition, then=Value(1)), default=Value(0)), output_field=IntegerField()
    )


class WholeDays(Func):
    """Whole days from the second timestamp to the first (``timedelta.days`` of their
    difference), computed by the database. On SQLite from ``julianday`` (a built-in, not a Python
    function per row), true to within a tenth of a millisecond of a day's end."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        days = self.copy()
        days.set_source_expressions([JulianDay(e) for e in self.get_source_expressions()])
        return days.as_sql(
            compiler,
            connection,
            template="CAST(FLOOR(%(expressions)s + 1e-9) AS INTEGER)",
            arg_joiner=" - ",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400)::integer",
            arg_joiner=" - ",
            **extra,
        )


class JulianDay(Func):
    """SQLite's ``julianday``: a timestamp as a fractional day number."""

    function = "julianday"


def request_stages(requests: QuerySet[HelpRequest]) -> dict[str, int]:
    """Requests by the furthest stage they reached: one GROUP BY on the eligibility, read in the
    order of the index that covers it (no sort), with the referred and the accepted counted in
    each group from the requests' own referral marks (:mod:`amparo.referrals.marks`). An
    accepted request was referred, so the stages nest."""
    rows = (
        requests.order_by()
        .values("eligibility")
        .annotate(
            n=Count("*"),
            was_referred=count_if(Q(referred_at__isnull=False)),
            was_accepted=count_if(Q(accepted_at__isnull=False)),
        )
    )
    stages = dict.fromkeys(REQUEST_STAGES, 0)
    for row in rows:
        n = int(row["n"])
        was_referred, was_accepted = int(row["was_referred"]), int(row["was_accepted"])
        stages["accepted"] += was_accepted
        stages["referred"] += was_referred - was_accepted
        rest = "eligible" if row["eligibility"] == Eligibility.ELIGIBLE else "not_eligible"
        stages[rest] += n - was_referred
    return stages


def empty_atoms() -> dict[CaseKey, int]:
    return {(c, g, d): 0 for c in CUSTODY_ROWS for g in OUTCOME_GROUPS for d in DECISIONS}


@dataclass(frozen=True)
class CaseCounts:
    """What one pass over the cases gives: the atoms by origin and the totals beside them."""

    atoms: dict[str, dict[CaseKey, int]]
    total: int
    active: int
    detained: int


def case_counts(cases: QuerySet[Case], requests: QuerySet[HelpRequest] | None = None) -> CaseCounts:
    """The cases' atoms by origin (:data:`CASE_ORIGINS`), and how many cases there are, are
    open, and are detained cases (:func:`detained_q`), from one GROUP BY (two on PostgreSQL). A case is "request"
    only when its accepted referral belongs to one of ``requests`` (every request when
    ``None``): so each such case stands for one accepted request of the same slice."""
    # The latest outcomes are the case's own columns (amparo.cases.latest): one GROUP BY over
    # the cases, read from the index that covers it (``cases_case_impact_idx``).
    accepted = Referral.objects.order_by().filter(status=ReferralStatus.ACCEPTED)
    if requests is not None:
        accepted = accepted.filter(help_request__in=requests.values("pk"))
    groups = ("custody", "latest_final_kind", "latest_final_relief", "latest_custody_decision")
    born_from = Q(referral_id__in=accepted.values("pk"))
    # Grouped by the index's leading columns, in its order (no sort), the totals counted in each
    # group. The cases born from an accepted referral: on SQLite counted in the same pass (the
    # IN's list is built once and probed per case); on PostgreSQL a second GROUP BY restricted in
    # its WHERE, a semi-join it can hash: inside a CASE the same IN is a subplan PostgreSQL cannot
    # hash once it knows there are hundreds of thousands of referrals (a scan per case), and on
    # SQLite the WHERE form reads each case through the referral index instead (slower).
    in_one_pass = connection.vendor != "postgresql"
    born_count = {"from_request": count_if(born_from)} if in_one_pass else {}
    rows = (
        cases.order_by()
        .values(*groups)
        .annotate(
            n=Count("*"),
            direct=count_if(Q(referral_id__isnull=True)),
            is_open=count_if(Q(status__in=OPEN_STATUSES)),
            is_detained=count_if(detained_q()),
            **born_count,
        )
    )
    born: dict[tuple[Any, ...], int] = {}
    if not in_one_pass:
        born = {
            tuple(row[g] for g in groups): int(row["n"])
            for row in cases.order_by().filter(born_from).values(*groups).annotate(n=Count("*"))
        }
    atoms = {origin: empty_atoms() for origin in CASE_ORIGINS}
    total = active = detained = 0
    for row in rows:
        n, direct = int(row["n"]), int(row["direct"])
        from_request = (
            int(row["from_request"]) if in_one_pass else born.get(tuple(row[g] for g in groups), 0)
        )
        total += n
        active += int(row["is_open"])
        detained += int(row["is_detained"])
        if row["custody"] not in CUSTODY_ROWS:
            continue
        key = (
            str(row["custody"]),
            _group_of(row["latest_final_kind"], row["latest_final_relief"]),
            str(row["latest_custody_decision"] or "none"),
        )
        atoms["request"][key] += from_request
        atoms["outside"][key] += direct
        atoms["other"][key] += n - from_request - direct
    return CaseCounts(atoms=atoms, total=total, active=active, detained=detained)


def compute(f: Filters | None = None) -> Metrics:
    f = f or Filters()
    m = Metrics()
    requests = _requests(f)
    m.request_stages = request_stages(requests)
    cases = _cases(f)
    # Unfiltered, every request is in the slice: no need to ask which.
    counted = case_counts(cases, None if f == Filters() else requests)
    m.case_atoms = counted.atoms["request"]
    m.outside_atoms = counted.atoms["outside"]
    m.other_atoms = counted.atoms["other"]
    m.active_cases = counted.active
    # The open cases only, from the index on (status, lead attorney).
    m.attorneys = (
        cases.order_by()
        .filter(status__in=OPEN_STATUSES, lead_attorney__isnull=False)
        .values("lead_attorney")
        .distinct()
        .count()
    )
    m.cases_by_category = {
        str(GrantCategory.DETAINED_REMOVAL): counted.detained,
        str(GrantCategory.AFFIRMATIVE_NON_DETAINED): counted.total - counted.detained,
    }

    # Time from request to acceptance: one group per (custody, whole days), from the requests'
    # own acceptance mark, then quantiles.
    waits = (
        requests.order_by()
        .filter(accepted_at__isnull=False)
        .annotate(days=WholeDays(F("accepted_at"), F("created_at")))
        .values("custody", "days")
        .annotate(n=Count("*"))
    )
    histograms: dict[str, dict[int, int]] = {}
    for wrow in waits:
        row: dict[str, Any] = dict(wrow)
        days = int(row["days"]) if row["days"] is not None else 0
        hist = histograms.setdefault(row["custody"], {})
        hist[days] = hist.get(days, 0) + row["n"]
    m.days_to_acceptance = {
        custody: {
            "median": quantile_from_histogram(hist, 0.5),
            "p90": quantile_from_histogram(hist, 0.9),
            "n": sum(hist.values()),
        }
        for custody, hist in sorted(histograms.items())
    }
    m.spend_by_category = _spend(f)
    return m


def _spend(f: Filters) -> dict[str, int]:
    """Grant money paid out (each paid tranche is one ledger entry), by grant category."""
    from amparo.grants.models import Tranche

    paid = Tranche.objects.filter(paid_on__isnull=False)
    if f.award_id:
        paid = paid.filter(award_id=f.award_id)
    if f.organization_id:
        paid = paid.filter(award__application__organization_id=f.organization_id)
    if f.category:
        paid = paid.filter(award__application__category=f.category)
    if f.start:
        paid = paid.filter(paid_on__gte=f.start)
    if f.end:
        paid = paid.filter(paid_on__lte=f.end)
    return {
        str(row["award__application__category"]): int(row["total"] or 0)
        for row in paid.values("award__application__category").annotate(total=Sum("amount"))
    }


def outcome_column(kind: str, relief: str = "") -> str:
    """The outcome-table column of a final outcome (relief, protection, terminated, removal,
    other)."""
    return column_of_group(_group_of(kind, relief)) or "other"
