"""The deadlines' side of the cases' hooks (:mod:`amparo.cases.hooks`), registered in
``DeadlinesConfig.ready()``: cases never imports deadlines, so this is how a case's deadlines
follow its facts, how seeded cases get theirs, and how the case page shows them."""

from __future__ import annotations

from typing import Any

from amparo.cases import hooks
from amparo.cases.models import Case
from amparo.cases.permissions import can_override_deadline

from .seed import store_seeded_deadlines
from .selectors import case_deadlines
from .services import deadlines_recompute


def recompute(case: Case, by: Any) -> None:
    """A trigger of ``case`` changed: bring its deadlines in line, in the same transaction."""
    deadlines_recompute(case=case, by=by)


def detail_section(user: Any, case: Case) -> dict[str, Any]:
    """The case page's deadlines section (the viewer was already allowed to open the case)."""
    return {
        "template": "deadlines/case_section.html",
        "deadlines": case_deadlines(case=case),
        "can_override": bool(can_override_deadline(user, case)) and not case.is_closed,
    }


def register() -> None:
    hooks.hook_register(hooks.ON_TRIGGERS_CHANGED, recompute)
    hooks.hook_register(hooks.ON_SEEDED, store_seeded_deadlines)
    hooks.hook_register(hooks.DETAIL_SECTIONS, detail_section)
