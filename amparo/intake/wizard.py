"""The public form's steps and where their answers wait until the person consents.

Answers live in the session (never in URLs), encrypted with AES-256-GCM under a key derived
from the vault's root key, which is not in the database: the session table, its backups and
the logs never hold the answers in the clear. Nothing is created until the last page, after
consent; the state is dropped as soon as the request exists.
"""

from __future__ import annotations

import base64
import datetime
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.contrib.sessions.backends.base import SessionBase
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amparo.core.terms import Custody
from amparo.vault.crypto import derive_key
from amparo.vault.keys import get_provider

from .forms import public as f
from .models import ForWhom
from .services import RequestData

SESSION_KEY = "amparo_help"
DONE_KEY = "amparo_help_done"
_AAD = b"amparo-help-wizard-v1"
#: A started form is forgotten after this long without being sent (the session may live on).
MAX_AGE_SECONDS = 2 * 3600


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[f.StepForm]
    title: Promise
    applies: Callable[[dict[str, Any]], bool] = lambda answers: True


STEPS: tuple[Step, ...] = (
    Step("for-whom", f.ForWhomStep, _("Who needs a lawyer?")),
    Step("name", f.NameStep, _("Name")),
    Step("detained", f.CustodyStep, _("Detention")),
    Step(
        "facility",
        f.FacilityStep,
        _("Detention facility"),
        lambda a: a.get("custody") == Custody.DETAINED,
    ),
    Step("a-number", f.ANumberStep, _("A-number")),
    Step("hearing", f.HearingStep, _("Court hearing")),
    Step("missed", f.MissedHearingStep, _("Missed hearing")),
    Step("deadline", f.DeadlineStep, _("Deadline")),
    Step("where", f.ResidenceStep, _("Where they live")),
    Step("household", f.HouseholdStep, _("Household")),
    Step("income", f.IncomeStep, _("Income")),
    Step("language", f.LanguageStep, _("Language")),
    Step("contact", f.ContactStep, _("How to reach you")),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def _cipher() -> AESGCM:
    return AESGCM(derive_key(get_provider().blind_index_root(), "amparo-help-wizard-v1"))


def _seal(data: dict[str, Any]) -> str:
    nonce = secrets.token_bytes(12)
    sealed = _cipher().encrypt(nonce, json.dumps(data, separators=(",", ":")).encode(), _AAD)
    return base64.b64encode(nonce + sealed).decode()


def _open(blob: Any) -> dict[str, Any] | None:
    if not isinstance(blob, str):
        return None
    try:
        raw = base64.b64decode(blob)
        data = json.loads(_cipher().decrypt(raw[:12], raw[12:], _AAD))
    except (ValueError, InvalidTag, TypeError):
        return None
    return data if isinstance(data, dict) else None


@dataclass
class State:
    token: str
    answers: dict[str, dict[str, Any]]
    started: float

    def flat(self) -> dict[str, Any]:
        """Every answer of every step that still applies, in one dict."""
        merged: dict[str, Any] = {}
        for step in STEPS:
            if step.slug in self.answers and step.applies(merged):
                merged.update(self.answers[step.slug])
        return merged

    def applicable(self) -> list[Step]:
        merged: dict[str, Any] = {}
        result = []
        for step in STEPS:
            if step.applies(merged):
                result.append(step)
                merged.update(self.answers.get(step.slug, {}))
        return result

    def first_unanswered(self) -> Step | None:
        return next((s for s in self.applicable() if s.slug not in self.answers), None)

    def next_after(self, slug: str) -> Step | None:
        steps = self.applicable()
        slugs = [s.slug for s in steps]
        if slug not in slugs:
            return self.first_unanswered()
        for step in steps[slugs.index(slug) + 1 :]:
            return step
        return None

    def previous_before(self, slug: str) -> Step | None:
        steps = self.applicable()
        slugs = [s.slug for s in steps]
        if slug not in slugs or slugs.index(slug) == 0:
            return None
        return steps[slugs.index(slug) - 1]

    def position(self, slug: str) -> tuple[int, int]:
        slugs = [s.slug for s in self.applicable()]
        return (slugs.index(slug) + 1 if slug in slugs else 0), len(slugs)


def start(session: SessionBase) -> State:
    state = State(token=secrets.token_hex(16), answers={}, started=time.time())
    save(session, state)
    session.pop(DONE_KEY, None)
    return state


def load(session: SessionBase) -> State | None:
    data = _open(session.get(SESSION_KEY))
    if data is None:
        return None
    try:
        state = State(
            token=str(data["token"]), answers=dict(data["answers"]), started=float(data["started"])
        )
    except (KeyError, TypeError, ValueError):
        return None
    if time.time() - state.started > MAX_AGE_SECONDS:
        clear(session)
        return None
    return state


def save(session: SessionBase, state: State) -> None:
    session[SESSION_KEY] = _seal(
        {"token": state.token, "answers": state.answers, "started": state.started}
    )


def clear(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


def remember_done(session: SessionBase, *, reference: str, status_code: str, token: str) -> None:
    session[DONE_KEY] = _seal({"reference": reference, "status_code": status_code, "token": token})


def done(session: SessionBase) -> dict[str, Any] | None:
    return _open(session.get(DONE_KEY))


def forget_done(session: SessionBase) -> None:
    session.pop(DONE_KEY, None)


def request_data(answers: dict[str, Any], *, language: str) -> RequestData:
    """The help request the answers describe (:meth:`State.flat`), for ``help_request_submit``:
    one translation of answers into a request for every door that asks these steps (the web
    form, the text conversation of ``amparo.smsintake``)."""
    hearing = answers.get("next_hearing")
    deadline = answers.get("deadline_date")
    return RequestData(
        name=answers["name"],
        custody=answers["custody"],
        contact_method=answers["contact_method"],
        language=language,
        spoken_language=answers.get("spoken_language") or language,
        needs_interpreter=bool(answers.get("needs_interpreter")),
        for_whom=answers.get("for_whom", ForWhom.SELF),
        facility=answers.get("facility", ""),
        a_number=answers.get("a_number", ""),
        next_hearing=datetime.date.fromisoformat(hearing) if hearing else None,
        court=answers.get("court", ""),
        missed_hearing=bool(answers.get("missed_hearing")),
        in_absentia_order=bool(answers.get("in_absentia_order")),
        deadline_kind=answers.get("deadline_kind") or "",
        deadline_date=datetime.date.fromisoformat(deadline) if deadline else None,
        zip_code=answers.get("zip_code", ""),
        county=answers.get("county", ""),
        household_size=answers.get("household_size"),
        income_low=answers.get("income_low"),
        income_high=answers.get("income_high"),
        phone=answers.get("phone", ""),
        email=answers.get("email", ""),
        relative_name=answers.get("relative_name", ""),
        relative_phone=answers.get("relative_phone", ""),
        safe_to_leave_message=bool(answers.get("safe_to_leave_message")),
    )
