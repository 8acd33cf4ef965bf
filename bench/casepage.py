"""`amparo bench casepage [--cases N] [--hearings H] [--events E] [--requests M] [--seed S]`.

The real case detail page (``cases:detail``: the view, its selectors, its template, the
deadlines section) as its lead attorney sees it, protected and with protection off, in the same
run, alternating request by request.

Seeds a throwaway database through the product's services: one organization and its attorneys
(``amparo seed``'s generators), then N cases opened with ``case_open`` for clients with an
encrypted name, A-number, date of birth, phone, email, address and country, a detained client's
facility, H hearings (each with its pre-hearing filing deadline), E timeline lines with
protected details (those that start a clock get their deadlines), a second attorney on the team
and two adverse parties.

- **protected**: the page as it runs in production: every protected value decrypted from its
  ciphertext with the client's data key, the read written to the hash-chained audit log.
- **protection off**: the same URL, view, queries and template, with the vault's decryption
  replaced by the plaintext values already in memory (read once before the run) and the
  audit write skipped. The switch is :func:`protection_off`, a context manager in this module
  that patches the running process for the length of one request; nothing in ``amparo/`` or
  in any settings can turn it on (the product never imports ``bench``: an import contract).

Prints p50/p99 (ms) and throughput (requests per second, one client, no concurrency) of both,
``ratio`` = protected p50 ÷ protection-off p50 (goal: at most 1.1), and the queries each page
runs. Figures, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gc
import statistics
import time
from collections.abc import Iterator
from typing import Any
from unittest import mock

from django.db import connection, models, reset_queries
from django.db.models.signals import post_init
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.registry import register
from bench.throwaway import throwaway_environment

RATIO_GOAL = 1.1
DAY = datetime.timedelta(days=1)
_EVENT_KINDS = ("contact", "filing", "other", "change_of_address", "filing_received")


def _seed(cases: int, hearings: int, events: int, seed: int) -> tuple[Any, list[Any]]:
    """The lead attorney (signed-in viewer) and the cases, made through the product's services."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from faker import Faker

    from amparo.accounts.models import User
    from amparo.cases import services
    from amparo.core.seed import seed_run
    from amparo.vault.services import subject_create

    seed_run(seed=seed, counts={"organizations": 1, "attorneys": 2})
    lead, colleague = User.objects.filter(attorney_profile__isnull=False).order_by("email")[:2]
    TOTP.activate(lead, generate_totp_secret())
    org = lead.attorney_profile.organization
    fake = Faker(["es_MX", "en_US"])
    fake.seed_instance(seed)
    today = timezone.localdate()  # the fund's today: hearing dates are checked against it
    made = []
    for i in range(cases):
        case = services.case_open(
            organization=org,
            lead_attorney=lead,
            subject=subject_create(kind="client"),
            client={
                "name": f"{fake.first_name()} {fake.last_name()} {fake.last_name()}",
                "a_number": f"A{200_000_000 + i * 7919:09d}",
                "date_of_birth": datetime.date(1970, 1, 1) + DAY * (i * 97 % 15000),
                "phone": f"(303) 555-{i % 10000:04d}",
                "email": f"client{i}@example.net",
                "address": f"{fake.street_address()}\nDenver, CO 802{i % 90 + 10}",
                "country_of_birth": fake.country(),
            },
            custody="detained",
            facility="Aurora Contract Detention Facility",
            court="Aurora Immigration Court",
            by=lead,
        )
        services.team_add(case=case, user=colleague, role="attorney", by=lead)
        for h in range(hearings):
            services.hearing_add(
                case=case,
                kind="master" if h % 2 == 0 else "individual",
                date=today + DAY * (20 + 30 * h),
                time=datetime.time(8, 30),
                judge="Judge A. Whitfield",
                mode="video",
                by=lead,
            )
        for e in range(events):
            services.event_add(
                case=case,
                kind=_EVENT_KINDS[e % len(_EVENT_KINDS)],
                date=today - DAY * (5 + e),
                details=fake.sentence(nb_words=12),
                by=lead,
            )
        for _ in range(2):
            services.adverse_party_add(
                case=case, name=fake.name(), relationship="Former employer", by=lead
            )
        made.append(case)
    return lead, made


def _encrypted_models() -> list[type[models.Model]]:
    from django.apps import apps

    from amparo.vault.fields import EncryptedField

    return [
        model
        for model in apps.get_models()
        if any(isinstance(f, EncryptedField) for f in model._meta.concrete_fields)
    ]


def _plaintexts() -> dict[tuple[Any, str, Any], Any]:
    """Every protected value of the throwaway database, decrypted once, by (field, row id)."""
    from amparo.vault.fields import EncryptedField

    plain: dict[tuple[Any, str, Any], Any] = {}
    for model in _encrypted_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
        for row in model._base_manager.all():
            for field in fields:
                plain[(model, field.attname, row.pk)] = getattr(row, field.attname)
    return plain


