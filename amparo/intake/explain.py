"""Sentences for the codes the pure cores return, in the active language.

The eligibility rules and triage give stable codes with parameters; this module is the only
place that turns them into words, so staff, the person and the API read the same explanation.
Call these inside ``translation.override(language)`` to explain in the person's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from amparo.core.terms import Custody
from amparo.ledger.currency import format_money
from amparo.organizations.models import PracticeArea

from .models import RequestState

ELIGIBILITY_TEXTS: dict[str, Promise] = {
    "income_not_required": gettext_lazy("This program has no income limit."),
    "income_no_table": gettext_lazy(
        "There is no confirmed poverty guideline table for %(year)s yet, so a staff member will check the income."
    ),
    "income_household_unknown": gettext_lazy(
        "We need the number of people in the household to check the income limit."
    ),
    "income_table_unverified": gettext_lazy(
        "The %(year)s poverty guidelines are not confirmed yet, so a staff member will check the income before deciding."
    ),
    "income_unknown": gettext_lazy(
        "We need the yearly income to compare it with the limit of %(limit)s for %(household)s."
    ),
    "income_below": gettext_lazy(
        "The yearly income is within the limit: %(percent)s%% of the %(year)s poverty guideline, %(limit)s for %(household)s."
    ),
    "income_below_fallback": gettext_lazy(
        "The yearly income is within the limit: %(percent)s%% of the poverty guideline, %(limit)s for %(household)s. The %(requested_year)s guidelines are not confirmed yet, so the %(year)s guidelines were used and a staff member will check the income."
    ),
    "income_above": gettext_lazy(
        "The yearly income is above the limit: %(percent)s%% of the %(year)s poverty guideline, %(limit)s for %(household)s."
    ),
    "income_above_fallback": gettext_lazy(
        "The yearly income is above the limit: %(percent)s%% of the poverty guideline, %(limit)s for %(household)s. The %(requested_year)s guidelines are not confirmed yet, so the %(year)s guidelines were used and a staff member will check the income."
    ),
    "income_range_straddles": gettext_lazy(
        "The income range chosen includes the limit of %(limit)s for %(household)s, so a staff member will confirm it."
    ),
    "residence_not_required": gettext_lazy("This program serves every area."),
    "residence_local_facility": gettext_lazy(
        "The person is detained at %(facility)s, which this program serves."
    ),
    "residence_zip": gettext_lazy("The ZIP code %(zip)s is in the area this program serves."),
    "residence_county": gettext_lazy("%(county)s County is in the area this program serves."),
    "residence_zip_in_county": gettext_lazy(
        "The ZIP code %(zip)s is in %(county)s, in the area this program serves."
    ),
    "residence_zip_spans_counties": gettext_lazy(
        "The ZIP code %(zip)s may be in more than one county (%(counties)s), so a staff member will check the address."
    ),
    "residence_zip_other_county": gettext_lazy(
        "The ZIP code %(zip)s is mostly in %(county)s, outside the counties this program serves, so a staff member will check the address."
    ),
    "residence_unknown": gettext_lazy(
        "We need a ZIP code or a county to check that the person is in the area this program serves."
    ),
    "residence_zip_needs_county": gettext_lazy(
        "A staff member will check whether this ZIP code is in a county the program serves."
    ),
    "residence_outside": gettext_lazy("The person lives outside the area this program serves."),
    "custody_any": gettext_lazy("This program serves people whether or not they are detained."),
    "custody_unknown": gettext_lazy("We need to know whether the person is detained."),
    "custody_served": gettext_lazy("This program serves people in this situation: %(custody)s."),
    "custody_not_served": gettext_lazy(
        "This program does not serve people in this situation: %(custody)s."
    ),
    "court_not_required": gettext_lazy("This program does not limit which immigration court."),
    "court_unknown_ok": gettext_lazy("The immigration court is not known yet. That is fine."),
    "court_local": gettext_lazy("The case is at %(court)s, which this program serves."),
    "court_elsewhere": gettext_lazy("The case is at %(court)s, which this program does not serve."),
    "practice_area_any": gettext_lazy("This program covers every kind of immigration matter."),
    "practice_area_unknown": gettext_lazy(
        "A staff member will find out what kind of help is needed."
    ),
    "practice_area_covered": gettext_lazy("This program covers this kind of matter: %(area)s."),
    "practice_area_not_covered": gettext_lazy(
        "This program does not cover this kind of matter: %(area)s."
    ),
}


def _params(params: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = dict(params)
    if "limit" in out:
        # Whole dollars (poverty guidelines are US figures), written as the reader's locale
        # writes money: the messages hold no currency sign of their own.
        out["limit"] = format_money(int(out["limit"]) * 100, "USD", whole=True)
    if "size" in out:
        size = int(out["size"])
        out["household"] = ngettext(
            "a household of %(size)d person", "a household of %(size)d people", size
        ) % {"size": size}
    if "custody" in out:
        out["custody"] = str(dict(Custody.choices).get(out["custody"], out["custody"])).lower()
    if "area" in out:
        out["area"] = str(dict(PracticeArea.choices).get(out["area"], out["area"]))
    return out


def eligibility_sentence(reason: Mapping[str, Any]) -> str:
    template = ELIGIBILITY_TEXTS.get(str(reason.get("code", "")))
    if template is None:
        return _("A staff member will check this.")
    try:
        return str(template) % _params(reason.get("params") or {})
    except (KeyError, TypeError, ValueError):
        return _("A staff member will check this.")


def eligibility_sentences(
    reasons: Iterable[Mapping[str, Any]], *, outcomes: Iterable[str] | None = None
) -> list[str]:
    wanted = set(outcomes) if outcomes is not None else None
    return [
        eligibility_sentence(r)
        for r in reasons
        if wanted is None or str(r.get("outcome")) in wanted
    ]


def priority_sentence(factor: Mapping[str, Any]) -> str:
    code = str(factor.get("code", ""))
    points = int(factor.get("points", 0))
    days = int(factor.get("days", 0) or 0)
    if code == "detained":
        text = _("Detained: people in detention go first.")
    elif code == "hearing_passed":
        text = ngettext(
            "The hearing date passed %(days)d day ago: there may be an order in absentia, with short deadlines.",
            "The hearing date passed %(days)d days ago: there may be an order in absentia, with short deadlines.",
            days,
        ) % {"days": days}
    elif code in ("hearing_7_days", "hearing_30_days", "hearing_90_days"):
        text = (
            _("The hearing is today.")
            if days == 0
            else ngettext(
                "The hearing is in %(days)d day.", "The hearing is in %(days)d days.", days
            )
            % {"days": days}
        )
    elif code == "in_absentia_order":
        text = _("Ordered removed in absentia: a motion to reopen may be urgent.")
    elif code == "hearing_missed":
        text = _("Missed a hearing: there may be an order in absentia, with short deadlines.")
    elif code == "in_absentia_risk":
        text = _("At risk of an order in absentia.")
    elif code == "appeal_deadline_30_days":
        text = (
            _("The deadline to appeal is today.")
            if days == 0
            else ngettext(
                "The deadline to appeal is in %(days)d day.",
                "The deadline to appeal is in %(days)d days.",
                days,
            )
            % {"days": days}
        )
    elif code == "motion_deadline_30_days":
        text = (
            _("The deadline for a motion is today.")
            if days == 0
            else ngettext(
                "The deadline for a motion is in %(days)d day.",
                "The deadline for a motion is in %(days)d days.",
                days,
            )
            % {"days": days}
        )
    elif code == "petition_deadline_30_days":
        text = (
            _("The deadline for a petition for review is today.")
            if days == 0
            else ngettext(
                "The deadline for a petition for review is in %(days)d day.",
                "The deadline for a petition for review is in %(days)d days.",
                days,
            )
            % {"days": days}
        )
    elif code == "unaccompanied_child":
        text = _("Unaccompanied child.")
    elif code == "minor":
        text = _("Under 18.")
    elif code == "vulnerable":
        text = _("Another vulnerability noted by staff.")
    else:
        text = _("Another factor.")
    return _("%(reason)s (+%(points)s)") % {"reason": text, "points": points}


def priority_sentences(factors: Iterable[Mapping[str, Any]]) -> list[str]:
    sentences = [priority_sentence(f) for f in factors]
    return sentences or [_("No urgency factors: ordered by arrival.")]


#: What the person sees on the status page: plain words, never the staff's names for states.
PUBLIC_STATUS: dict[str, tuple[Promise, Promise]] = {
    RequestState.NEEDS_REVIEW: (
        gettext_lazy("We received your request"),
        gettext_lazy("Our team is reviewing it. We will contact you the way you asked."),
    ),
    RequestState.WAITING: (
        gettext_lazy("We are looking for a lawyer"),
        gettext_lazy(
            "We are looking for a lawyer with room for you. People who are detained go first."
        ),
    ),
    RequestState.REFERRED: (
        gettext_lazy("A legal services provider is reviewing your request"),
        gettext_lazy(
            "They will decide soon. If they cannot take it, we will ask another provider."
        ),
    ),
    RequestState.ESCALATED: (
        gettext_lazy("We are still looking for a lawyer"),
        gettext_lazy("Our staff are working on your request by hand. We have not forgotten you."),
    ),
    RequestState.PLACED: (
        gettext_lazy("A lawyer accepted your case"),
        gettext_lazy("The lawyer's office will contact you the way you asked."),
    ),
    RequestState.NOT_ELIGIBLE: (
        gettext_lazy("We cannot take this request"),
        gettext_lazy(
            "This program cannot help with this request. Other places may be able to help."
        ),
    ),
    RequestState.CLOSED: (
        gettext_lazy("This request is closed"),
        gettext_lazy("If you still need help, you can ask again."),
    ),
}
PURGED_STATUS: tuple[Promise, Promise] = (
    gettext_lazy("This request is closed"),
    gettext_lazy("It was closed and its details were deleted, as our rules require."),
)


def public_status(state: str, *, purged: bool = False) -> tuple[str, str]:
    title, body = (
        PURGED_STATUS
        if purged
        else PUBLIC_STATUS.get(state, PUBLIC_STATUS[RequestState.NEEDS_REVIEW])
    )
    return str(title), str(body)
