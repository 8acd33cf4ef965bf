"""System checks of the core: what the running site needs from the machine it runs on."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.utils.translation import gettext as _

from . import pdf_fonts


def pdf_fonts_installed(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A warning at start-up for each script the PDFs have no font for, naming the package to
    install: without it a name in that script prints as empty boxes, and nobody would know why
    until a client's plan came out unreadable."""
    missing = pdf_fonts.missing()
    if not missing:
        return []
    return [
        checks.Warning(
            _("PDFs cannot draw %(scripts)s: no font is installed for it.")
            % {"scripts": ", ".join(script.label for script in missing)},
            hint=_("Install the fonts: %(command)s (or run tools/ensure-fonts.sh as root).")
            % {"command": pdf_fonts.install_hint(missing)},
            id="amparo.W001",
        )
    ]
