"""The calendar API: ``GET /api/v1/calendar?from=&to=``, the items of the calendar page.

Registered on the shared NinjaAPI from ``DeadlinesConfig.ready``. The same selectors as the
page: an attorney's own cases, a provider admin's organization; anyone else 404. Overdue
deadlines come first, then the range by date and time. A refused range answers 422 with the
one error shape, the message on the field.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from amparo.core.http import request_user

from .selectors import calendar_cases, calendar_items, calendar_range, fund_today

router = Router(tags=["calendar"])


class CalendarQuery(Schema):
    """The range; both ends are text so that the one parser (``calendar_range``) refuses a bad
    one with its own translated message."""

    start: str | None = Field(
        None,
        alias="from",
        description="YYYY-MM-DD; default today",
        json_schema_extra={"format": "date"},
    )
    end: str | None = Field(
        None,
        alias="to",
        description="YYYY-MM-DD, not before `from` and at most 366 days after it; default 30 days on",
        json_schema_extra={"format": "date"},
    )


class CalendarItemOut(Schema):
    date: datetime.date
    time: str | None
    kind: Literal["hearing", "deadline"]
    case_id: uuid.UUID
    title: str
    overdue: bool


@router.get(
    "/calendar",
    response=list[CalendarItemOut],
    summary="Hearings and open deadlines in a range, overdue deadlines first",
)
def calendar(request: HttpRequest, query: Query[CalendarQuery]) -> list[CalendarItemOut]:
    user = request_user(request)
    cases = calendar_cases(user=user)
    today = fund_today()
    days = calendar_range(query.start, query.end, today=today)
    items = calendar_items(cases=cases, days=days, today=today)
    return [
        CalendarItemOut(
            date=item.date,
            time=item.time.strftime("%H:%M") if item.time else None,
            kind=item.kind,  # type: ignore[arg-type]
            case_id=item.case.pk,
            title=item.title,
            overdue=item.overdue,
        )
        for item in items.all
    ]
