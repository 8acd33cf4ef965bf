"""Turn computed metrics into what a page shows: protected or not, with charts and tables.

Board and public pages are *protected*: every figure they show is declared here as a sum of the
metrics' atoms (:func:`figures`), and :func:`amparo.stats.linked.protect` chooses which to hide
jointly, so no table, total or rate on the page lets anyone work out a small count. When
``AMPARO_IMPACT_DP_EPSILON`` is set, the atoms are first noised (two-sided geometric mechanism,
:mod:`amparo.stats.privacy`); every figure is a sum of noised atoms, so the page stays
consistent and the guarantee holds for all of it (each person is in one atom, see
:func:`noised`). The noise is drawn once per reporting period (:mod:`amparo.reports.releases`).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from amparo.cases.outcomes import ReliefGranted
from amparo.core.terms import Custody
from amparo.stats.linked import Figure, protect
from amparo.stats.privacy import as_fraction, noisy_count

from .charts import bar_chart
from .funder import Quarter, quarter_label
from .metrics import (
    CUSTODY_ROWS,
    OUTCOME_COLUMNS,
    RELIEF_TYPES,
    REQUEST_STAGES,
    Metrics,
    column_of_group,
    threshold,
)


@dataclass(frozen=True)
class Published:
    """The figures a page shows (``None``: hidden), and how they were protected: when noised,
    the epsilon spent (``"1"``, ``"1/2"``), the period it was spent for (``"2026-Q4"``) and
    when the noise was drawn."""

    values: dict[str, int | None]
    protect: bool
    noised: bool
    epsilon: str | None = None
    period: str | None = None
    drawn_at: datetime.datetime | None = None


FUNNEL_KEYS = ("requests", "eligible", "referred", "accepted", "represented")


def _funnel_labels() -> dict[str, str]:
    return {
        "requests": _("Requests for help"),
        "eligible": pgettext("count of requests", "Eligible"),
        "referred": _("Referred to a provider"),
        "accepted": _("Accepted by a provider"),
        "represented": _("Represented (case opened)"),
    }


def _outside_label() -> str:
    return _("Started outside the help line (a provider's own intake or a transfer)")


def _outcome_labels() -> list[str]:
    return [
        _("Relief granted"),
        _("Protection, with a removal order"),
        pgettext("count of cases", "Terminated or dismissed"),
        _("Removal or denial"),
        _("Other"),
    ]


def complete(values: dict[str, Any]) -> bool:
    """Whether stored figures have every figure today's page shows (a snapshot made before
    protection was reported apart, or before cases started outside the help line were counted
    apart, has not: it is recomputed, never shown)."""
    return "outside" in values and all(f"out:total:{col}" in values for col in OUTCOME_COLUMNS)


def funnel_nested(values: Mapping[str, int | None]) -> bool:
    """Whether the funnel's shown stages never grow: each at most the one before it.

    Hidden stages (``None``) are skipped, so a shown stage is compared with the last shown one
    before it: a page that hides a cell must not show an inversion around it either.
    """
    shown = [v for v in (values.get(k) for k in FUNNEL_KEYS) if v is not None]
    return all(a >= b for a, b in itertools.pairwise(shown))


def _linked(m: Metrics) -> bool:
    return m.represented <= m.request_stages.get("accepted", 0)


#: Atom name prefixes of the cases, by origin (:data:`amparo.reports.metrics.CASE_ORIGINS`).
_CASE_PREFIX = {"request": "case", "outside": "outside", "other": "other"}


def _case_atoms_by_origin(m: Metrics) -> dict[str, dict[tuple[str, str, str], int]]:
    return {"request": m.case_atoms, "outside": m.outside_atoms, "other": m.other_atoms}


def _case_names(m: Metrics) -> list[tuple[str, str, str, str]]:
    """(atom name, custody, group, decision) of every case atom, whatever its origin."""
    return [
        (f"{_CASE_PREFIX[origin]}:{c}:{g}:{d}", c, g, d)
        for origin, atoms in _case_atoms_by_origin(m).items()
        for (c, g, d) in atoms
    ]


def atoms_of(m: Metrics) -> dict[str, int]:
    """The metrics' partitions as named atoms (every person or case in exactly one).

    When accepted requests and cases are linked (:func:`figures`), ``req:accepted`` holds the
    accepted requests beyond the number of cases born from them, so that accepted = it + every
    represented case atom.
    """
    atoms = {f"req:{stage}": m.request_stages.get(stage, 0) for stage in REQUEST_STAGES}
    if _linked(m):
        atoms["req:accepted"] -= m.represented
    for origin, found in _case_atoms_by_origin(m).items():
        for (custody, group, decision), n in found.items():
            atoms[f"{_CASE_PREFIX[origin]}:{custody}:{group}:{decision}"] = n
    return atoms


def figures(m: Metrics) -> list[Figure]:
    """Every count a protected page publishes, each as the atoms it adds up.

    Accepted requests and the cases born from them are linked when the data allows it (no more
    such cases than accepted requests, which the data model guarantees): each represented case
    is one of the accepted requests, so the funnel's atom sets are nested and no shown value,
    noised or not, can make a later stage larger than an earlier one. Cases that started
    outside the help line are a figure of their own, never part of the funnel.
    """
    represented = [f"case:{c}:{g}:{d}" for (c, g, d) in m.case_atoms]
    stages = {s: frozenset({f"req:{s}"}) for s in REQUEST_STAGES}
    accepted = stages["accepted"]
    if _linked(m):
        accepted = frozenset({"req:accepted", *represented})
    referred = accepted | stages["referred"]
    eligible = referred | stages["eligible"]
    out = [
        Figure("requests", eligible | stages["not_eligible"]),
        Figure("eligible", eligible),
        Figure("referred", referred),
        Figure("accepted", accepted),
        Figure("represented", frozenset(represented)),
        Figure("outside", frozenset(f"outside:{c}:{g}:{d}" for (c, g, d) in m.outside_atoms)),
    ]
    names = _case_names(m)

    def case_set(pred: Any) -> frozenset[str]:
        return frozenset(name for name, c, g, d in names if pred(c, g, d))

    for c in CUSTODY_ROWS:
        for col in OUTCOME_COLUMNS:
            out.append(
                Figure(
                    f"out:{c}:{col}",
                    case_set(lambda c2, g, _d, c=c, col=col: c2 == c and column_of_group(g) == col),
                )
            )
        out.append(
            Figure(
                f"out:{c}:total",
                case_set(lambda c2, g, _d, c=c: c2 == c and column_of_group(g) is not None),
            )
        )
    for col in OUTCOME_COLUMNS:
        out.append(
            Figure(
                f"out:total:{col}", case_set(lambda _c, g, _d, col=col: column_of_group(g) == col)
            )
        )
    out.append(
        Figure("out:total:total", case_set(lambda _c, g, _d: column_of_group(g) is not None))
    )
    for r in RELIEF_TYPES:
        out.append(Figure(f"relief:{r}", case_set(lambda _c, g, _d, r=r: g == f"relief:{r}")))
    out.append(Figure("released", case_set(lambda _c, _g, d: d == "released")))
    out.append(Figure("decisions", case_set(lambda _c, _g, d: d != "none")))
    return out


def known_figures(m: Metrics) -> list[Figure]:
    """Counts no page prints but a reader may know: how many cases came from requests made
    before the period (none at all on a page without one). Without it, the audit could park a
    hidden outcome on such cases and judge a figure safe that a reader can work out."""
    return [Figure("cases:other", frozenset(f"other:{c}:{g}:{d}" for (c, g, d) in m.other_atoms))]


def implicit_figures(m: Metrics) -> list[Figure]:
    """Counts the page does not print but a reader gets by subtracting two it does."""
    out = [Figure(f"stage:{s}", frozenset({f"req:{s}"})) for s in REQUEST_STAGES]
    if _linked(m):  # accepted minus represented
        out[-1] = Figure("stage:accepted", frozenset({"req:accepted"}))
    else:
        out.pop()  # accepted is a figure of its own already
    groups: dict[str, set[str]] = {
        "open": set(),
        "kept": set(),
        "undecided": set(),
        "unstated": set(),
    }
    for key, _c, g, d in _case_names(m):
        if g == "open":
            groups["open"].add(key)
        if g == "relief:unstated":
            groups["unstated"].add(key)
        if d == "kept_detained":
            groups["kept"].add(key)
        if d == "none":
            groups["undecided"].add(key)
    out += [Figure(f"cases:{k}", frozenset(v)) for k, v in groups.items()]
    return out


def epsilon() -> Fraction | None:
    """The public page's epsilon per period, exact (a rational: ``"1/3"`` is one third)."""
    value = getattr(settings, "AMPARO_IMPACT_DP_EPSILON", None)
    return as_fraction(value) if value else None


