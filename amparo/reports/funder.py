"""The funder report: one grant, one calendar quarter, figures only.

What a funder reads about a grant: the award, the money paid out (from the ledger), the
grantee's own quarterly report (if filed) and Amparo's own case figures for the grantee's
organization in the quarter. Every count is an aggregate (GROUP BY over choice columns and
dates); counts below the small-cell threshold are hidden, with complementary suppression where
totals are published. No protected field (names, A-numbers, contacts, notes) is read.

This module gathers; ``funder_pdf`` draws; ``funder_views`` decides who may see which grant.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as DbCase
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.cases.latest import final_q
from amparo.cases.models import Case, Outcome
from amparo.cases.outcomes import COMPLETION_CATEGORIES, category_of
from amparo.core.terms import Custody
from amparo.grants.models import Award, GranteeReport, ReportState, Tranche
from amparo.grants.permissions import (
    admin_organization_ids,
    is_board_member,
    is_fund_admin,
    is_provider_admin,
)
from amparo.grants.selectors import case_category, report_state
from amparo.ledger.chart import GRANTS_EXPENSE
from amparo.ledger.models import Posting
from amparo.organizations.models import GrantCategory
from amparo.stats.linked import Figure, protect
from amparo.stats.suppression import suppress

from .metrics import CUSTODY_ROWS, OUTCOME_COLUMNS, outcome_column, threshold

CATEGORY_ROWS = tuple(c.value for c in GrantCategory)
#: The state of a grantee report that was never scheduled for the quarter.
NOT_SCHEDULED = "not_scheduled"


# --- Quarters -------------------------------------------------------------------------------------

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter | None:
        """``"2025-Q3"`` -> Quarter(2025, 3); anything else (Q5, letters, year 0) -> None."""
        match = _QUARTER.match((text or "").strip().upper())
        if not match or int(match.group(1)) < 1:
            return None
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        if self.number == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.number + 1, 1) - datetime.timedelta(days=1)

    def following(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def quarter_label(quarter: Quarter) -> str:
    """The quarter as the viewer's language says it."""
    return _("Quarter %(number)s of %(year)s") % {"number": quarter.number, "year": quarter.year}


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    out: list[Quarter] = []
    q = first
    while q <= last:
        out.append(q)
        q = q.following()
    return out


# --- Who sees which grant -------------------------------------------------------------------------


def can_open_funder_reports(user: Any) -> bool:
    return is_fund_admin(user) or is_board_member(user) or is_provider_admin(user)


def funder_grant_list(*, fetched_by: Any) -> QuerySet[Award]:
    """Grants whose funder report ``fetched_by`` may read: every grant for fund administrators
    and board members (aggregates only), their own organizations' for provider admins."""
    qs = (
        Award.objects.select_related("application__organization", "application__round")
        .annotate(**_FIRST_DAYS)
        .order_by("application__organization__name", "-decided_at", "pk")
    )
    if is_fund_admin(fetched_by) or is_board_member(fetched_by):
        return qs
    orgs = admin_organization_ids(fetched_by)
    return qs.filter(application__organization_id__in=orgs) if orgs else qs.none()


