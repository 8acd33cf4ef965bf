"""A table that may scroll sideways sits in a wrapper a keyboard can reach and a screen reader
can name: ``tabindex="0"``, ``role="region"`` and a label (axe: scrollable-region-focusable)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from amparo.accounts.roles import Role

TEMPLATES_ROOT = Path(__file__).resolve().parents[2] / "amparo"


def test_every_scrolling_table_wrapper_is_focusable_and_named() -> None:
    offenders = []
    for path in sorted(TEMPLATES_ROOT.glob("**/templates/**/*.html")):
        for tag in re.findall(r'<div class="table-wrap"[^>]*>', path.read_text(encoding="utf-8")):
            named = "aria-labelledby=" in tag or 'aria-label="' in tag
            if not ('tabindex="0"' in tag and 'role="region"' in tag and named):
                offenders.append(f"{path}: {tag}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Table: scroll sideways to see all of it"),
        ("es", "Tabla: desplácese hacia los lados para verla completa"),
    ],
)
def test_a_table_without_a_heading_of_its_own_gets_a_translated_name(
    make_user: Any, client_for: Callable[[Any], Client], org: Any, language: str, label: str
) -> None:
    client = client_for(make_user(Role.FUND_ADMIN))
    html = client.get("/organizations/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert org.name in html
    assert f'<div class="table-wrap" role="region" tabindex="0" aria-label="{label}">' in html
