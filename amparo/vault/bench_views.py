"""A representative protected detail page and its plaintext twin, for ``amparo bench vault``.

Not routed in production (see ``bench_urls``). When the cases app exists the benchmark will
measure the real case detail page instead; these views stand in for it: fetch-and-authorize,
ten protected fields rendered, the read audited.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from amparo.audit.reads import audit_read

from .models import PlainSampleRecord, SampleRecord

PROTECTED_FIELDS = (
    "full_name",
    "a_number",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "country_of_birth",
    "detention_facility",
    "notes",
    "history",
)


def _staff(request: HttpRequest) -> None:
    if not getattr(request.user, "is_staff_role", False):
        raise Http404


@login_required
def protected_detail(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    _staff(request)
    record = SampleRecord.objects.filter(pk=record_id).first()
    if record is None:
        raise Http404
    response = render(request, "vault/sample_detail.html", {"record": record})
    audit_read(actor=request.user, obj=record, fields=PROTECTED_FIELDS)
    return response


@login_required
def plain_detail(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    _staff(request)
    record = PlainSampleRecord.objects.filter(pk=record_id).first()
    if record is None:
        raise Http404
    return render(request, "vault/sample_detail.html", {"record": record})