def noised(m: Metrics, eps: Fraction | float | str) -> Metrics:
    """The same metrics with every atom noised independently by fresh draws from the operating
    system's randomness: call it once per period (:mod:`amparo.reports.releases` stores it).

    Sensitivity. The unit protected is one help request together with the case opened from it,
    or one case that started outside the help line. Each unit is in exactly one noised atom, so
    adding or removing one changes one atom by one and the whole page is ``eps``-differentially
    private by parallel composition (every figure is post-processing of the atoms):

    - a request is in the atom of the furthest stage it reached; an accepted request with a
      case is in the case's atom only: the atom noised for accepted requests is the accepted
      requests *without* a case (the database allows one accepted referral per request and one
      case per referral), and "accepted" is rebuilt from it and the noised cases, so noise never
      makes "represented" larger than "accepted";
    - a case outside the help line is in its own atom;
    - a case whose referral is not an accepted one (the application never makes one: an
      accepted referral is final) would share its person with its request's stage atom, so it
      is left out of the noised page (its atoms are zero) rather than counted twice.

    A person with several requests or cases is several units: ``k`` of them are protected at
    ``k * eps`` (group privacy).
    """
    eps = as_fraction(eps)

    def noise(atoms: dict[tuple[str, str, str], int]) -> dict[Any, int]:
        return {k: noisy_count(v, eps) for k, v in atoms.items()}

    stages = {k: noisy_count(v, eps) for k, v in m.request_stages.items() if k != "accepted"}
    represented = noise(m.case_atoms)
    rest = max(0, m.request_stages.get("accepted", 0) - m.represented)
    stages["accepted"] = noisy_count(rest, eps) + sum(represented.values())
    return replace(
        m,
        request_stages=stages,
        case_atoms=represented,
        outside_atoms=noise(m.outside_atoms),
        other_atoms=dict.fromkeys(m.other_atoms, 0),
    )


