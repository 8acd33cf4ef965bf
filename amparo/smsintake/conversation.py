"""The questions of the text conversation, and how an answer moves it on.

Each question stands for a step of the public form (``amparo.intake.wizard.STEPS``): a text is
turned into that step's form data and checked by the step's own form, so a text answer is
refused or accepted by exactly the rules of ``/help/``, and the answers are kept in the
wizard's shape (by step slug). ``wizard.request_data`` then makes the request from them, as
it does for the web form.

Steps of the web form the conversation does not ask, to keep it short: the court (the hearing
date is asked), the county (the ZIP code is), a running deadline (answered "no, or I do not
know"; staff ask when they call), and the way to reach the person (this phone number, by
phone call; the person says whether a message about immigration is safe).

State (a dict, stored encrypted by :mod:`amparo.smsintake.services`): ``token`` (the
submission's idempotency key), ``lang``, ``q`` (the question waiting for an answer),
``answers`` (by web step slug), ``history`` (questions answered, for BACK), ``wrong`` (wrong
answers in a row), ``safe`` (a message may be left).
"""

from __future__ import annotations

import datetime
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation

from amparo.core.hearing_dates import check_next_hearing
from amparo.core.identity import fund_identity
from amparo.core.terms import Custody
from amparo.intake import wizard
from amparo.intake.models import ContactMethod, ForWhom
from amparo.intake.policy import public_policy

from . import messages as m

#: The questions in order; each names the web step it answers ("" for none).
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("for-whom", "for-whom"),
    ("name", "name"),
    ("detained", "detained"),
    ("facility", "facility"),
    ("a-number", "a-number"),
    ("hearing", "hearing"),
    ("missed", "missed"),
    ("where", "where"),
    ("household", "household"),
    ("income", "income"),
    ("spoken", "language"),
    ("safe", ""),
    ("consent", ""),
)
WEB_STEP = dict(QUESTIONS)
ORDER = [key for key, _slug in QUESTIONS]
#: Wrong answers in a row after which the hotline is offered.
WRONG_BEFORE_HOTLINE = 3


@dataclass
class Turn:
    """What one text did: the replies, and whether the conversation is over."""

    replies: list[str] = field(default_factory=list)
    submit: bool = False  # consent given: create the request now
    erase: bool = False  # the person asked to erase everything


def _web_state(state: dict[str, Any]) -> wizard.State:
    return wizard.State(token=state["token"], answers=state["answers"], started=time.time())


def _applies(key: str, state: dict[str, Any]) -> bool:
    if key == "facility":
        return _web_state(state).flat().get("custody") == Custody.DETAINED
    return True


def _next_question(state: dict[str, Any], after: str | None) -> str:
    start = 0 if after is None else ORDER.index(after) + 1
    return next(key for key in ORDER[start:] if _applies(key, state))


def _validate(slug: str, data: dict[str, Any], state: dict[str, Any]) -> dict[str, Any] | None:
    """The step's answers if its own form accepts ``data``, else None."""
    step = wizard.STEP_BY_SLUG[slug]
    form = step.form(data, policy=public_policy(), answers=_web_state(state).flat())
    return form.to_answers() if form.is_valid() else None


def _number(text: str) -> int | None:
    digits = text.strip().rstrip(".)")
    return int(digits) if digits.isdigit() and len(digits) <= 3 else None


def _income_bands() -> list[tuple[str, str]]:
    """The web form's income bands (key, short label), "I do not know" left out."""
    step = wizard.STEP_BY_SLUG["income"]
    form = step.form(None, policy=public_policy(), answers={})
    choices = form.fields["income_band"].choices  # type: ignore[attr-defined]
    bands = []
    for key, _label in choices:
        answers = _validate("income", {"income_band": key}, {"token": "", "answers": {}})
        if not key or answers is None or answers["income_low"] is None:
            continue
        low, high = answers["income_low"], answers["income_high"]
        if low == 0:
            label = m.band_under(f"${high // 1000}k")
        elif high is None:
            label = m.band_over(f"${low // 1000}k")
        else:
            label = f"${low // 1000}k-{high // 1000}k"
        bands.append((key, label))
    return bands


