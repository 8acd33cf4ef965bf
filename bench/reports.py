"""`amparo bench reports [--cases N] [--renders R] [--seed S]`.

Seeds N cases (1,000,000 by default) and as many help requests in a throwaway database, then
renders the public impact page R times through the whole middleware stack. Prints, as one JSON
object on the last line:

- ``cases``: the cases seeded;
- ``median_ms``: the median time of a render of ``/impact/`` as visitors get it (the protected
  figures kept in the process for a minute, as the view does);
- ``snapshot_read_median_ms``: the median render with that copy dropped first, so the page reads
  the newest snapshot from the database;
- ``refresh_ms``: computing and protecting the figures and storing a snapshot, which the worker
  does every five minutes (SQL aggregates over every case, then the linear programs);
- ``naive_ms``: the same figures computed naively, rows loaded through the ORM and counted in
  Python;
- two ratios, each comparing like with like (``compares`` says them in words):
  ``refresh_ratio_vs_naive`` = ``refresh_ms`` ÷ ``naive_ms`` (computing the figures: the
  worker's way vs the naive way), and ``render_ratio_vs_snapshot_read`` = ``median_ms`` ÷
  ``snapshot_read_median_ms`` (serving the page: from the process's copy vs from the stored
  snapshot). A cached render is never divided by a recompute.

Seeding clones one real, fully encrypted template row per table with SQL ``executemany`` in
batches: every bench case points at the same synthetic client (its protected values are
shared), which is all the impact figures need: they never read a protected field. Seven
requests in ten are referred (five accepted, one declined, one expired, answered after 0 to 96
hours), and each accepted referral is a case's: the funnel, the cases' origins and the days to
acceptance are counted over as many rows as the cases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.core.cache import cache
from django.db import connection, models, transaction

from amparo.core.terms import Custody
from bench.registry import register

BATCH = 10_000
GOAL_MS = 500
COMPARES = {
    "refresh_ratio_vs_naive": "computing the public figures: the worker's snapshot refresh (SQL "
    "aggregates, then the small-cell and noise protection, stored) ÷ the same figures counted "
    "naively (every row through the ORM, counted in Python, unprotected)",
    "render_ratio_vs_snapshot_read": "serving /impact/: a render from the process's one-minute "
    "copy ÷ a render that reads the newest snapshot from the database",
}
CUSTODIES = tuple(Custody.values)
COMPLETIONS = (
    ("relief_granted", "asylum"),
    ("protection_granted", "withholding"),
    ("protection_granted", "cat"),
    ("relief_granted", "cancellation"),
    ("terminated", ""),
    ("removal_order", ""),
    ("voluntary_departure", ""),
    ("admin_closed", ""),
)


def _columns(model: type[models.Model], skip: Sequence[str] = ()) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if f.column not in skip]


def _template_row(model: type[models.Model], pk: Any) -> dict[str, Any]:
    """The stored (already encrypted) column values of one row, as the database gives them."""
    fields = _columns(model)
    names = [str(f.column) for f in fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in names)
    table = connection.ops.quote_name(model._meta.db_table)
    key = model._meta.pk
    assert key is not None
    pk_column = connection.ops.quote_name(str(key.column))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quoted} FROM {table} WHERE {pk_column} = %s",
            [key.get_db_prep_value(pk, connection)],
        )
        values = cursor.fetchone()
    return dict(zip(names, values, strict=True))


def _insert(
    model: type[models.Model], columns: list[str], rows: Iterator[tuple[Any, ...]], total: int
) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        _copy(model, table, quoted, columns, rows, total)
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
    done = 0
    while done < total:
        batch = [next(rows) for _ in range(min(BATCH, total - done))]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
        done += len(batch)


def _copy(
    model: type[models.Model],
    table: str,
    quoted: str,
    columns: list[str],
    rows: Iterator[tuple[Any, ...]],
    total: int,
) -> None:
    """PostgreSQL: the rows through ``COPY ... FROM STDIN`` in one transaction (an INSERT per
    row, even batched, takes several times as long at a million wide rows)."""
    from psycopg.types.json import Jsonb

    json_columns = {
        f.column for f in model._meta.concrete_fields if f.get_internal_type() == "JSONField"
    }
    wrap = [i for i, column in enumerate(columns) if column in json_columns]
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for _ in range(total):
                row = list(next(rows))
                for i in wrap:
                    if row[i] is not None and not isinstance(row[i], str):
                        row[i] = Jsonb(row[i])
                copy.write_row(row)


def _prep(field_owner: type[models.Model], name: str) -> Callable[[Any], Any]:
    field = field_owner._meta.get_field(name)
    return lambda value: field.get_db_prep_value(value, connection)  # type: ignore[union-attr]


def seed(count: int, seed_value: int = 1) -> dict[str, int]:
    """``count`` help requests, referrals for seven in ten of them (half of all accepted, each
    the referral of one case), and ``count`` cases (about half completed), fast."""
    from amparo.accounts.models import User
    from amparo.accounts.roles import Role
    from amparo.cases.latest import latest_outcomes_sync
    from amparo.cases.models import Case, Outcome
    from amparo.cases.services import case_open
    from amparo.intake import codes
    from amparo.intake.models import HelpRequest
    from amparo.organizations.models import Membership, ProviderOrganization
    from amparo.referrals.models import Referral
    from amparo.vault.services import subject_create

    rng = random.Random(seed_value)
    lead = User.objects.create_user(email="bench-reports@example.org", role=Role.ATTORNEY)
    org = ProviderOrganization.objects.create(name="Bench Legal Services", slug="bench-legal")
    Membership.objects.create(user=lead, organization=org)
    request = HelpRequest.objects.create(
        reference=codes.new_reference(),
        status_code_hash=codes.status_code_hash("bench-status-code"),
        source="web",
        spoken_language="es",
        custody="detained",
        eligibility="eligible",
        state="waiting",
        subject=subject_create(kind="client"),
        name="Bench Person",
    )
    case = case_open(
        organization=org,
        lead_attorney=lead,
        subject=request.subject,
        client={"name": "Bench Person"},
        by=lead,
        custody="detained",
    )
    template_referral = Referral.objects.create(
        help_request=request,
        organization=org,
        status="accepted",
        method="single",
        conflict="clear",
        due_at=request.created_at + dt.timedelta(days=1),
        responded_at=request.created_at + dt.timedelta(hours=3),
    )
    now = dt.datetime.now(dt.UTC)
    when = _prep(Case, "opened_at")
    moments = [now - dt.timedelta(days=d, hours=rng.randrange(24)) for d in range(730)]
    days = [when(m) for m in moments]
    uid = _prep(Case, "id")
    prefix = rng.getrandbits(64) << 64

    def clone(
        model: type[models.Model], template: Any, make: Callable[[int], dict[str, Any]]
    ) -> None:
        base = _template_row(model, template.pk)
        columns = list(base)

        def rows() -> Iterator[tuple[Any, ...]]:
            i = 0
            while True:
                i += 1
                row = {**base, **make(i)}
                yield tuple(row[c] for c in columns)

        _insert(model, columns, rows(), count)

    eligibility = ("eligible", "eligible", "eligible", "ineligible", "unknown")

    def request_row(i: int) -> dict[str, Any]:
        return {
            "id": uid(uuid.UUID(int=prefix + i)),
            "reference": f"B{i:09d}",
            "custody": CUSTODIES[i % 3],
            "eligibility": eligibility[i % 5],
            "created_at": days[i % 730],
            # The referral marks the referrals below give it (amparo.referrals.marks): the
            # naive count reads the referrals themselves, and the run fails if they disagree.
            "referred_at": days[i % 730] if i % 10 < 7 else None,
            "accepted_at": when(moments[i % 730] + dt.timedelta(hours=i % 97))
            if i % 10 < 5
            else None,
        }

    clone(HelpRequest, request, request_row)

    # Referrals as routing leaves them: half the requests accepted (each becomes a case below),
    # a fifth declined or expired, the rest never referred. Their ids are given here (after the
    # template's), so that the cases can point at the accepted ones.
    base = template_referral.pk
    referral = _template_row(Referral, base)
    referral_columns = list(referral)
    request_fk = _prep(Referral, "help_request")

    def referral_rows() -> Iterator[tuple[Any, ...]]:
        for i in range(1, count + 1):
            kind = i % 10
            if kind >= 7:
                continue
            created = moments[i % 730]
            status = "accepted" if kind < 5 else ("declined" if kind == 5 else "expired")
            answered = None if status == "expired" else created + dt.timedelta(hours=i % 97)
            row = {
                **referral,
                "id": base + i,
                "help_request_id": request_fk(uuid.UUID(int=prefix + i)),
                "status": status,
                "sent_at": when(created),
                "due_at": when(created + dt.timedelta(days=1)),
                "responded_at": None if answered is None else when(answered),
            }
            yield tuple(row[c] for c in referral_columns)

    referrals = sum(1 for i in range(1, count + 1) if i % 10 < 7)
    _insert(Referral, referral_columns, referral_rows(), referrals)

    def case_row(i: int) -> dict[str, Any]:
        return {
            "id": uid(uuid.UUID(int=prefix + (1 << 40) + i)),
            "reference": f"B-{i:09d}",
            "custody": CUSTODIES[rng.randrange(3)],
            "status": "closed" if i % 2 else "active",
            "opened_at": days[i % 730],
            # The case of request i when its referral was accepted; else a case that came
            # to the provider directly.
            "referral_id": base + i if i % 10 < 5 else None,
        }

    clone(Case, case, case_row)

    # Outcomes for the closed half: one completion each, and a custody decision for a third.
    case_ids = list(
        Case.objects.filter(status="closed").exclude(pk=case.pk).values_list("pk", flat=True)
    )
    case_fk = _prep(Outcome, "case")
    decided = _prep(Outcome, "decision_date")(dt.date(2025, 1, 10))
    recorded = _prep(Outcome, "recorded_at")(now)
    columns = ["case_id", "kind", "relief", "in_absentia", "decided_by", "decision_date"]
    columns.append("recorded_at")

    def outcome_rows() -> Iterator[tuple[Any, ...]]:
        for n, pk in enumerate(case_ids):
            kind, relief = COMPLETIONS[rng.randrange(len(COMPLETIONS))]
            yield (case_fk(pk), kind, relief, False, "ij", decided, recorded)
            if n % 3 == 0:
                custody = "released" if n % 2 else "kept_detained"
                yield (case_fk(pk), custody, "", False, "ij", decided, recorded)

    outcomes = len(case_ids) + (len(case_ids) + 2) // 3
    _insert(Outcome, columns, outcome_rows(), outcomes)
    # Outcomes inserted in bulk, as the product's seed does: the cases' latest outcomes follow.
    with transaction.atomic():
        latest_outcomes_sync(Case.objects.all())
    if connection.vendor == "postgresql":
        # What autovacuum does to a database that grew over years: statistics for the planner,
        # and the visibility map that lets a query read an index without visiting the rows.
        # A million rows just copied in have neither until it comes round.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return {
        "requests": count + 1,
        "cases": count + 1,
        "referrals": referrals + 1,
        "outcomes": outcomes,
    }


def naive_figures() -> dict[str, Any]:
    """The public page's figures the slow way: every row through the ORM, counted in Python."""
    from amparo.cases.models import Case, Outcome
    from amparo.cases.outcomes import CUSTODY_KINDS, MERITS_KINDS, OutcomeCategory, category_of
    from amparo.intake.models import HelpRequest
    from amparo.referrals.models import Referral
    from amparo.reports.metrics import (
        CUSTODY_ROWS,
        OUTCOME_COLUMNS,
        RELIEF_TYPES,
        outcome_column,
    )

    referred: set[Any] = set()
    accepted: set[Any] = set()
    accepted_referrals: set[int] = set()
    for referral_pk, request_id, status in Referral.objects.values_list(
        "pk", "help_request_id", "status"
    ).iterator():
        referred.add(request_id)
        if status == "accepted":
            accepted.add(request_id)
            accepted_referrals.add(referral_pk)
    stages: Counter[str] = Counter()
    for pk, eligibility in HelpRequest.objects.values_list("pk", "eligibility").iterator(
        chunk_size=20_000
    ):
        if pk in accepted:
            stages["accepted"] += 1
        elif pk in referred:
            stages["referred"] += 1
        elif eligibility == "eligible":
            stages["eligible"] += 1
        else:
            stages["not_eligible"] += 1
    custody_of: dict[Any, str] = {}
    born = outside = 0  # cases from an accepted request, and cases with no request at all
    for case_pk, custody, referral_id in Case.objects.values_list(
        "pk", "custody", "referral_id"
    ).iterator(chunk_size=20_000):
        custody_of[case_pk] = custody
        born += referral_id in accepted_referrals
        outside += referral_id is None
    # each case under its latest final outcome and its latest custody decision
    final: dict[Any, tuple[Any, str, str]] = {}
    decision: dict[Any, tuple[Any, str]] = {}
    for case_id, kind, relief_kind, day, recorded, outcome_pk in Outcome.objects.values_list(
        "case_id", "kind", "relief", "decision_date", "recorded_at", "pk"
    ).iterator(chunk_size=20_000):
        order = (day, recorded, outcome_pk)
        if kind in CUSTODY_KINDS:
            if case_id not in decision or decision[case_id][0] < order:
                decision[case_id] = (order, kind)
        elif (kind in MERITS_KINDS or (kind == "bia_sustained" and relief_kind)) and (
            case_id not in final or final[case_id][0] < order
        ):
            final[case_id] = (order, kind, relief_kind)
    table = [[0] * len(OUTCOME_COLUMNS) for _ in CUSTODY_ROWS]
    relief_types: Counter[str] = Counter()
    relief = 0
    for case_id, (_order, kind, relief_kind) in final.items():
        row = CUSTODY_ROWS.index(custody_of[case_id])
        table[row][OUTCOME_COLUMNS.index(outcome_column(kind, relief_kind))] += 1
        if category_of(kind, relief_kind) == OutcomeCategory.RELIEF:
            relief += 1
            if relief_kind in RELIEF_TYPES:
                relief_types[relief_kind] += 1
    accepted_n = stages["accepted"]
    referred_n = accepted_n + stages["referred"]
    eligible_n = referred_n + stages["eligible"]
    return {
        "requests": eligible_n + stages["not_eligible"],
        "eligible": eligible_n,
        "referred": referred_n,
        "accepted": accepted_n,
        "represented": born,
        "outside": outside,
        "outcomes": table,
        "completed": len(final),
        "relief": relief,
        "relief_types": dict(relief_types),
        "custody_decisions": len(decision),
        "released": sum(1 for _o, k in decision.values() if k == "released"),
    }


