from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from faker import Faker
from pytest_django import Settings

from amparo.vault.models import Subject
from amparo.vault.services import subject_create
from bench.models import SampleRecord

from .aliases import MakeRecord


@pytest.fixture(autouse=True)
def vault_keys(tmp_path: Path, settings: Settings) -> Path:
    """Each test gets its own key folder: a fresh KEK and blind-index root, created on first use."""
    folder = tmp_path / "keys"
    settings.AMPARO = {
        **settings.AMPARO,
        "KEK_FILE": str(folder / "kek.key"),
        "BLIND_INDEX_KEY_FILE": None,
    }
    return folder


@pytest.fixture
def fake() -> Faker:
    faker = Faker(["en_US", "es_MX"])
    faker.seed_instance(20261126)
    return faker


@pytest.fixture
def make_record(db: None, fake: Faker) -> MakeRecord:
    """make_record(**overrides) -> a saved SampleRecord of a new client subject, synthetic data."""

    def _make(subject: Subject | None = None, **overrides: Any) -> SampleRecord:
        values = {
            "full_name": fake.name(),
            "a_number": f"A{fake.random_int(10**8, 10**9 - 1):09d}",
            "date_of_birth": fake.date_between(
                datetime.date(1940, 1, 1), datetime.date(2020, 1, 1)
            ),
            "phone": f"(303) 555-{fake.random_int(0, 9999):04d}",
            "email": fake.unique.email(),
            "address": fake.address(),
            "country_of_birth": fake.country(),
            "detention_facility": fake.company(),
            "notes": fake.paragraph(),
            "history": [{"date": "2019-05-01", "event": fake.sentence()}],
        }
        values.update(overrides)
        return SampleRecord.objects.create(
            subject=subject or subject_create(kind="client"), **values
        )

    return _make
