from __future__ import annotations

import pytest

from amparo.intake.models import HelpRequest, RequestState

from .helpers import Submit

pytestmark = pytest.mark.django_db


def test_submit_screens_and_triages(submit: Submit) -> None:
    submission = submit()
    request = HelpRequest.objects.get(pk=submission.help_request.pk)
    assert request.state == RequestState.WAITING
    assert request.priority > 1000
    assert request.eligibility == "eligible"