def access_grant(user: Any, grant_id: Any) -> Award:
    """The grant, or 404 for missing and forbidden alike."""
    try:
        pk = int(grant_id)
        if not 0 < pk < 2**63:  # beyond any id the database can hold
            raise Http404
        return funder_grant_list(fetched_by=user).get(pk=pk)
    except (Award.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def _first(model: type[Tranche] | type[GranteeReport], field: str) -> Subquery:
    """The earliest ``field`` of the award's tranches or reports (None when it has none)."""
    return Subquery(
        model.objects.filter(award=OuterRef("pk"))
        .values("award")
        .annotate(first=Min(field))
        .values("first")[:1]
    )


#: Each grant's first tranche due and paid and first report period, read with the grant (so a
#: list of grants finds every start in its one query).
_FIRST_DAYS = {
    "first_tranche_due": _first(Tranche, "due_on"),
    "first_tranche_paid": _first(Tranche, "paid_on"),
    "first_report_start": _first(GranteeReport, "period_start"),
}


def grant_start(award: Award) -> datetime.date:
    """The grant's first day: the earliest of its decision, its tranches and its report periods
    (read with the grant by :func:`funder_grant_list`; asked here for a grant read otherwise)."""
    firsts: list[datetime.date | None]
    if hasattr(award, "first_report_start"):
        firsts = [getattr(award, name) for name in _FIRST_DAYS]
    else:
        tranches = Tranche.objects.filter(award=award).aggregate(
            due=Min("due_on"), paid=Min("paid_on")
        )
        first_report = GranteeReport.objects.filter(award=award).aggregate(
            start=Min("period_start")
        )
        firsts = [tranches["due"], tranches["paid"], first_report["start"]]
    decided: datetime.date = timezone.localdate(award.decided_at)
    return min([decided] + [d for d in firsts if d is not None])


def grant_quarters(award: Award, today: datetime.date | None = None) -> list[Quarter]:
    """The quarters a report can be drawn for: from the grant's start to the current quarter."""
    today = today or timezone.localdate()
    return quarters_between(Quarter.containing(grant_start(award)), Quarter.containing(today))


class QuarterError(ValueError):
    """A quarter no report can be drawn for; ``message`` is translated for the viewer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_quarter(award: Award, quarter: Quarter, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    first = Quarter.containing(grant_start(award))
    if quarter < first:
        raise QuarterError(
            _("This grant started in %(quarter)s: choose that quarter or a later one.")
            % {"quarter": quarter_label(first)}
        )
    if quarter.start > today:
        raise QuarterError(_("That quarter has not begun yet."))


# --- The figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountColumn:
    """Counts by key with their total, small ones hidden (``None``)."""

    keys: tuple[str, ...]
    values: tuple[int | None, ...]
    total: int | None

    def get(self, key: str) -> int | None:
        return self.values[self.keys.index(key)]


@dataclass(frozen=True)
class CountTable:
    """A two-way table published with its margins, suppressed by ``suppress``."""

    row_keys: tuple[str, ...]
    col_keys: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    col_totals: tuple[int | None, ...]
    grand_total: int | None


@dataclass(frozen=True)
class TrancheRow:
    number: int
    amount: int
    due_on: datetime.date
    paid_on: datetime.date | None


@dataclass(frozen=True)
class CaseFigures:
    opened: CountColumn
    closed: CountColumn
    outcomes: CountColumn | CountTable
    detained_served: int | None


@dataclass(frozen=True)
class GranteeFiling:
    """The grantee's quarterly report: its state, and its figures once filed."""

    state: str
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    due_on: datetime.date | None = None
    submitted_on: datetime.date | None = None
    figures: CaseFigures | None = None
    spend: int | None = None


@dataclass(frozen=True)
class FunderReport:
    grant_id: int
    grantee: str
    round_name: str
    category: str
    currency: str
    awarded: int
    decided_on: datetime.date
    quarter: Quarter
    disbursed_to_date: int
    disbursed_in_quarter: int
    tranches: tuple[TrancheRow, ...]
    filing: GranteeFiling
    amparo: CaseFigures
    threshold: int
    generated_on: datetime.date

    @property
    def remaining(self) -> int:
        return self.awarded - self.disbursed_to_date


def _hide(value: int, limit: int) -> int | None:
    return None if 0 < value < limit else value


def count_column(counts: Mapping[str, int], keys: Sequence[str], limit: int) -> CountColumn:
    """One column of counts with its total: small cells hidden, and complements so the total
    cannot give a hidden one back."""
    extra = sorted(k for k in counts if k not in keys)
    all_keys = (*keys, *extra)
    table = suppress([[int(counts.get(k, 0))] for k in all_keys], limit)
    return CountColumn(
        keys=all_keys,
        values=tuple(row[0] for row in table.cells),
        total=table.col_totals[0] if table.col_totals else 0,
    )


def _clean_counts(raw: Any) -> dict[str, int]:
    """A grantee's ``{key: n}`` group, keeping only non-negative integers."""
    if not isinstance(raw, dict):
        return {}
    return {
        str(k): v
        for k, v in raw.items()
        if isinstance(v, int) and not isinstance(v, bool) and v >= 0
    }


def _grouped_outcomes(by_kind: Mapping[str, int]) -> dict[str, int]:
    grouped = dict.fromkeys(OUTCOME_COLUMNS, 0)
    for kind, n in by_kind.items():
        if category_of(kind) not in COMPLETION_CATEGORIES:
            continue  # not a completion: pending, closure, change of venue, custody, appeals
        grouped[outcome_column(kind)] += n
    return grouped


def _disbursed(award: Award, quarter: Quarter) -> tuple[int, int]:
    """Money paid on the grant through the quarter's end, and within the quarter, as the ledger
    has it: the grant-expense postings of its tranches' entries and of any reversal of them."""
    entries = Tranche.objects.filter(award=award, entry_id__isnull=False).values("entry_id")
    totals = Posting.objects.filter(
        Q(entry_id__in=entries) | Q(entry__reverses_id__in=entries),
        account__code=GRANTS_EXPENSE,
        entry__effective_date__lte=quarter.end,
    ).aggregate(
        to_date=Sum("amount"),
        in_quarter=Sum("amount", filter=Q(entry__effective_date__gte=quarter.start)),
    )
    return int(totals["to_date"] or 0), int(totals["in_quarter"] or 0)


def _filing(award: Award, quarter: Quarter, limit: int, today: datetime.date) -> GranteeFiling:
    report = (
        GranteeReport.objects.filter(
            award=award, period_end__gte=quarter.start, period_end__lte=quarter.end
        )
        .order_by("period_start")
        .first()
    )
    if report is None:
        return GranteeFiling(state=NOT_SCHEDULED)
    state = report_state(report, today)
    filing = GranteeFiling(
        state=state,
        period_start=report.period_start,
        period_end=report.period_end,
        due_on=report.due_on,
        submitted_on=timezone.localdate(report.submitted_at) if report.submitted_at else None,
    )
    if state != ReportState.SUBMITTED:
        return filing
    counts = report.counts if isinstance(report.counts, dict) else {}
    figures = CaseFigures(
        opened=count_column(_clean_counts(counts.get("opened")), CATEGORY_ROWS, limit),
        closed=count_column(_clean_counts(counts.get("closed")), CATEGORY_ROWS, limit),
        outcomes=count_column(
            _grouped_outcomes(_clean_counts(counts.get("outcomes"))), OUTCOME_COLUMNS, limit
        ),
        detained_served=_hide(report.detained_served, limit),
    )
    return GranteeFiling(
        state=filing.state,
        period_start=filing.period_start,
        period_end=filing.period_end,
        due_on=filing.due_on,
        submitted_on=filing.submitted_on,
        figures=figures,
        spend=report.spend,
    )


_CASE_CATEGORIES = (
    str(GrantCategory.DETAINED_REMOVAL),
    str(GrantCategory.AFFIRMATIVE_NON_DETAINED),
)
_HELD = (str(Custody.DETAINED), str(Custody.RELEASED))


def _possible_atoms() -> list[tuple[str, str, bool, bool, bool, str]]:
    """Every kind of case the quarter's figures could count, as (category, custody, opened in
    the quarter, closed in it, detained person served, outcome column or "none"). Only the
    combinations that can exist: a reader knows the others are empty, so the protection must
    assume they are known to be empty too."""
    out = []
    for category in _CASE_CATEGORIES:
        for custody in CUSTODY_ROWS:
            if custody == Custody.DETAINED and category != GrantCategory.DETAINED_REMOVAL:
                continue
            for opened in (False, True):
                for closed in (False, True):
                    for served in (False, True):
                        held = custody in _HELD
                        if served and not held:
                            continue
                        if held and (opened or closed) and not served:
                            continue  # a held person's case open during the quarter is served
                        for column in (*OUTCOME_COLUMNS, "none"):
                            if not (opened or closed or served) and column == "none":
                                continue  # counted nowhere
                            out.append((category, custody, opened, closed, served, column))
    return out


def _amparo_figures(organization_id: int, quarter: Quarter, limit: int) -> CaseFigures:
    """Amparo's own figures for the organization in the quarter: cases opened and closed by
    grant category, detained people served (as grantee reports count them), and cases decided
    in the quarter by custody and outcome (each case once, under its latest final outcome).

    They are protected *jointly* (:mod:`amparo.stats.linked`): every figure is a sum over kinds
    of case, so no small count can be worked out from the tables and totals together."""
    start, end = quarter.start, quarter.end
    final = Outcome.objects.filter(
        case=OuterRef("pk"), decision_date__gte=start, decision_date__lte=end
    ).filter(final_q())
    yes, no = Value(True), Value(False)
    rows = (
        Case.objects.filter(organization_id=organization_id)
        .annotate(
            opened_q=DbCase(
                When(opened_at__date__gte=start, opened_at__date__lte=end, then=yes),
                default=no,
                output_field=BooleanField(),
            ),
            closed_q=DbCase(
                When(closed_at__date__gte=start, closed_at__date__lte=end, then=yes),
                default=no,
                output_field=BooleanField(),
            ),
            served=DbCase(
                When(
                    Q(closed_at__isnull=True) | Q(closed_at__date__gte=start),
                    opened_at__date__lte=end,
                    custody__in=_HELD,
                    then=yes,
                ),
                default=no,
                output_field=BooleanField(),
            ),
            last_kind=Subquery(
                final.order_by("-decision_date", "-recorded_at", "-pk").values("kind")[:1]
            ),
            last_relief=Subquery(
                final.order_by("-decision_date", "-recorded_at", "-pk").values("relief")[:1]
            ),
        )
        .values(
            "practice_area", "custody", "opened_q", "closed_q", "served", "last_kind", "last_relief"
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    possible = _possible_atoms()
    key = "|".join
    atoms = {key(map(str, a)): 0 for a in possible}
    for found in rows:
        row: dict[str, Any] = dict(found)
        if row["custody"] not in CUSTODY_ROWS:
            continue
        column = (
            outcome_column(row["last_kind"], row["last_relief"] or "")
            if row["last_kind"]
            else "none"
        )
        atom = (
            case_category(row["practice_area"], row["custody"]),
            row["custody"],
            bool(row["opened_q"]),
            bool(row["closed_q"]),
            bool(row["served"]),
            column,
        )
        name = key(map(str, atom))
        if name in atoms:  # anything else is counted by no figure
            atoms[name] += int(row["n"])

    def figure(name: str, pred: Any) -> Figure:
        return Figure(name, frozenset(key(map(str, a)) for a in possible if pred(*a)))

    figures = []
    for what, index in (("opened", 2), ("closed", 3)):
        for category in CATEGORY_ROWS:
            figures.append(
                figure(f"{what}:{category}", lambda *a, c=category, i=index: a[0] == c and a[i])
            )
        figures.append(figure(f"{what}:total", lambda *a, i=index: a[i]))
    for custody in CUSTODY_ROWS:
        for col in OUTCOME_COLUMNS:
            figures.append(
                figure(f"out:{custody}:{col}", lambda *a, c=custody, k=col: a[1] == c and a[5] == k)
            )
        figures.append(
            figure(f"out:{custody}:total", lambda *a, c=custody: a[1] == c and a[5] != "none")
        )
    for col in OUTCOME_COLUMNS:
        figures.append(figure(f"out:total:{col}", lambda *a, k=col: a[5] == k))
    figures.append(figure("out:total:total", lambda *a: a[5] != "none"))
    figures.append(figure("served", lambda *a: a[4]))
    v = protect(atoms, figures, limit).values

    def by_category(what: str) -> CountColumn:
        return CountColumn(
            keys=CATEGORY_ROWS,
            values=tuple(v[f"{what}:{c}"] for c in CATEGORY_ROWS),
            total=v[f"{what}:total"],
        )

    return CaseFigures(
        opened=by_category("opened"),
        closed=by_category("closed"),
        outcomes=CountTable(
            row_keys=CUSTODY_ROWS,
            col_keys=OUTCOME_COLUMNS,
            cells=tuple(
                tuple(v[f"out:{c}:{col}"] for col in OUTCOME_COLUMNS) for c in CUSTODY_ROWS
            ),
            row_totals=tuple(v[f"out:{c}:total"] for c in CUSTODY_ROWS),
            col_totals=tuple(v[f"out:total:{col}"] for col in OUTCOME_COLUMNS),
            grand_total=v["out:total:total"],
        ),
        detained_served=v["served"],
    )


def funder_report(
    award: Award, quarter: Quarter, *, today: datetime.date | None = None
) -> FunderReport:
    """Gather the report. Raises :class:`QuarterError` for a quarter outside the grant."""
    today = today or timezone.localdate()
    check_quarter(award, quarter, today)
    limit = threshold()
    application = award.application
    to_date, in_quarter = _disbursed(award, quarter)
    tranches = tuple(
        TrancheRow(number=t.number, amount=t.amount, due_on=t.due_on, paid_on=t.paid_on)
        for t in Tranche.objects.filter(award=award).order_by("number")
    )
    return FunderReport(
        grant_id=award.pk,
        grantee=application.organization.name,
        round_name=application.round.name,
        category=application.category,
        currency=application.round.currency,
        awarded=award.amount,
        decided_on=timezone.localdate(award.decided_at),
        quarter=quarter,
        disbursed_to_date=to_date,
        disbursed_in_quarter=in_quarter,
        tranches=tranches,
        filing=_filing(award, quarter, limit, today),
        amparo=_amparo_figures(application.organization_id, quarter, limit),
        threshold=limit,
        generated_on=today,
    )
