"""``amparo bench search [--records N] [--queries Q] [--real R] [--seed S]``.

Seeds N help requests and N cases (100,000 each by default) in a throwaway database with fresh
keys, then times mixed searches through the real service (``search_run``: permission, query
classification, the audit event, scoped selectors, blind-index lookups, the labels' decryption
and their audited reads): A-numbers and phones in several spellings, emails, request and case
references, a surname, a full name, for an intake worker (requests) and a provider admin (cases).

R records of each kind (200 by default) are made through the models, encrypted for real, and
the queries look for them; the rest are copies of one template row with their own name (encrypted for their row), blind indexes
and search keys (digests of generated names, A-numbers, phones, emails), so every index holds N
distinct entries with realistic collisions (common surnames) and the lookups cost what they
would. The baseline, in the same run on the same tables, is the cheapest search: a request by
its reference. Prints ``records``, ``p50_ms``, ``p99_ms``, ``baseline_p50_ms``,
``baseline_p99_ms``, ``p99_ms_by_kind`` (A-number, phone, email, reference, surname, full name),
``queries`` and ``goal_p99_ms``. Figures, not a test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, models, transaction

from bench.registry import register

GOAL_P99_MS = 50.0
BATCH = 2000


def _template_row(model: type[models.Model], pk: Any) -> dict[str, Any]:
    """The stored (already encrypted) column values of one row, as the database gives them."""
    names = [str(f.column) for f in model._meta.concrete_fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in names)
    table = connection.ops.quote_name(model._meta.db_table)
    key = model._meta.pk
    assert key is not None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quoted} FROM {table} WHERE {connection.ops.quote_name(str(key.column))} = %s",
            [key.get_db_prep_value(pk, connection)],
        )
        return dict(zip(names, cursor.fetchone(), strict=True))


def _insert(model: type[models.Model], columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
    done = 0
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, batch)
            done += len(batch)
            batch = []
    if batch:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
        done += len(batch)
    return done


def _prep(model: type[models.Model], name: str) -> Callable[[Any], Any]:
    field = model._meta.get_field(name)
    return lambda value: field.get_db_prep_value(value, connection)  # type: ignore[union-attr]


class _People:
    """Synthetic identities from a fixed seed: names from Faker's es_MX and en_US lists."""

    def __init__(self, seed: int) -> None:
        from faker import Faker

        self.fake = Faker(["es_MX", "en_US"])
        self.fake.seed_instance(seed)
        self.rng = random.Random(seed)

    def person(self, i: int) -> dict[str, str]:
        first, last, second = self.fake.first_name(), self.fake.last_name(), self.fake.last_name()
        return {
            "name": f"{first} {last} {second}",
            "a_number": f"{self.rng.randrange(10**8, 10**9):09d}",
            "phone": f"+1{self.rng.choice((303, 720, 970))}555{i % 10000:04d}",
            "email": f"p{i}.{self.rng.getrandbits(24):x}@example.org",
        }


def _sealed_name(model: type[models.Model], field: Any, template: Any, pk: Any, name: str) -> Any:
    """The name encrypted for its own row, as a save would store it: the labels of the records
    a common surname finds decrypt it."""
    row = model(id=pk, subject=template.subject)
    row.name = name  # type: ignore[attr-defined]
    return field.get_db_prep_value(field.pre_save(row, True), connection)