def _spoken_languages() -> dict[str, str]:
    """The web form's spoken languages (code: name in the active language)."""
    form = wizard.STEP_BY_SLUG["language"].form(None, policy=public_policy(), answers={})
    return {str(code): str(name) for code, name in form.fields["spoken_language"].choices}  # type: ignore[attr-defined]


def _facilities() -> list[str]:
    return [str(name) for name in public_policy().facility_names()]


def question(key: str, state: dict[str, Any]) -> str:
    """The text asking ``key``, in the active language."""
    if key == "facility":
        return m.facility(_facilities())
    if key == "income":
        return m.income([label for _key, label in _income_bands()])
    if key == "spoken":
        return m.spoken(dict(m.MENU_LANGUAGES).get(state["lang"], state["lang"]))
    asks: dict[str, Callable[[], str]] = {
        "for-whom": m.for_whom,
        "name": m.name,
        "detained": m.detained,
        "a-number": m.a_number,
        "hearing": m.hearing,
        "missed": m.missed,
        "where": m.where,
        "household": m.household,
        "safe": m.safe,
        "consent": m.consent,
    }
    return asks[key]()


def _language_named(text: str, current: str) -> str | None:
    wanted = m.fold(text)
    if not wanted:
        return None
    for code, native in m.MENU_LANGUAGES:
        if m.fold(native) == wanted:
            return code
    for language in {current, "en", "es"}:
        with translation.override(language):
            for code, name in _spoken_languages().items():
                if m.fold(name) == wanted:
                    return code
    return None


def _menu(text: str, options: list[Any]) -> Any:
    number = _number(text)
    if number is None or not 1 <= number <= len(options):
        return None
    return options[number - 1]


def _date_parts(text: str) -> dict[str, str]:
    parts = re.findall(r"\d+", text)
    if len(parts) != 3:
        parts = [*parts, "", "", ""][:3] if parts else ["x", "x", "x"]
    return {
        "next_hearing_day": parts[0],
        "next_hearing_month": parts[1],
        "next_hearing_year": parts[2],
    }


def _answer(key: str, text: str, state: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """The web step's answers for ``text`` (None if it cannot be used) and the hint to re-ask
    with (empty: re-ask with "reply with one of the numbers" and the question)."""
    slug = WEB_STEP[key]
    skip = text.strip() == "0"
    if key == "for-whom":
        choice = _menu(text, [ForWhom.SELF, ForWhom.FAMILY])
        return (_validate(slug, {"for_whom": choice}, state) if choice else None), ""
    if key == "name":
        return _validate(slug, {"name": text}, state), m.bad_name()
    if key == "detained":
        choice = _menu(text, [Custody.DETAINED, Custody.NEVER_DETAINED, Custody.RELEASED])
        return (_validate(slug, {"custody": choice}, state) if choice else None), ""
    if key == "facility":
        choice = "other" if skip else _menu(text, _facilities())
        return (_validate(slug, {"facility": choice}, state) if choice else None), ""
    if key == "a-number":
        return _validate(slug, {"a_number": "" if skip else text}, state), m.bad_a_number()
    if key == "hearing":
        data = {"court": "", **({} if skip else _date_parts(text))}
        return _validate(slug, data, state), m.bad_hearing()
    if key == "missed":
        choice = _menu(text, ["no", "missed", "ordered", "unknown"])
        return (_validate(slug, {"missed": choice}, state) if choice else None), ""
    if key == "where":
        data = {"zip_code": "" if skip else text.strip(), "county": ""}
        return _validate(slug, data, state), m.bad_zip()
    if key == "household":
        return _validate(slug, {"household_size": text.strip()}, state), m.bad_household()
    if key == "income":
        keys = [band for band, _label in _income_bands()] + ["unknown"]
        choice = _menu(text, keys)
        return (_validate(slug, {"income_band": choice}, state) if choice else None), ""
    if key == "spoken":
        code = state["lang"] if _number(text) == 1 else _language_named(text, state["lang"])
        if code is None:
            return None, m.bad_language()
        data = {"spoken_language": code, "needs_interpreter": "no" if code == "en" else "yes"}
        return _validate(slug, data, state), m.bad_language()
    if key in ("safe", "consent"):
        choice = _menu(text, ["1", "2"])
        return ({"choice": choice} if choice else None), ""
    raise KeyError(key)


def ascii_digits(text: str) -> str:
    """Digits of any script as ASCII: an Arabic keyboard types ``٣`` and ``٢٧ ٣ ٢٠٢٦``."""
    return "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text
    )


