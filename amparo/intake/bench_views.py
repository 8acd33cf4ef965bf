"""The baseline of ``amparo bench intake``: the same JSON body, inserted as it comes into a
plain table with one statement. No validation, no encryption, no audit, no screening: what a
submission would cost if it did nothing Amparo promises. Routed only in ``bench_urls``."""

from __future__ import annotations

import json
import uuid

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

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
_INSERT = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608


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