def published_values(m: Metrics, *, protect_cells: bool) -> dict[str, int | None]:
    """Every published count by key; ``None`` where it is hidden."""
    figs = figures(m)
    atoms = atoms_of(m)
    if protect_cells:
        return protect(atoms, figs, threshold(), implicit_figures(m), known_figures(m)).values
    return {f.key: sum(atoms[a] for a in f.atoms) for f in figs}


def _shown(value: int | None) -> str:
    return _("hidden") if value is None else number_format(value, force_grouping=True)


def _percent(value: float | None) -> str:
    if value is None:
        return _("not enough data")
    return number_format(round(value * 100, 1), decimal_pos=1) + " %"


def _rate(num: int | None, den: int | None) -> float | None:
    if num is None or den is None or den == 0:
        return None
    return num / den


def publish(m: Metrics, *, protect: bool, public: bool = False) -> Published:
    """Every figure a page shows, decided once: the slow part (the protection's linear
    programs), so that pages can cache it and render it in any language. With ``public`` and
    an epsilon set, this draws fresh noise: spending the budget, so only
    :mod:`amparo.reports.releases` calls it that way, once per period."""
    eps = epsilon() if protect and public else None
    if eps:
        m = noised(m, eps)
    return Published(
        published_values(m, protect_cells=protect),
        protect,
        bool(eps),
        epsilon=None if eps is None else str(eps),
    )


def epsilon_shown(text: str) -> str:
    """Epsilon as the viewer's language writes it: ``1``, ``0,5`` in Spanish, or ``1/3`` when
    no finite decimal is exact."""
    value = Fraction(text)
    rest = value.denominator
    for p in (2, 5):
        while rest % p == 0:
            rest //= p
    if rest != 1:
        return f"{value.numerator}/{value.denominator}"
    return number_format(Decimal(value.numerator) / Decimal(value.denominator))


def _privacy_context(p: Published) -> dict[str, Any]:
    """What the page says about its noise: epsilon, the period it was spent for, when drawn."""
    quarter = Quarter.parse(p.period) if p.period else None
    return {
        "dp_epsilon": epsilon_shown(p.epsilon) if p.noised and p.epsilon else "",
        "dp_period": quarter_label(quarter) if quarter else "",
        "dp_drawn": date_format(timezone.localtime(p.drawn_at), "DATE_FORMAT")
        if p.drawn_at
        else "",
    }


