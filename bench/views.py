"""The benchmarks' baseline pages, routed only in :mod:`bench.urls`.

- ``raw_insert`` (``amparo bench intake``): the same JSON body as a help request, inserted as
  it comes into a plain table with one statement. No validation, no encryption, no audit, no
  screening: what a submission would cost if it did nothing Amparo promises.
- ``protected_detail`` and ``plain_detail`` (``amparo bench vault``): a representative protected
  detail page (fetch and authorize, ten protected fields rendered, the read audited) and its
  plaintext twin.
"""

from __future__ import annotations

import json
import uuid

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from amparo.audit.reads import audit_read

from .models import PlainSampleRecord, SampleRecord

TABLE = "intake_bench_raw"
COLUMNS = (
    "id",
    "language",
    "name",
    "phone",
    "email",
    "zip",
    "household_size",
    "annual_income",
    "detained",
    "body",
)


# Table and column names are constants of this module; the values are parameters.
_INSERT = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"


def create_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id varchar(36) PRIMARY KEY, language varchar(8), name varchar(200),"
            " phone varchar(40), email varchar(254), zip varchar(10), household_size integer, annual_income integer,"
            " detained boolean, body text)"
        )


@csrf_exempt
@require_POST
def raw_insert(request: HttpRequest) -> HttpResponse:
    data = json.loads(request.body)
    row_id = str(uuid.uuid4())
    values = [
        row_id,
        data.get("language"),
        data.get("name"),
        data.get("phone"),
        data.get("email"),
        data.get("zip"),
        data.get("household_size"),
        data.get("annual_income"),
        bool(data.get("detained")),
        request.body.decode(),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, values)
    return JsonResponse({"id": row_id}, status=201)


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
    response = render(request, "bench/sample_detail.html", {"record": record})
    audit_read(actor=request.user, obj=record, fields=PROTECTED_FIELDS)
    return response


@login_required
def plain_detail(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    _staff(request)
    record = PlainSampleRecord.objects.filter(pk=record_id).first()
    if record is None:
        raise Http404
    return render(request, "bench/sample_detail.html", {"record": record})
