"""`amparo bench vault [--records N] [--requests M] [--pages P] [--seed S]`.

Prints, as one JSON object on the last line:

- ``records_per_second``: synthetic records with ten protected fields, each encrypted (AES-256-GCM
  with its row's AAD) and decrypted again, per second, through the model fields themselves;
- ``page_ratio``: the median time of a protected detail page (ten encrypted fields decrypted and
  rendered, the read audited) divided by the median of its plaintext twin, both through the
  test client and the whole middleware stack, measured alternately in the same run. Goal: at
  most ``page_ratio_goal`` (1.3).

The protected page is ``bench.views.protected_detail``, with the shape of a case's detail page
(fetch and authorize, ten protected fields, an audited read) but little else, so the audit write
weighs more in it than in a real page. The real case detail page, against the same page with
protection off, is ``amparo bench casepage`` (:mod:`bench.casepage`).

Runs in a throwaway database (a temporary SQLite file, or a temporary PostgreSQL database when
``DATABASE_URL`` names one) with throwaway keys: it never touches real data or real keys.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import random
import statistics
import time
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from amparo.vault.fields import EncryptedField, Sealed
from amparo.vault.services import subject_create
from bench.registry import register
from bench.throwaway import throwaway_environment

PAGE_RATIO_GOAL = 1.3


def _synthetic(count: int, seed: int) -> list[dict[str, Any]]:
    from faker import Faker

    fake = Faker(["en_US", "es_MX"])
    fake.seed_instance(seed)
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        rows.append(
            {
                "full_name": fake.name(),
                "a_number": f"A{rng.randrange(10**8, 10**9):09d}",
                "date_of_birth": fake.date_of_birth(minimum_age=1, maximum_age=90),
                "phone": f"+1303555{rng.randrange(10**4):04d}",
                "email": fake.unique.email(),
                "address": fake.address(),
                "country_of_birth": fake.country(),
                "detention_facility": fake.company(),
                "notes": fake.paragraph(nb_sentences=6),
                "history": [
                    {
                        "date": fake.date_between(start_date="-15y").isoformat(),
                        "event": fake.sentence(),
                    }
                    for _ in range(3)
                ],
                "label": "bench",
            }
        )
    return rows


def measure_records_per_second(records: int, seed: int = 1) -> float:
    """Encrypt and decrypt ``records`` records of ten protected fields, in memory."""
    from bench.models import SampleRecord

    subject = subject_create(kind="client")
    data = _synthetic(records, seed)
    fields = [f for f in SampleRecord._meta.concrete_fields if isinstance(f, EncryptedField)]
    instances = [SampleRecord(subject=subject, **row) for row in data]
    start = time.perf_counter()
    for instance in instances:
        sealed = {field.attname: field.pre_save(instance, True) for field in fields}
        loaded = SampleRecord(id=instance.pk, subject=subject, **sealed)
        for field in fields:
            assert isinstance(loaded.__dict__[field.attname], Sealed)
            getattr(loaded, field.attname)
    elapsed = time.perf_counter() - start
    return records / elapsed if elapsed > 0 else float("inf")


def _page_user() -> Any:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from amparo.accounts.models import User
    from amparo.accounts.roles import Role

    user = User.objects.create_user(email=f"bench-{time.time_ns()}@example.org", role=Role.ATTORNEY)
    TOTP.activate(user, generate_totp_secret())
    return user


def _alternate(
    requests: int, urls: list[tuple[str, str]], timed: Any, on: list[float], off: list[float]
) -> None:
    for i in range(requests):
        protected_url, plain_url = urls[i % len(urls)]
        if i % 2:  # alternate which goes first, so drift hits both alike
            on.append(timed(protected_url))
            off.append(timed(plain_url))
        else:
            off.append(timed(plain_url))
            on.append(timed(protected_url))


def measure_page_ratio(requests: int, pages: int = 25, seed: int = 2) -> dict[str, Any]:
    """Median protected-page time over median plaintext-twin time, alternating requests."""
    from bench.models import PlainSampleRecord, SampleRecord

    rows = _synthetic(pages, seed)
    protected, plain = [], []
    for row in rows:
        protected.append(SampleRecord.objects.create(subject=subject_create(kind="client"), **row))
        plain.append(PlainSampleRecord.objects.create(**row))
    client = Client()
    client.force_login(_page_user(), backend="django.contrib.auth.backends.ModelBackend")

    def timed(url: str) -> float:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"bench page answered {response.status_code}")
        return elapsed

    with override_settings(ROOT_URLCONF="bench.urls"):
        urls = [
            (f"/vault-bench/protected/{p.pk}/", f"/vault-bench/plain/{q.pk}/")
            for p, q in zip(protected, plain, strict=True)
        ]
        for protected_url, plain_url in urls[: min(len(urls), 5)]:  # warm caches and templates
            timed(protected_url)
            timed(plain_url)
        on: list[float] = []
        off: list[float] = []
        gc.collect()
        gc.disable()  # as timeit does: a collection landing in one sample is noise, not cost
        try:
            _alternate(requests, urls, timed, on, off)
        finally:
            gc.enable()
    on_ms, off_ms = statistics.median(on) * 1000, statistics.median(off) * 1000
    return {
        "page_median_ms_protected": round(on_ms, 3),
        "page_median_ms_plain": round(off_ms, 3),
        "page_ratio": round(on_ms / off_ms, 3),
    }


def run_vault_bench(
    *, records: int, requests: int, pages: int = 25, seed: int = 1
) -> dict[str, Any]:
    """The measurements, in whatever database is current (the bench command makes a throwaway one)."""
    per_second = measure_records_per_second(records, seed)
    page = measure_page_ratio(requests, pages, seed + 1)
    return {
        "benchmark": "vault",
        "database": connection.vendor,
        "records": records,
        "fields_per_record": 10,
        "records_per_second": round(per_second, 1),
        "requests": requests,
        **page,
        "page_ratio_goal": PAGE_RATIO_GOAL,
        "page_ratio_within_goal": page["page_ratio"] <= PAGE_RATIO_GOAL,
        "page": "a stand-in page of the vault's own; the real case page: amparo bench casepage",
    }


@register("vault", "encrypted fields per second; a protected page vs its plaintext twin")
def vault_bench(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="amparo bench vault")
    parser.add_argument("--records", type=int, default=5000, help="records encrypted and decrypted")
    parser.add_argument("--requests", type=int, default=300, help="page requests of each kind")
    parser.add_argument(
        "--pages", type=int, default=25, help="distinct protected records to cycle through"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.records < 1 or args.requests < 1 or args.pages < 1:
        parser.error("counts must be positive")
    started = datetime.datetime.now(datetime.UTC)
    with throwaway_environment():
        result = run_vault_bench(
            records=args.records, requests=args.requests, pages=args.pages, seed=args.seed
        )
    result["seconds"] = round((datetime.datetime.now(datetime.UTC) - started).total_seconds(), 2)
    return result
