"""The deadlines of the cases ``amparo seed --cases N`` makes.

The cases' generator bulk-creates each batch without a service, so no recompute runs: it hands
the batch to :func:`amparo.cases.hooks.cases_seeded`, and :func:`store_seeded_deadlines`
(registered in ``DeadlinesConfig.ready()``) plans and stores the deadlines of the whole batch in
one insert, from the rows in memory.
"""

from __future__ import annotations

from django.utils import timezone

from amparo.cases.hooks import SeededCase
from amparo.core.seed import BATCH_SIZE

from .models import CaseDeadline
from .services import (
    CaseTriggers,
    EventTrigger,
    HearingTrigger,
    OutcomeTrigger,
    compute_planned,
    plan_deadlines,
)


def _triggers(seeded: SeededCase) -> CaseTriggers:
    case = seeded.case
    return CaseTriggers(
        custody=case.custody,
        case_type=case.case_type,
        hearings=tuple(HearingTrigger(h.pk, h.kind, h.date) for h in seeded.hearings),
        outcomes=tuple(
            OutcomeTrigger(o.pk, o.kind, o.decided_by, o.decision_date, o.in_absentia, o.relief)
            for o in seeded.outcomes
        ),
        events=tuple(EventTrigger(str(e.pk), e.kind, e.date) for e in seeded.events),
    )


def store_seeded_deadlines(batch: list[SeededCase]) -> None:
    """Compute and store every deadline of a batch of seeded cases."""
    deadlines = []
    now = timezone.now()
    for seeded in batch:
        for item in plan_deadlines(_triggers(seeded)):
            result = compute_planned(item)
            deadlines.append(
                CaseDeadline(
                    case=seeded.case,
                    rule_id=item.rule_id,
                    source_key=item.source_key,
                    trigger_date=result.trigger,
                    due=result.due,
                    calendar_date=result.calendar_date,
                    effective_date=result.calendar_date,
                    citation=result.citation,
                    explanation=result.explanation,
                    notes=[[n.message, dict(n.params)] for n in result.notes],
                    needs_review=result.needs_review,
                    computed_at=now,
                )
            )
    CaseDeadline.objects.bulk_create(deadlines, batch_size=BATCH_SIZE)