def begin(state: dict[str, Any]) -> list[str]:
    """The language is chosen: the intro and the first question."""
    state["q"] = ORDER[0]
    return [m.intro(state["lang"]), question(ORDER[0], state)]


def advance(state: dict[str, Any], text: str) -> Turn:
    """Move ``state`` on by the answer ``text`` to its waiting question (in the active
    language, which is the conversation's)."""
    text = ascii_digits(text)
    folded = m.fold(text)
    if folded in m.DELETE_WORDS:
        return Turn(erase=True)
    key = state["q"]
    if folded in m.BACK_WORDS:
        state["wrong"] = 0
        if not state["history"]:
            state["q"] = "language"
            return Turn([m.language_menu()])
        previous = state["history"].pop()
        state["answers"].pop(WEB_STEP[previous], None)
        state["q"] = previous
        return Turn([question(previous, state)])
    answers, hint = _answer(key, text, state)
    if answers is None:
        state["wrong"] = state.get("wrong", 0) + 1
        replies = [hint] if hint else [m.reply_number(), question(key, state)]
        if state["wrong"] >= WRONG_BEFORE_HOTLINE:
            replies.append(m.call_us(fund_identity().hotline))
        return Turn(replies)
    state["wrong"] = 0
    if key == "consent":
        if answers["choice"] == "2":
            return Turn(erase=True)
        return Turn(submit=True)
    if key == "safe":
        state["safe"] = answers["choice"] == "1"
    else:
        state["answers"][WEB_STEP[key]] = answers
    state["history"].append(key)
    if state.pop("returning", False):  # the one answer asked again before consent
        state["q"] = "consent"
    else:
        state["q"] = _next_question(state, key)
    return Turn([question(state["q"], state)])


def ask_again_if_stale(state: dict[str, Any]) -> list[str]:
    """Before creating the request: a hearing date that has passed since it was given (a pause
    of up to a day) is asked again, then consent; returns that re-ask, or nothing."""
    hearing = state["answers"].get("hearing", {}).get("next_hearing")
    if not hearing:
        return []
    try:
        check_next_hearing(datetime.date.fromisoformat(hearing))
    except ValidationError:
        state["answers"].pop("hearing")
        if "hearing" in state["history"]:
            state["history"].remove("hearing")
        state.update(q="hearing", returning=True, wrong=0)
        return [m.bad_hearing()]
    return []


def choose_language(text: str, current: str, *, by_number: bool = True) -> str | None:
    """The language a reply to the menu picks (its number or its name), or None. A first text
    picks by name only: a number there answers a question of a conversation that ended."""
    picked = _menu(ascii_digits(text), list(m.LANGUAGE_CODES)) if by_number else None
    code = picked or _language_named(text, current)
    return code if code in m.LANGUAGE_CODES else None


def completed_answers(state: dict[str, Any], phone: str) -> dict[str, Any] | None:
    """Every web step answered (the ones not asked filled in as the web form would be), checked
    by the steps' forms; None if one is refused."""
    state["answers"]["deadline"] = _validate(
        "deadline",
        {"deadline_kind": "", "deadline_date_day": "", "deadline_date_month": "",
         "deadline_date_year": ""},
        state,
    )  # fmt: skip
    contact = {"contact_method": ContactMethod.PHONE, "phone": phone}
    if state.get("safe"):
        contact["safe_to_leave_message"] = "on"
    state["answers"]["contact"] = _validate("contact", contact, state)
    web = _web_state(state)
    if any(value is None for value in state["answers"].values()) or web.first_unanswered():
        return None
    return web.flat()
