"""Staff lists, one way: filter, sort, page and download what a list shows.

A list is a queryset the viewer may see (from the app's selector), a GET filter form (a
:class:`ListFilterForm`), a whitelist of sorts and a page size. :func:`list_page` turns them
into a :class:`ListPage` for the shared includes (``includes/list_controls.html`` for the
filters and sort links, ``includes/list_pager.html`` for "page X of Y"); :func:`list_rows`
gives the same rows, filtered and sorted the same way, to a CSV download, so a download never
holds more (or other) rows than the page.

Guarantees: everything travels in the URL (bookmarkable, works without JavaScript); a sort
that is not on the whitelist is ignored (the default applies); the order is stable (the primary
key breaks ties, in the sort's direction); a filter value that does not validate gets its
message beside the field and the list is shown unfiltered, with status 400, never a 500.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amparo.audit.csv_export import neutralize

PAGE_SIZE = 50


@dataclass(frozen=True)
class Sort:
    """One whitelisted sort: its label and the fields it orders by, ascending."""

    label: str | Promise
    fields: tuple[str, ...]


Sorts = Mapping[str, Sort]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ListFilterForm(forms.Form):
    """A list's filters (a GET form). Subclasses declare fields and narrow in ``narrow``."""

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        return queryset

    def apply(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The queryset narrowed by valid filters; unfiltered when any value is invalid."""
        if not self.is_valid():
            return queryset
        return self.narrow(queryset, self.cleaned_data)


class DateRangeFilterForm(ListFilterForm):
    """Filters with a "from" and "to" date (inclusive) on ``date_lookup``."""

    date_lookup: ClassVar[str] = "created_at__date"

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", _("The end date must be the same as or after the start date.")
            )
        return cleaned

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        queryset = super().narrow(queryset, data)
        if data.get("date_from"):
            queryset = queryset.filter(**{f"{self.date_lookup}__gte": data["date_from"]})
        if data.get("date_to"):
            queryset = queryset.filter(**{f"{self.date_lookup}__lte": data["date_to"]})
        return queryset


@dataclass(frozen=True)
class SortLink:
    key: str
    label: str | Promise
    current: bool
    descending: bool
    query: str


@dataclass
class ListPage:
    form: ListFilterForm
    page: Page[Any]
    sort: str
    sort_links: list[SortLink]
    csv_url: str
    status: int

    @property
    def rows(self) -> list[Any]:
        return list(self.page.object_list)


def _chosen_sort(request: HttpRequest, sorts: Sorts, default: str) -> str:
    asked = request.GET.get("sort", "")
    return asked if asked.removeprefix("-") in sorts else default


def _ordering(sorts: Sorts, chosen: str) -> list[str]:
    descending = chosen.startswith("-")
    fields = list(sorts[chosen.removeprefix("-")].fields)
    if descending:
        fields = [f.removeprefix("-") if f.startswith("-") else f"-{f}" for f in fields]
    fields.append("-pk" if descending else "pk")
    return fields


def list_rows(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    form: ListFilterForm,
    sorts: Sorts,
    default_sort: str,
) -> QuerySet[Any]:
    """The list's rows, filtered and sorted as the page shows them (every page at once)."""
    chosen = _chosen_sort(request, sorts, default_sort)
    return form.apply(queryset).order_by(*_ordering(sorts, chosen))


def list_page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    form: ListFilterForm,
    sorts: Sorts,
    default_sort: str,
    page_size: int = PAGE_SIZE,
    csv_url: str = "",
) -> ListPage:
    """One page of the list, with what the shared includes need to draw its controls.

    ``csv_url`` is the download's address (without a query: the page's own is added), or empty
    where the viewer may not download the list.
    """
    chosen = _chosen_sort(request, sorts, default_sort)
    rows = list_rows(request, queryset, form=form, sorts=sorts, default_sort=default_sort)
    page = Paginator(rows, page_size).get_page(request.GET.get("page"))
    links = []
    for key, sort in sorts.items():
        current = chosen.removeprefix("-") == key
        descending = current and chosen.startswith("-")
        query = request.GET.copy()
        query.pop("page", None)
        # A second click on the current sort turns it around.
        query["sort"] = key if (current and descending) else (f"-{key}" if current else key)
        links.append(SortLink(key, sort.label, current, descending, query.urlencode()))
    if csv_url:
        query = request.GET.copy()
        query.pop("page", None)
        csv_url = f"{csv_url}?{query.urlencode()}" if query else csv_url
    return ListPage(
        form=form,
        page=page,
        sort=chosen,
        sort_links=links,
        csv_url=csv_url,
        status=200 if form.is_valid() else 400,
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    rows: Iterable[Any],
    *,
    header: Sequence[str],
    cells: Callable[[Any], Sequence[Any]],
    filename: str,
) -> StreamingHttpResponse:
    """A streamed CSV download; every cell goes through the formula neutralizer."""

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([neutralize(cell) for cell in cells(row)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response
