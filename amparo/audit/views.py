from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from amparo.core.lists import list_page

from .csv_export import csv_rows
from .exports import export_guard
from .forms import AUDIT_DEFAULT_SORT, AUDIT_SORTS, AuditFilterForm
from .permissions import can_view_audit_log
from .selectors import actor_labels, audit_event_list
from .services import audit_record

PAGE_SIZE = 50


def _require_viewer(request: HttpRequest) -> None:
    if not can_view_audit_log(request.user):
        raise Http404


def _render_list(request: HttpRequest, form: AuditFilterForm) -> HttpResponse:
    listing = list_page(
        request,
        audit_event_list(fetched_by=request.user),
        form=form,
        sorts=AUDIT_SORTS,
        default_sort=AUDIT_DEFAULT_SORT,
        page_size=PAGE_SIZE,
        csv_url=reverse("audit:export"),
    )
    events = listing.rows
    labels = actor_labels({e.actor_id for e in events if e.actor_id})
    for event in events:
        event.actor_label = labels.get(event.actor_id, "") if event.actor_id else ""
    return render(
        request,
        "audit/list.html",
        {"form": form, "listing": listing, "events": events, "page": listing.page},
        status=listing.status,
    )


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    return _render_list(request, AuditFilterForm(request.GET))


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered events as CSV. The export itself is an audit event, written first."""
    _require_viewer(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return _render_list(request, form)
    filters = form.filters()
    events = audit_event_list(fetched_by=request.user, **filters)
    refused = export_guard(request, kind="audit.auditevent", count=events.count())
    if refused is not None:
        return refused
    described = ", ".join(f"{key}={value}" for key, value in filters.items() if value)
    audit_record(
        actor=request.user,
        action="audit.exported",
        object_type="audit.auditevent",
        reason=f"CSV export; filters: {described or 'none'}",
    )
    actor_ids = events.exclude(actor_id=None).values_list("actor_id", flat=True).distinct()
    labels = actor_labels({int(actor_id) for actor_id in actor_ids if actor_id is not None})
    response = StreamingHttpResponse(
        csv_rows(events.iterator(chunk_size=1000), labels), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