def _timed(func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000


def run_reports_bench(*, cases: int, renders: int, seed_value: int = 1) -> dict[str, Any]:
    from django.test import Client

    from amparo.reports import metrics

    started = time.perf_counter()
    seeded = seed(cases, seed_value)
    seed_seconds = time.perf_counter() - started
    client = Client()

    def render() -> None:
        response = client.get("/impact/", HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code != 200:
            raise RuntimeError(f"/impact/ answered {response.status_code}")

    def render_from_snapshot() -> None:
        cache.clear()  # this process's copy gone: the page reads the newest snapshot
        render()

    from amparo.reports.snapshots import snapshot_refresh

    refreshes = [_timed(snapshot_refresh) for _ in range(max(1, min(renders, 3)))]
    from_snapshot = [_timed(render_from_snapshot) for _ in range(renders)]
    render()  # the cache is warm: visitors' renders from here on
    cached = [_timed(render) for _ in range(renders)]
    naive: dict[str, Any] = {}

    def run_naive() -> None:
        naive.update(naive_figures())

    naive_ms = _timed(run_naive)

    # The fast path and the naive one must agree, or the timing compares different work.
    m = metrics.compute()
    for key in ("requests", "eligible", "referred", "accepted", "represented"):
        if m.funnel[key] != naive[key]:
            raise RuntimeError(f"figures disagree on {key}: {m.funnel[key]} != {naive[key]}")
    if m.outside != naive["outside"]:
        raise RuntimeError(f"figures disagree on outside: {m.outside} != {naive['outside']}")
    if m.outcomes != naive["outcomes"] or m.completed != naive["completed"]:
        raise RuntimeError("outcome figures disagree with the naive computation")
    if (m.custody_decisions, m.released, m.relief) != (
        naive["custody_decisions"],
        naive["released"],
        naive["relief"],
    ):
        raise RuntimeError("custody or relief figures disagree with the naive computation")

    median_ms = statistics.median(cached)
    snapshot_ms = statistics.median(from_snapshot)
    refresh_ms = statistics.median(refreshes)
    return {
        "benchmark": "reports",
        "database": connection.vendor,
        "cases": seeded["cases"],
        "requests": seeded["requests"],
        "referrals": seeded["referrals"],
        "outcomes": seeded["outcomes"],
        "renders": renders,
        "seed_seconds": round(seed_seconds, 2),
        "median_ms": round(median_ms, 3),
        "snapshot_read_median_ms": round(snapshot_ms, 3),
        "refresh_ms": round(refresh_ms, 3),
        "naive_ms": round(naive_ms, 3),
        "refresh_ratio_vs_naive": round(refresh_ms / naive_ms, 5),
        "render_ratio_vs_snapshot_read": round(median_ms / snapshot_ms, 5),
        "compares": COMPARES,
        "goal_ms": GOAL_MS,
        "median_within_goal": median_ms < GOAL_MS,
    }


@register(
    "reports",
    "the impact figures at N cases: refresh vs a naive count; cached render vs snapshot read",
)
def reports_bench(argv: list[str]) -> dict[str, Any]:
    from bench.throwaway import throwaway_environment

    parser = argparse.ArgumentParser(prog="amparo bench reports")
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases to seed")
    parser.add_argument("--renders", type=int, default=15, help="renders of /impact/ timed")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.cases < 1 or args.renders < 1:
        parser.error("counts must be positive")
    with throwaway_environment():
        cache.clear()
        try:
            return run_reports_bench(cases=args.cases, renders=args.renders, seed_value=args.seed)
        finally:
            cache.clear()