@contextlib.contextmanager
def protection_off(plain: dict[tuple[Any, str, Any], Any]) -> Iterator[None]:
    """For the length of the block, in this process only: reading a protected attribute
    answers the plaintext from ``plain`` (no data key, no AES), loaded rows are not bound to
    their place, and the audit log is not written. Bench-only: no setting reaches it."""
    from amparo.vault import fields as vault_fields

    def open_plain(self: Any, instance: Any, sealed: Any, bound: Any = None) -> Any:
        return plain[(self.model, self.attname, instance.pk)]

    protected = _encrypted_models()
    for model in protected:
        post_init.disconnect(vault_fields._bind_loaded_ciphertexts, sender=model)
    try:
        with (
            mock.patch.object(vault_fields.EncryptedField, "open", open_plain),
            mock.patch("amparo.audit.reads.audit_record", lambda **kwargs: None),
        ):
            yield
    finally:
        for model in protected:
            post_init.connect(vault_fields._bind_loaded_ciphertexts, sender=model)


@contextlib.contextmanager
def _templates_uninstrumented() -> Iterator[None]:
    """Templates rendered as in production: the test environment's instrumented rendering
    (a copy of every context, for ``response.context``) would add its cost to both pages."""
    from django.template.base import Template
    from django.test import utils

    saved = getattr(utils._TestState, "saved_data", None)  # what setup_test_environment replaced
    original = getattr(saved, "template_render", None)
    if original is None or getattr(Template, "_render", None) is original:
        yield
        return
    with mock.patch.object(Template, "_render", original):
        yield


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _figures(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(samples) * 1000, 3),
        "p99_ms": round(_percentile(samples, 0.99) * 1000, 3),
        "per_second": round(len(samples) / sum(samples), 1),
    }


def measure(*, cases: int, hearings: int, events: int, requests: int, seed: int) -> dict[str, Any]:
    """Seed, then time the page both ways in whatever database is current."""
    lead, made = _seed(cases, hearings, events, seed)
    plain = _plaintexts()
    with _templates_uninstrumented():
        return _measure(lead, made, plain, requests)


def _measure(
    lead: Any, made: list[Any], plain: dict[tuple[Any, str, Any], Any], requests: int
) -> dict[str, Any]:
    from amparo.audit.models import AuditEvent

    client = Client()
    client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
    urls = [reverse("cases:detail", args=[case.pk]) for case in made]
    marker = made[0].client.name  # a decrypted value the page must show, both ways

    def get(url: str) -> float:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"the case page answered {response.status_code}")
        return elapsed

    def get_plain(url: str) -> float:
        with protection_off(plain):
            return get(url)

    # Both ways show the same page; only the protected one writes the audit event.
    client.get(urls[0])  # the first request warms the per-process caches (rules, templates)
    reset_queries()  # the test client's request_started resets the log: start from empty
    with CaptureQueriesContext(connection) as on_queries:
        page_on = client.get(urls[0]).content.decode()
    queries_on = len(on_queries.captured_queries)  # now: every request empties the log
    reset_queries()
    with protection_off(plain), CaptureQueriesContext(connection) as off_queries:
        page_off = client.get(urls[0]).content.decode()
    queries_off = len(off_queries.captured_queries)
    if marker not in page_on or marker not in page_off:
        raise RuntimeError("the case page does not show the client's name")
    for url in urls[:5]:  # warm caches and templates
        get(url)
        get_plain(url)
    audited_before = AuditEvent.objects.filter(action="read").count()
    on: list[float] = []
    off: list[float] = []
    gc.collect()
    gc.disable()  # as timeit does: a collection landing in one sample is noise, not cost
    try:
        for i in range(requests):
            url = urls[i % len(urls)]
            if i % 2:  # alternate which goes first, so drift hits both alike
                on.append(get(url))
                off.append(get_plain(url))
            else:
                off.append(get_plain(url))
                on.append(get(url))
    finally:
        gc.enable()
    audited = AuditEvent.objects.filter(action="read").count() - audited_before
    protected, unprotected = _figures(on), _figures(off)
    ratio = protected["p50_ms"] / unprotected["p50_ms"]
    return {
        "benchmark": "casepage",
        "database": connection.vendor,
        "cases": len(made),
        "requests": requests,
        "protected_p50_ms": protected["p50_ms"],
        "protected_p99_ms": protected["p99_ms"],
        "protected_per_second": protected["per_second"],
        "off_p50_ms": unprotected["p50_ms"],
        "off_p99_ms": unprotected["p99_ms"],
        "off_per_second": unprotected["per_second"],
        "ratio": round(ratio, 3),
        "ratio_goal": RATIO_GOAL,
        "ratio_within_goal": ratio <= RATIO_GOAL,
        "queries_protected": queries_on,
        "queries_off": queries_off,
        "audit_reads_written": audited,
        "compares": "ratio: p50 of the case detail page (decrypted, read audited) ÷ p50 of the "
        "same page with plaintext already in memory and no audit write",
    }


@register("casepage", "the case detail page, protected vs the same page with protection off")
def casepage_bench(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="amparo bench casepage")
    parser.add_argument("--cases", type=int, default=20, help="cases seeded and cycled through")
    parser.add_argument("--hearings", type=int, default=4, help="hearings per case")
    parser.add_argument("--events", type=int, default=12, help="timeline lines per case")
    parser.add_argument("--requests", type=int, default=300, help="page requests of each kind")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if min(args.cases, args.requests) < 1 or min(args.hearings, args.events) < 0:
        parser.error("counts must be positive")
    started = time.perf_counter()
    result: dict[str, Any] = {"hearings_per_case": args.hearings, "events_per_case": args.events}
    with throwaway_environment():
        result |= measure(
            cases=args.cases,
            hearings=args.hearings,
            events=args.events,
            requests=args.requests,
            seed=args.seed,
        )
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result
