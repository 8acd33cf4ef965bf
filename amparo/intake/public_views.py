"""The public front door at /help/: one question per page, no account, no JavaScript needed.

Answers wait in the session, encrypted (``wizard``); nothing is saved as a request until the
person has read what happens to their data and agreed. Every page is ``no-store``: a shared or
borrowed phone keeps nothing in its cache. Posting is rate-limited per address.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from amparo.core.bidi import join_html, ltr
from amparo.core.ratelimit import rate_limit
from amparo.core.services import SYSTEM
from amparo.core.terms import Custody
from amparo.ledger.currency import format_money
from amparo.organizations.languages import language_name

from . import codes, hooks, wizard
from .explain import eligibility_sentences, public_status
from .forms import ConsentForm, StatusForm
from .models import ContactMethod, DeadlineKind, ForWhom, HelpRequest, RequestState, Source
from .policy import public_policy
from .presentation import annotate
from .services import help_request_submit, status_code_rehash

RIGHTS_URL = "/rights/"
#: The request whose status was just found, for the one page shown after the redirect.
STATUS_KEY = "amparo_help_status"


def _current_language() -> str:
    return (get_language() or "en").split("-")[0]


def _step_url(slug: str) -> str:
    return reverse("help:step", kwargs={"slug": slug})


def _expired(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Your answers were cleared to keep them private. Please start again."))
    return redirect("help:start")


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("help-step", per_ip="60/m")
def help_start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        wizard.start(request.session)
        return redirect(_step_url(wizard.STEPS[0].slug))
    state = wizard.load(request.session)
    policy = public_policy()
    return render(
        request,
        "intake/public/start.html",
        {
            "in_progress": state is not None and bool(state.answers),
            "retention_days": policy.retention_days,
        },
    )


def _initial(step: wizard.Step, answers: dict[str, Any]) -> dict[str, Any]:
    stored = dict(answers)
    if step.slug == "income":
        band = stored.get("income_band")
        if band:
            return {"income_band": band}
        if stored.get("income_low") is not None:
            return {"income_exact": str(stored["income_low"])}
        return {}
    if step.slug == "language":
        return {
            "spoken_language": stored.get("spoken_language") or _current_language(),
            "needs_interpreter": {True: "yes", False: "no"}.get(bool(stored["needs_interpreter"]))
            if "needs_interpreter" in stored
            else None,
        }
    if step.slug == "facility" and "facility" in stored and not stored["facility"]:
        return {"facility": "other"}
    return stored


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("help-step", per_ip="60/m")
def help_step(request: HttpRequest, slug: str) -> HttpResponse:
    step = wizard.STEP_BY_SLUG.get(slug)
    if step is None:
        raise Http404
    state = wizard.load(request.session)
    if state is None:
        return _expired(request)
    applicable = state.applicable()
    if step not in applicable:
        following = state.first_unanswered()
        return redirect(_step_url(following.slug) if following else reverse("help:check"))
    for earlier in applicable[: applicable.index(step)]:
        if earlier.slug not in state.answers:
            return redirect(_step_url(earlier.slug))  # no skipping ahead by typing a URL
    policy = public_policy()
    answers = state.flat()
    form = step.form(
        request.POST if request.method == "POST" else None,
        policy=policy,
        answers=answers,
        initial=_initial(step, state.answers.get(slug, {})),
    )
    returning = request.POST.get("return") == "check" or request.GET.get("return") == "check"
    if request.method == "POST" and form.is_valid():
        state.answers[slug] = form.to_answers()
        wizard.save(request.session, state)
        following = state.first_unanswered() if returning else state.next_after(slug)
        if following is None or (returning and state.first_unanswered() is None):
            return redirect("help:check")
        return redirect(_step_url(following.slug))
    annotate(form)
    previous = state.previous_before(slug)
    number, total = state.position(slug)
    return render(
        request,
        "intake/public/step.html",
        {
            "form": form,
            "step": step,
            "number": number,
            "total": total,
            "back_url": reverse("help:check")
            if returning
            else (_step_url(previous.slug) if previous else reverse("help:start")),
            "returning": returning,
            "about_self": answers.get("for_whom") != ForWhom.FAMILY,
        },
    )


def _summary(answers: dict[str, Any]) -> list[dict[str, str]]:
    """What the person told us, to check before sending (their own answers, on their screen).

    Values are HTML: an A-number, a ZIP code, a phone number or an email address is isolated
    left to right (:func:`amparo.core.bidi.ltr`) so it keeps its order on a right-to-left page.
    """
    rows: list[dict[str, str]] = []

    def add(slug: str, label: str, value: str) -> None:
        rows.append(
            {
                "label": label,
                "value": value or _("Not given"),
                "url": _step_url(slug) + "?return=check",
            }
        )

    add(
        "for-whom",
        pgettext("help summary", "Who needs a lawyer"),
        _("Myself")
        if answers.get("for_whom") == ForWhom.SELF
        else _("A family member or someone close to me"),
    )
    add("name", pgettext("help summary", "Name"), answers.get("name", ""))
    add(
        "detained",
        pgettext("help summary", "Detained"),
        str(dict(Custody.choices).get(answers.get("custody", ""), "")),
    )
    if answers.get("custody") == Custody.DETAINED:
        add(
            "facility",
            pgettext("help summary", "Detention facility"),
            answers.get("facility") or _("Somewhere else, or I do not know"),
        )
    add("a-number", pgettext("help summary", "A-number"), ltr(answers.get("a_number", "")))
    hearing = answers.get("next_hearing")
    hearing_text = ""
    if hearing:
        hearing_text = date_format(datetime.date.fromisoformat(hearing), "DATE_FORMAT")
    add(
        "hearing",
        pgettext("help summary", "Next hearing"),
        " — ".join(v for v in (hearing_text, answers.get("court", "")) if v),
    )
    missed = {
        "missed": _("Yes, a hearing was missed"),
        "ordered": _("Yes, and the judge ordered removal because of it (in absentia)"),
        "no": _("No"),
        "unknown": _("I do not know"),
    }
    add(
        "missed",
        pgettext("help summary", "Missed a hearing"),
        str(missed.get(answers.get("missed", ""), "")),
    )
    deadline = answers.get("deadline_date")
    deadline_text = ""
    if deadline and answers.get("deadline_kind"):
        kind = str(dict(DeadlineKind.choices).get(answers["deadline_kind"], ""))
        deadline_text = (
            f"{kind} — {date_format(datetime.date.fromisoformat(deadline), 'DATE_FORMAT')}"
        )
    add(
        "deadline",
        pgettext("help summary", "Deadline"),
        deadline_text or str(_("No, or I do not know")),
    )
    add(
        "where",
        pgettext("help summary", "ZIP code and county"),
        join_html(" — ", (ltr(answers.get("zip_code", "")), answers.get("county", ""))),
    )
    add(
        "household",
        pgettext("help summary", "People in the household"),
        str(answers.get("household_size", "")),
    )
    low, high = answers.get("income_low"), answers.get("income_high")
    if low is None:
        income = _("I do not know, or prefer not to say")
    elif high is None:
        income = _("More than %(low)s") % {"low": format_money(low * 100, "USD", whole=True)}
    elif low == high:
        income = format_money(low * 100, "USD", whole=True)
    else:
        income = " – ".join(format_money(v * 100, "USD", whole=True) for v in (low, high))
    add("income", pgettext("help summary", "Yearly income"), income)
    language = language_name(answers.get("spoken_language", ""))
    if answers.get("needs_interpreter"):
        language = _("%(language)s, with an interpreter") % {"language": language}
    add("language", pgettext("help summary", "Language"), language)
    method = answers.get("contact_method", "")
    contact = str(dict(ContactMethod.choices).get(method, ""))
    detail = {
        ContactMethod.PHONE: ltr(answers.get("phone", "")),
        ContactMethod.WHATSAPP: ltr(answers.get("phone", "")),
        ContactMethod.EMAIL: ltr(answers.get("email", "")),
        ContactMethod.RELATIVE: join_html(
            " ", (answers.get("relative_name", ""), ltr(answers.get("relative_phone", "")))
        ),
    }.get(method, "")
    add(
        "contact",
        pgettext("help summary", "How to reach you"),
        join_html(": ", (contact, detail)),
    )
    return rows


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("help-submit", per_ip="10/m")
def help_check(request: HttpRequest) -> HttpResponse:
    """Check your answers, read what happens to them, agree, send."""
    state = wizard.load(request.session)
    if state is None:
        finished = wizard.done(request.session)
        if (
            request.method == "POST"
            and finished
            and request.POST.get("token") == finished.get("token")
        ):
            return redirect(
                "help:done"
            )  # a second click on "Send" after the first one went through
        return _expired(request)
    missing = state.first_unanswered()
    if missing is not None:
        return redirect(_step_url(missing.slug))
    form = ConsentForm(
        request.POST if request.method == "POST" else None, initial={"token": state.token}
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["token"] != state.token:
            form.add_error(
                None, _("This page was out of date. Check your answers and send them again.")
            )
        else:
            submission = help_request_submit(
                data=wizard.request_data(state.flat(), language=_current_language()),
                source=Source.PUBLIC,
                by=SYSTEM,
                idempotency_key=state.token,
                status_code=codes.status_code_for_token(state.token),
            )
            # Acknowledged only now, after the commit: the request exists.
            wizard.remember_done(
                request.session,
                reference=submission.help_request.reference,
                status_code=codes.status_code_for_token(state.token),
                token=state.token,
            )
            wizard.clear(request.session)
            return redirect("help:done")
    annotate(form)
    policy = public_policy()
    return render(
        request,
        "intake/public/check.html",
        {"form": form, "rows": _summary(state.flat()), "retention_days": policy.retention_days},
    )


def _elsewhere(policy: Any, language: str) -> str:
    texts = policy.referrals_elsewhere or {}
    return str(texts.get(language) or texts.get("en") or "")


@never_cache
@require_http_methods(["GET", "POST"])
def help_done(request: HttpRequest) -> HttpResponse:
    finished = wizard.done(request.session)
    if finished is None:
        return redirect("help:start")
    if request.method == "POST":
        wizard.forget_done(request.session)
        messages.success(request, _("Thank you. Keep your reference and code somewhere safe."))
        return redirect("help:start")
    help_request = HelpRequest.objects.filter(reference=finished["reference"]).first()
    if help_request is None:
        wizard.forget_done(request.session)
        return redirect("help:start")
    policy = public_policy()
    return render(
        request,
        "intake/public/done.html",
        {
            "reference": finished["reference"],
            "status_code": finished["status_code"],
            "help_request": help_request,
            "eligible": help_request.state not in (RequestState.NOT_ELIGIBLE, RequestState.CLOSED),
            "not_eligible": help_request.state == RequestState.NOT_ELIGIBLE,
            "needs_review": help_request.state == RequestState.NEEDS_REVIEW,
            "explanation": eligibility_sentences(
                help_request.eligibility_reasons, outcomes=("fail", "unknown")
            )
            if help_request.state in (RequestState.NOT_ELIGIBLE, RequestState.NEEDS_REVIEW)
            else [],
            "elsewhere": _elsewhere(policy, _current_language()),
            "rights_url": RIGHTS_URL,
            "detained": help_request.detained,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("help-status", per_ip="10/m")
def help_status(request: HttpRequest) -> HttpResponse:
    """The status of a request, from its reference and private code: a form POST, so neither
    ever appears in a URL, a log line or the browser's history."""
    form = StatusForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reference = codes.normalize_reference(form.cleaned_data["reference"])
        found = HelpRequest.objects.filter(reference=reference).first() if reference else None
        stored_hash = found.status_code_hash if found is not None else ""
        # The hash comparison runs whether or not the reference exists: the same work either way.
        if codes.status_code_matches(form.cleaned_data["code"], stored_hash) and found is not None:
            status_code_rehash(help_request=found, code=form.cleaned_data["code"])
            request.session[STATUS_KEY] = str(found.pk)
            return redirect("help:status-result")
        form.add_error(
            None,
            _(
                "We could not find a request with this reference and code. Check both and try again."
            ),
        )
    annotate(form)
    return render(request, "intake/public/status.html", {"form": form})


@never_cache
@require_GET
def help_status_result(request: HttpRequest) -> HttpResponse:
    """The status found by :func:`help_status`, shown once after its redirect: Back or reload
    never sends the reference and code again, and the page is not there for the next person
    on a shared phone (it goes back to the form)."""
    found_id = request.session.pop(STATUS_KEY, None)
    found = HelpRequest.objects.filter(pk=found_id).first() if found_id else None
    if found is None:
        return redirect("help:status")
    with translation.override(found.language or _current_language()):
        return _status_result(request, found)


def _status_result(request: HttpRequest, found: HelpRequest) -> HttpResponse:
    """What the person may read about their own request, in their language."""
    title, body = public_status(found.state, purged=found.purged_at is not None)
    live = found.purged_at is None
    return render(
        request,
        "intake/public/status_result.html",
        {
            "title": title,
            "body": body,
            "not_eligible": found.state == RequestState.NOT_ELIGIBLE and live,
            "elsewhere": _elsewhere(public_policy(), found.language),
            "rights_url": RIGHTS_URL,
            "person_language": found.language,
            "placement": hooks.request_public_placement(found)
            if found.state == RequestState.PLACED and live
            else None,
        },
    )