def _fill(model: type[models.Model], template: Any, count: int, people: _People, kind: str) -> None:
    """``count`` copies of ``template`` with their own id, reference, blind indexes and search
    keys (a request's, or a client's and its case's)."""
    from amparo.cases.models import Case, Client
    from amparo.search.models import SearchKey
    from amparo.search.services import name_tokens
    from amparo.vault.blind import digest

    base = _template_row(model, template.pk)
    columns = list(base)
    uid = _prep(model, "id")
    name_field = model._meta.get_field("name")
    key_base = _template_row(SearchKey, SearchKey.objects.filter(subject=template.subject)[0].pk)
    key_columns = list(key_base)
    key_uid = _prep(SearchKey, "id")
    owner = "help_request_id" if kind == "help_request" else "client_id"
    keys: list[tuple[Any, ...]] = []
    case_rows: list[tuple[Any, ...]] = []
    if kind == "client":
        case_base = _template_row(Case, Case.objects.get(client=template).pk)
        case_columns = list(case_base)
        case_uid = _prep(Case, "id")

    def rows() -> Iterator[tuple[Any, ...]]:
        for i in range(count):
            p = people.person(i)
            pk = uuid.uuid4()
            row = {
                **base,
                "id": uid(pk),
                "name": _sealed_name(model, name_field, template, pk, p["name"]),
                "name_index": digest(p["name"], normalizer="name"),
                "a_number_index": digest(p["a_number"], normalizer="a_number"),
                "phone_index": digest(p["phone"], normalizer="phone"),
            }
            if kind == "help_request":
                row["reference"] = f"H-B{i:03d}-{i // 1000:04d}"[:16]
            else:
                case_rows.append(
                    tuple(
                        {
                            **case_base,
                            "id": case_uid(uuid.uuid4()),
                            "reference": f"C-2026-B{i:07d}",
                            "client_id": row["id"],
                        }[c]
                        for c in case_columns
                    )
                )
            for token in name_tokens(p["name"]):
                keys.append(
                    tuple(
                        {
                            **key_base,
                            "id": key_uid(uuid.uuid4()),
                            owner: row["id"],
                            "help_request_id" if owner == "client_id" else "client_id": None,
                            "token_index": digest(token, normalizer="name", scope="name_token"),
                            "email_index": None,
                        }[c]
                        for c in key_columns
                    )
                )
            keys.append(
                tuple(
                    {
                        **key_base,
                        "id": key_uid(uuid.uuid4()),
                        owner: row["id"],
                        "help_request_id" if owner == "client_id" else "client_id": None,
                        "token_index": None,
                        "email_index": digest(p["email"], normalizer="email", scope="search_email"),
                    }[c]
                    for c in key_columns
                )
            )
            yield tuple(row[c] for c in columns)

    _insert(model, columns, rows())
    _insert(SearchKey, key_columns, iter(keys))
    if kind == "client":
        _insert(Case, case_columns, iter(case_rows))
    assert model in (Client,) or kind == "help_request"


def seed(records: int, real: int, seed_value: int) -> dict[str, Any]:
    """The people searched for (``real`` of each kind, made through the models) and the
    filler (``records - real`` of each kind); returns the users and the queries."""
    from amparo.accounts.models import User
    from amparo.accounts.roles import Role
    from amparo.cases.models import Case
    from amparo.cases.services import case_open
    from amparo.intake import codes
    from amparo.intake.models import HelpRequest
    from amparo.organizations.models import Membership, ProviderOrganization
    from amparo.vault.services import subject_create

    people = _People(seed_value)
    intake = User.objects.create_user(
        email="bench-search-intake@example.org", role=Role.INTAKE_WORKER
    )
    admin = User.objects.create_user(
        email="bench-search-admin@example.org", role=Role.PROVIDER_ADMIN
    )
    org = ProviderOrganization.objects.create(name="Bench Legal Services", slug="bench-legal")
    Membership.objects.create(user=admin, organization=org)
    requests, cases = [], []
    for i in range(real):
        p = people.person(10**7 + i)
        requests.append(
            (
                p,
                HelpRequest.objects.create(
                    reference=codes.new_reference(),
                    status_code_hash=codes.status_code_hash("bench-status-code"),
                    source="demo",
                    spoken_language="es",
                    custody="detained",
                    eligibility="eligible",
                    state="waiting",
                    subject=subject_create(kind="client"),
                    **p,
                ),
            )
        )
        q = people.person(2 * 10**7 + i)
        cases.append(
            (
                q,
                case_open(
                    organization=org,
                    lead_attorney=None,
                    subject=subject_create(kind="client"),
                    client=q,
                    by=admin,
                    custody="detained",
                ),
            )
        )
    filler = max(0, records - real)
    _fill(HelpRequest, requests[0][1], filler, people, "help_request")
    _fill(type(cases[0][1].client), cases[0][1].client, filler, people, "client")
    assert Case.objects.count() == records or filler == 0
    return {"intake": intake, "admin": admin, "requests": requests, "cases": cases}


