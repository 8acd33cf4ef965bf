"""Demo deadlines: what the demo cases' attorneys already did.

Registered as the ``deadlines`` demo step, right after the ``cases`` step that made the cases
(their deadlines came with their hearings and decisions). A recipe's ``done_rules`` name the
deadlines its attorney already met, such as the appeal filed on a case now on appeal; they are
marked done here, by the lead attorney, so the pages show done deadlines too.
"""

from __future__ import annotations

from amparo.core.demo import DemoContext, demo_step

from .services import deadline_complete


@demo_step("deadlines", order=61)
def seed_done_deadlines(ctx: DemoContext) -> None:
    for case, recipe in ctx.extra.get("case_recipes", []):
        for deadline in case.deadlines.filter(rule_id__in=recipe.done_rules):
            deadline_complete(deadline=deadline, by=case.lead_attorney)
