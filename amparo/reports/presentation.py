"""Turn computed metrics into what a page shows: suppressed or not, with charts and tables."""

from __future__ import annotations

from typing import Any, cast

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from amparo.cases.choices import Custody
from amparo.cases.outcomes import ReliefGranted
from amparo.stats.suppression import suppress, suppress_counts

from .charts import bar_chart
from .metrics import CUSTODY_ROWS, OUTCOME_COLUMNS, Metrics, threshold


def _funnel_labels() -> dict[str, str]:
    return {
        "requests": _("Requests for help"),
        "eligible": _("Eligible"),
        "referred": _("Referred to a provider"),
        "accepted": _("Accepted by a provider"),
        "represented": _("Represented (case opened)"),
    }


def _outcome_labels() -> list[str]:
    return [_("Relief granted"), _("Terminated"), _("Removal or denial"), _("Other")]


def _shown(value: int | None) -> str:
    return _("fewer than %(n)s") % {"n": threshold()} if value is None else number_format(value)


def _percent(value: float | None) -> str:
    if value is None:
        return _("not enough data")
    return number_format(round(value * 100, 1), decimal_pos=1) + " %"


def build(m: Metrics, *, protect: bool) -> dict[str, Any]:
    """The page context. ``protect`` suppresses small cells (board and public)."""
    limit = threshold()
    labels = _funnel_labels()
    keys = list(labels)
    values: list[int | None] = [m.funnel.get(k, 0) for k in keys]
    if protect:
        # nested stages: a small stage or a small drop between stages would single people out
        values = [None if v is not None and 0 < v < limit else v for v in values]
    funnel = [
        {"label": labels[k], "value": v, "shown": _shown(v)}
        for k, v in zip(keys, values, strict=True)
    ]
    custody_labels = dict(Custody.choices)
    row_totals: list[int | None]
    col_totals: list[int | None]
    grand: int | None
    if protect:
        table = suppress(m.outcomes, limit)
        cells = [list(r) for r in table.cells]
        row_totals = list(table.row_totals)
        col_totals = list(table.col_totals)
        grand = table.grand_total
    else:
        cells = [list(r) for r in m.outcomes]
        row_totals = [sum(r) for r in m.outcomes]
        col_totals = [sum(r[j] for r in m.outcomes) for j in range(len(OUTCOME_COLUMNS))]
        grand = sum(sum(r) for r in m.outcomes)
    funnel_bars: list[tuple[str, int | None, str]] = [
        (str(f["label"]), cast("int | None", f["value"]), str(f["shown"])) for f in funnel
    ]
    outcome_rows = [
        {
            "label": str(custody_labels[c]),
            "cells": [_shown(v) for v in cells[i]],
            "total": _shown(row_totals[i]),
        }
        for i, c in enumerate(CUSTODY_ROWS)
    ]
    relief_keys = list(m.relief_types)
    relief_values: list[int | None] = [m.relief_types[k] for k in relief_keys]
    if protect:
        relief_values = suppress_counts([v or 0 for v in relief_values], limit)
    relief_labels = dict(ReliefGranted.choices)
    relief = [
        {"label": str(relief_labels[k]), "value": v, "shown": _shown(v)}
        for k, v in zip(relief_keys, relief_values, strict=True)
    ]
    relief_bars: list[tuple[str, int | None, str]] = [
        (str(r["label"]), cast("int | None", r["value"]), str(r["shown"])) for r in relief
    ]
    rates_ok = not protect or m.completed >= limit
    bond_ok = not protect or m.custody_decisions >= limit
    return {
        "funnel": funnel,
        "funnel_chart": bar_chart(
            "funnel",
            _("From request to representation"),
            _(
                "Bar chart of requests, eligible, referred, accepted and represented; the table below gives the same figures."
            ),
            funnel_bars,
        ),
        "outcome_columns": _outcome_labels(),
        "outcome_rows": outcome_rows,
        "outcome_totals": [_shown(v) for v in col_totals],
        "outcome_grand": _shown(grand),
        "relief": relief,
        "relief_chart": bar_chart(
            "relief",
            _("Relief granted, by kind"),
            _("Bar chart of relief granted by kind; the table beside it gives the same figures."),
            relief_bars,
        ),
        "relief_rate": _percent(m.relief_rate if rates_ok else None),
        "release_rate": _percent(m.release_rate if bond_ok else None),
        "completed": _shown(m.completed if rates_ok else None),
        "threshold": limit,
        "protect": protect,
    }


def csv_rows(context: dict[str, Any]) -> list[list[str]]:
    """The published figures as rows (already suppressed when the context is)."""
    rows: list[list[str]] = [[_("Figure"), _("Value")]]
    rows += [[f["label"], f["shown"]] for f in context["funnel"]]
    rows += [[r["label"], r["shown"]] for r in context["relief"]]
    for row in context["outcome_rows"]:
        for col, cell in zip(context["outcome_columns"], row["cells"], strict=True):
            rows.append([f"{row['label']}: {col}", cell])
    rows.append([_("Relief rate among completed cases"), context["relief_rate"]])
    rows.append([_("Release-on-bond rate"), context["release_rate"]])
    return rows