def _queries(world: dict[str, Any], rng: random.Random) -> list[tuple[Any, str, str]]:
    """Mixed queries in the spellings people type, half for requests, half for cases."""
    mixed: list[tuple[Any, str, str]] = []
    for (p, request), (q, case) in zip(world["requests"], world["cases"], strict=True):
        a, phone = p["a_number"], p["phone"]
        surname = p["name"].split()[1]
        mixed += [
            (world["intake"], f"A {a[:3]}-{a[3:6]}-{a[6:]}", "a_number"),
            (world["intake"], f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}", "phone"),
            (world["intake"], p["email"].upper(), "email"),
            (world["intake"], request.reference.lower(), "reference"),
            (world["intake"], surname, "surname"),
            (world["admin"], q["a_number"], "a_number"),
            (world["admin"], q["name"].casefold(), "full_name"),
            (world["admin"], q["email"], "email"),
            (world["admin"], case.reference, "reference"),
            (world["admin"], q["name"].split()[2], "surname"),
        ]
    rng.shuffle(mixed)
    return mixed


def _time(calls: list[tuple[Any, str, str]]) -> list[float]:
    from amparo.search.services import search_run

    timings = []
    for user, query, _kind in calls:
        started = time.perf_counter()
        search_run(by=user, query=query)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def run_search_bench(*, records: int, queries: int, real: int, seed_value: int) -> dict[str, Any]:
    real = max(1, min(real, records))
    world = seed(records, real, seed_value)
    rng = random.Random(seed_value)
    mixed = _queries(world, rng)
    calls = [mixed[i % len(mixed)] for i in range(queries)]
    baseline_calls = [(world["intake"], r.reference, "reference") for _p, r in world["requests"]]
    baseline_calls = [baseline_calls[i % len(baseline_calls)] for i in range(queries)]
    _time(calls[: min(50, queries)])  # warm the caches (keys, statements) before timing
    ours, baseline = _time(calls), _time(baseline_calls)
    by_kind: dict[str, list[float]] = {}
    for (_user, _query, kind), ms in zip(calls, ours, strict=True):
        by_kind.setdefault(kind, []).append(ms)
    return {
        "p99_ms_by_kind": {k: round(_p99(v), 2) for k, v in sorted(by_kind.items())},
        "records": records,
        "queries": queries,
        "p50_ms": round(statistics.median(ours), 2),
        "p99_ms": round(_p99(ours), 2),
        "baseline_p50_ms": round(statistics.median(baseline), 2),
        "baseline_p99_ms": round(_p99(baseline), 2),
        "goal_p99_ms": GOAL_P99_MS,
        "database": connection.vendor,
    }


@register("search", "staff searches over N records vs a search by reference")
def search_bench(argv: list[str]) -> dict[str, Any]:
    from bench.throwaway import throwaway_environment

    parser = argparse.ArgumentParser(prog="amparo bench search")
    parser.add_argument("--records", type=int, default=100_000, help="requests and cases, each")
    parser.add_argument("--queries", type=int, default=2000, help="searches timed")
    parser.add_argument("--real", type=int, default=200, help="records made through the models")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.records < 1 or args.queries < 1 or args.real < 1:
        parser.error("counts must be positive")
    with throwaway_environment():
        return run_search_bench(
            records=args.records, queries=args.queries, real=args.real, seed_value=args.seed
        )