def build(m: Metrics, *, protect: bool, public: bool = False) -> dict[str, Any]:
    """The page context. ``protect`` hides small counts jointly (board and public); ``public``
    adds the differential-privacy noise when ``AMPARO_IMPACT_DP_EPSILON`` is set."""
    return context_for(publish(m, protect=protect, public=public))


def context_for(p: Published) -> dict[str, Any]:
    """The page context for figures already decided, in the active language."""
    limit = threshold()
    v = p.values
    protect = p.protect
    eps = p.noised
    labels = _funnel_labels()
    funnel = [{"label": labels[k], "value": v[k], "shown": _shown(v[k])} for k in FUNNEL_KEYS]
    custody_labels = dict(Custody.choices)
    outcome_rows = [
        {
            "label": str(custody_labels[c]),
            "cells": [_shown(v[f"out:{c}:{col}"]) for col in OUTCOME_COLUMNS],
            "total": _shown(v[f"out:{c}:total"]),
        }
        for c in CUSTODY_ROWS
    ]
    relief_labels = dict(ReliefGranted.choices)
    relief = [
        {
            "label": str(relief_labels[r]),
            "value": v[f"relief:{r}"],
            "shown": _shown(v[f"relief:{r}"]),
        }
        for r in RELIEF_TYPES
    ]
    funnel_bars: list[tuple[str, int | None, str]] = [
        (str(f["label"]), cast("int | None", f["value"]), str(f["shown"])) for f in funnel
    ]
    relief_bars: list[tuple[str, int | None, str]] = [
        (str(r["label"]), cast("int | None", r["value"]), str(r["shown"])) for r in relief
    ]
    completed = v["out:total:total"]
    return {
        "funnel": funnel,
        "outside": {
            "label": _outside_label(),
            "value": v["outside"],
            "shown": _shown(v["outside"]),
        },
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
        "outcome_totals": [_shown(v[f"out:total:{col}"]) for col in OUTCOME_COLUMNS],
        "outcome_grand": _shown(completed),
        "relief": relief,
        "relief_chart": bar_chart(
            "relief",
            _("Relief granted, by kind"),
            _("Bar chart of relief granted by kind; the table beside it gives the same figures."),
            relief_bars,
        ),
        "relief_rate": _percent(_rate(v["out:total:relief"], completed)),
        "protection_rate": _percent(_rate(v["out:total:protection"], completed)),
        "release_rate": _percent(_rate(v["released"], v["decisions"])),
        "completed": _shown(completed),
        "completed_shown": bool(completed),
        "decisions_shown": bool(v["decisions"]) and v["released"] is not None,
        "released": _shown(v["released"]),
        "decisions": _shown(v["decisions"]),
        "threshold": limit,
        "protect": protect,
        "noised": bool(eps),
        "values": v,
        **_privacy_context(p),
    }


def csv_rows(context: dict[str, Any]) -> list[list[str]]:
    """The published figures as rows (already protected when the context is)."""
    rows: list[list[str]] = [[_("Figure"), _("Value")]]
    rows += [[f["label"], f["shown"]] for f in context["funnel"]]
    rows.append([context["outside"]["label"], context["outside"]["shown"]])
    rows += [[r["label"], r["shown"]] for r in context["relief"]]
    for row in context["outcome_rows"]:
        for col, cell in zip(context["outcome_columns"], row["cells"], strict=True):
            rows.append([f"{row['label']}: {col}", cell])
        rows.append([f"{row['label']}: {_('Total')}", row["total"]])
    for col, cell in zip(context["outcome_columns"], context["outcome_totals"], strict=True):
        rows.append([f"{_('Total')}: {col}", cell])
    rows.append([_("Completed cases"), context["completed"]])
    rows.append([_("Relief rate among completed cases"), context["relief_rate"]])
    rows.append(
        [_("Protection-with-removal-order rate among completed cases"), context["protection_rate"]]
    )
    rows.append([_("Custody decisions"), context["decisions"]])
    rows.append([_("Released"), context["released"]])
    rows.append([_("Release-on-bond rate"), context["release_rate"]])
    return rows
