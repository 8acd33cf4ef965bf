"""The public page's noised figures, drawn once per reporting period and then only read.

Differential privacy bounds what *all* released outputs reveal together: noise drawn again
whenever a count changes (or on every refresh) would let a reader average it away, spending the
budget without limit. So the public figures of a period (a calendar quarter in the fund's time
zone) are drawn the first time that period needs them and stored
(:class:`amparo.reports.models.ImpactRelease`); every refresh within the period reads them back
unchanged, and a new period draws again. Each period spends ``epsilon`` once; a person present
in ``n`` periods' figures is protected at ``n * epsilon`` over them (sequential composition).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import metrics, presentation
from .funder import Quarter
from .models import ImpactRelease

PUBLIC = "public"


def period_of(now: datetime.datetime | None = None) -> Quarter:
    """The reporting period containing ``now``: its calendar quarter in the fund's time zone."""
    return Quarter.containing(timezone.localdate(now or timezone.now()))


def _key(atom: tuple[str, str, str]) -> str:
    return "|".join(atom)


def atoms_json(m: metrics.Metrics) -> dict[str, Any]:
    """The noised partitions as JSON (case atoms keyed ``custody|group|decision``)."""
    return {
        "request_stages": dict(m.request_stages),
        "case": {_key(k): v for k, v in m.case_atoms.items()},
        "outside": {_key(k): v for k, v in m.outside_atoms.items()},
        "other": {_key(k): v for k, v in m.other_atoms.items()},
    }


def metrics_from_json(data: dict[str, Any]) -> metrics.Metrics:
    """The partitions back as metrics, for protecting them again without drawing anything."""

    def atoms(found: dict[str, int]) -> dict[metrics.CaseKey, int]:
        out: dict[metrics.CaseKey, int] = {}
        for key, n in found.items():
            custody, group, decision = key.split("|")
            out[(custody, group, decision)] = int(n)
        return out

    return metrics.Metrics(
        request_stages={k: int(v) for k, v in data["request_stages"].items()},
        case_atoms=atoms(data["case"]),
        outside_atoms=atoms(data["outside"]),
        other_atoms=atoms(data["other"]),
    )


def _draw(period: str, eps: Any) -> ImpactRelease:
    """Draw and store the period's figures; when another process stored them first, theirs
    are the period's and this draw is dropped unseen (nothing published, nothing spent)."""
    noisy = presentation.noised(metrics.compute(), eps)
    try:
        with transaction.atomic():
            return ImpactRelease.objects.create(
                period=period,
                slice=PUBLIC,
                epsilon=str(eps),
                atoms=atoms_json(noisy),
                values=presentation.published_values(noisy, protect_cells=True),
                threshold=metrics.threshold(),
            )
    except IntegrityError:
        return ImpactRelease.objects.get(period=period, slice=PUBLIC)


def _reprotect(release: ImpactRelease) -> ImpactRelease:
    """Protect the stored noised atoms again (a new threshold, a figure added to the page):
    post-processing of an output already released, so no budget is spent."""
    noisy = metrics_from_json(release.atoms)
    release.values = presentation.published_values(noisy, protect_cells=True)
    release.threshold = metrics.threshold()
    release.save(update_fields=["values", "threshold"])
    return release


def public_release(now: datetime.datetime | None = None) -> ImpactRelease | None:
    """The current period's public release, drawn now if the period has none yet; ``None``
    when differential privacy is off. A change of epsilon within a period takes effect with the
    next period: the budget of this one is already spent."""
    eps = presentation.epsilon()
    if eps is None:
        return None
    period = str(period_of(now))
    release = ImpactRelease.objects.filter(period=period, slice=PUBLIC).first()
    if release is None:
        return _draw(period, eps)
    if release.threshold != metrics.threshold() or not presentation.complete(release.values):
        return _reprotect(release)
    return release


def published(release: ImpactRelease) -> presentation.Published:
    """The release as a page shows it: its figures, epsilon, period and when it was drawn."""
    return presentation.Published(
        values=dict(release.values),
        protect=True,
        noised=True,
        epsilon=release.epsilon,
        period=release.period,
        drawn_at=release.drawn_at,
    )
