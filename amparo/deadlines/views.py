"""Pages of the Django side of deadlines: the calendar, overrides, and calendar feeds.

The calendar (``/calendar/``) shows hearings and open deadlines in a range of days (by default
today and the next 30), every overdue deadline on top: an attorney's own cases, a provider
admin's whole organization; ``/calendar/print/`` is the same for paper.
Feeds (``/calendar/feeds/``) are secret iCalendar addresses; the feed itself
(``/calendar/feeds/<token>.ics``) needs no sign-in, answers 404 for an unknown or revoked token,
and shows only what the owner may see at the moment it is fetched.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from amparo.accounts.models import User
from amparo.accounts.roles import PROVIDER_ROLES, Role
from amparo.audit.reads import audit_read
from amparo.cases.calendar import build_calendar
from amparo.cases.models import Hearing
from amparo.cases.permissions import can_override_deadline, can_see_all_org_cases
from amparo.cases.selectors import access_case
from amparo.core.forms import run_service
from amparo.core.http import request_user
from amparo.core.identity import absolute_url
from amparo.core.ratelimit import rate_limit
from amparo.core.services import ServiceError
from amparo.organizations.selectors import organizations_of

from . import services
from .calendar_page import AGENDA, MONTH, CalendarForm, agenda_days, month_grid, weekday_names
from .feeds import feed_name_clean
from .models import CalendarFeed, CaseDeadline, FeedScope
from .selectors import (
    access_deadline,
    access_feed,
    calendar_attorneys,
    calendar_case_choices,
    calendar_cases,
    calendar_filter,
    calendar_items,
    calendar_range,
    feed_by_token,
    feed_cases,
    feed_list,
    fund_today,
)

#: The secret address of the feed just created, until the page after the redirect shows it.
NEW_FEED_KEY = "amparo_new_feed"


def _provider(user: User) -> None:
    if user.role not in PROVIDER_ROLES:
        raise Http404


# --- the calendar ------------------------------------------------------------------------------


def _calendar_context(request: HttpRequest) -> tuple[dict[str, Any], int]:
    """Everything the calendar and its printable view show, and the status: 400 when the
    range was refused (the page then says why, beside the field, and lists nothing)."""
    user = request_user(request)
    _provider(user)
    cases = calendar_cases(user=user)
    attorneys = calendar_attorneys(cases) if user.role == Role.PROVIDER_ADMIN else []
    form = CalendarForm(request.GET, attorneys=attorneys, cases=calendar_case_choices(cases))
    valid = form.is_valid()
    data = form.cleaned_data
    view = data.get("view") or AGENDA
    today = fund_today()
    context: dict[str, Any] = {"form": form, "view": view, "today": today, "items": None}
    try:
        days = calendar_range(request.GET.get("from"), request.GET.get("to"), today=today)
    except ServiceError as exc:
        for name, problems in exc.message_dict.items():
            form.add_error(name, problems)
        return context, 400
    if not valid:  # an attorney or case not in the menus: not the viewer's, or no such one
        return context, 400
    chosen = calendar_filter(cases, attorney=data.get("attorney"), case=data.get("case"))
    items = calendar_items(cases=chosen, days=days, kind=data.get("kind") or "", today=today)
    query = {k: v for k, v in request.GET.items() if k != "view" and v}
    context.update(
        days=days,
        items=items,
        agenda=agenda_days(items.ahead),
        months=month_grid(items.all, days.start, days.end) if view == MONTH else [],
        weekdays=weekday_names(),
        agenda_query=urlencode(query),
        month_query=urlencode({**query, "view": MONTH}),
        print_query=urlencode({**query, "view": view}),
    )
    if items.all:
        audit_read(actor=user, object_type="cases.case", fields=["client.name"], reason="calendar")
    return context, 200


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    """Hearings and deadlines ahead, overdue on top: an agenda by day or a month grid."""
    context, status = _calendar_context(request)
    return render(request, "deadlines/calendar.html", context, status=status)


@login_required
@require_GET
def calendar_print(request: HttpRequest) -> HttpResponse:
    """The same calendar on a plain page for paper: no menu, no filters, every line."""
    context, status = _calendar_context(request)
    return render(request, "deadlines/calendar_print.html", context, status=status)


# --- overrides ---------------------------------------------------------------------------------


class OverrideForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date to use"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter a real date, for example 2026-06-04.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Why this date"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For example: the judge set this date at the hearing. Do not write the client's name."
        ),
    )


def _case_and_deadline(
    request: HttpRequest, case_id: uuid.UUID, deadline_id: int
) -> tuple[Any, Any]:
    user = request_user(request)
    case = access_case(user, case_id)
    return case, access_deadline(user, case, deadline_id)


@login_required
def deadline_override_view(
    request: HttpRequest, case_id: uuid.UUID, deadline_id: int
) -> HttpResponse:
    user = request_user(request)
    case, deadline = _case_and_deadline(request, case_id, deadline_id)
    can_override = bool(can_override_deadline(user, case)) and not case.is_closed
    initial = {"date": deadline.override_date or deadline.calendar_date}
    form = OverrideForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_override:
            raise Http404
        if request.POST.get("clear"):
            services.deadline_override_clear(deadline=deadline, by=user)
            messages.success(request, _("The deadline is back to the computed date."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#deadlines")
        overridden = None
        if form.is_valid():
            overridden = run_service(
                form,
                services.deadline_override,
                deadline=deadline,
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
                by=user,
            )
        if overridden:
            messages.success(request, _("The new date was saved with its reason."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#deadlines")
    return render(
        request,
        "deadlines/override.html",
        {"case": case, "deadline": deadline, "form": form, "can_override": can_override},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def deadline_done_view(request: HttpRequest, case_id: uuid.UUID, deadline_id: int) -> HttpResponse:
    user = request_user(request)
    case, deadline = _case_and_deadline(request, case_id, deadline_id)
    done = request.POST.get("done") == "1"
    services.deadline_complete(deadline=deadline, by=user, done=done)
    messages.success(
        request,
        _("The deadline is marked done.") if done else _("The deadline is open again."),
    )
    return redirect(reverse("cases:detail", args=[case.pk]) + "#deadlines")


# --- calendar feeds ----------------------------------------------------------------------------


class FeedForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=80,
        help_text=gettext_lazy("To recognize it later, for example “Work phone”."),
    )
    scope = forms.ChoiceField(label=gettext_lazy("What it shows"), choices=FeedScope.choices)
    organization = forms.ChoiceField(label=gettext_lazy("Organization"), required=False)
    include_names = forms.BooleanField(
        label=gettext_lazy("Show clients' full names"),
        required=False,
        help_text=gettext_lazy(
            "Leave this off unless the calendar app and every device it syncs to are as safe as "
            "Amparo: events otherwise show initials and the case reference."
        ),
    )

    def __init__(self, *args: Any, organizations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = organizations
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(str(o.pk), o.name) for o in organizations]

    def clean_name(self) -> str:
        try:
            return feed_name_clean(self.cleaned_data.get("name", ""))
        except ServiceError as exc:
            raise forms.ValidationError(exc.message_dict["name"]) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["organization_obj"] = next(
            (o for o in self.organizations if str(o.pk) == data.get("organization")), None
        )
        if data.get("scope") == FeedScope.ORGANIZATION and data["organization_obj"] is None:
            self.add_error("organization", _("Choose the organization."))
        return data


@login_required
def feeds(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    _provider(user)
    orgs = [o for o in organizations_of(user) if can_see_all_org_cases(user, o)]
    form = FeedForm(request.POST or None, organizations=orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created: tuple[CalendarFeed, str] | None = run_service(
            form,
            services.feed_create,
            scope=data["scope"],
            name=data["name"],
            organization=data["organization_obj"],
            include_names=data["include_names"],
            by=user,
        )
        if created is not None:
            # Post/redirect/get: the secret address waits in the session for the one page
            # that shows it, so Back or reload never creates a second feed.
            request.session[NEW_FEED_KEY] = created[1]
            return redirect("deadlines:feeds")
    raw = request.session.pop(NEW_FEED_KEY, None) if request.method == "GET" else None
    feed_url = absolute_url(reverse("deadlines:feed", args=[raw])) if raw else None
    return render(
        request,
        "deadlines/feeds.html",
        {"feeds": feed_list(owner=user), "form": form, "created": bool(raw), "feed_url": feed_url},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def feed_revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    user = request_user(request)
    feed = access_feed(user, feed_id)
    services.feed_revoke(feed=feed, by=user)
    messages.success(request, _("The calendar address was revoked: it no longer works."))
    return redirect("deadlines:feeds")


@require_GET
@rate_limit("calendar-feed", per_ip="120/m", methods=("GET",))
def feed(request: HttpRequest, token: str) -> HttpResponse:
    found = feed_by_token(token)
    if found is None:
        raise Http404
    cases = feed_cases(found)
    today = timezone.localdate()
    since = today - datetime.timedelta(days=60)
    hearings = Hearing.objects.filter(case__in=cases.values("pk"), date__gte=since).select_related(
        "case", "case__client__subject"
    )
    deadlines = CaseDeadline.objects.filter(
        case__in=cases.values("pk"), is_active=True, effective_date__gte=since
    ).select_related("case", "case__client__subject")
    body = build_calendar(
        name=f"Amparo — {found.name}",
        hearings=hearings,
        deadlines=deadlines,
        include_names=found.include_names,
        language=found.owner.preferred_language or "en",
    )
    CalendarFeed.objects.filter(pk=found.pk).update(last_fetched_at=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="amparo.ics"'
    audit_read(
        actor=found.owner,
        obj=found,
        fields=["client.name" if found.include_names else "client.initials"],
        reason="calendar feed fetched",
    )
    return response
