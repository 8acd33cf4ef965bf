"""The staff's notifications page, marking read (POST, then back to the page) and the email
choices per kind."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.core.lists import list_page

from .lists import NOTIFICATION_DEFAULT_SORT, NOTIFICATION_SORTS, NotificationFilterForm
from .models import ALWAYS_EMAILED, NotificationKind
from .notices import notification_sentence
from .notifications import (
    email_choices,
    notification_mark_read,
    notification_preferences_update,
    notifications_mark_all_read,
)
from .selectors import access_notification, has_notifications, notification_list, unread_count


def _staff(request: HttpRequest) -> Any:
    if not has_notifications(request.user):
        raise Http404
    return request.user


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """Unread first, then the newest, a page at a time (the one list helper); each with its
    sentence, reference and link."""
    user = _staff(request)
    listing = list_page(
        request,
        notification_list(fetched_by=user),
        form=NotificationFilterForm(request.GET),
        sorts=NOTIFICATION_SORTS,
        default_sort=NOTIFICATION_DEFAULT_SORT,
    )
    items = [{"row": row, "sentence": notification_sentence(row)} for row in listing.rows]
    return render(
        request,
        "notify/list.html",
        {"items": items, "unread": unread_count(fetched_by=user), "listing": listing},
        status=listing.status,
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    user = _staff(request)
    notification_mark_read(notification=access_notification(user, notification_id), by=user)
    messages.success(request, _("Marked as read."))
    return redirect("notify:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    notifications_mark_all_read(by=user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notify:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """A checkbox per kind the user's role receives; the urgent one is shown on and locked."""
    user = _staff(request)
    current = email_choices(user)
    if request.method == "POST":
        wanted = set(request.POST.getlist("email"))
        notification_preferences_update(
            user=user, choices={kind: kind in wanted for kind in current}, by=user
        )
        messages.success(request, _("Your email choices are saved."))
        return redirect("notify:preferences")
    kinds = [
        {
            "value": kind,
            "label": NotificationKind(kind).label,
            "email": email,
            "locked": kind in ALWAYS_EMAILED,
        }
        for kind, email in current.items()
    ]
    return render(request, "notify/preferences.html", {"kinds": kinds})
