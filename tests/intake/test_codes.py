"""Status codes (issue #15, finding 8): neither the code nor its stored hash can be worked out
from the database and the settings' SECRET_KEY; they need the key provider's material."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils.crypto import salted_hmac

from amparo.intake import codes
from amparo.intake.models import HelpRequest


def _other_keys(settings: Any, tmp_path: Path) -> None:
    """Another key provider's material; the same SECRET_KEY and the same database."""
    settings.AMPARO = {
        **settings.AMPARO,
        "KEK_FILE": str(tmp_path / "other-keys" / "kek.key"),
        "BLIND_INDEX_KEY_FILE": None,
    }


def test_the_status_code_needs_the_key_provider_not_only_the_secret_key(
    settings: Any, tmp_path: Path
) -> None:
    token = "0123456789abcdef" * 2  # stored as the request's idempotency key
    code = codes.status_code_for_token(token)
    stored = codes.status_code_hash(code)
    assert codes.status_code_matches(code, stored)
    _other_keys(settings, tmp_path)
    assert codes.status_code_for_token(token) != code
    assert codes.status_code_hash(code) != stored
    assert not codes.status_code_matches(code, stored)


@pytest.mark.django_db
def test_a_code_hashed_with_the_secret_key_keeps_working_and_is_rehashed(submit: Any) -> None:
    submission = submit()
    request = submission.help_request
    legacy = salted_hmac(
        "amparo.intake.status-code",
        codes.normalize_code(submission.status_code),
        algorithm="sha256",
    ).hexdigest()
    HelpRequest.objects.filter(pk=request.pk).update(status_code_hash=legacy)
    response = Client().post(
        "/help/status/",
        {"reference": request.reference, "code": submission.status_code},
        follow=True,
    )
    assert "intake/public/status_result.html" in [t.name for t in response.templates]
    request.refresh_from_db()
    assert request.status_code_hash != legacy
    assert request.status_code_hash == codes.status_code_hash(submission.status_code)
