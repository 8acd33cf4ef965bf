"""Public reference figures (docs/outcomes.md, "Numbers worth knowing"): external, with sources."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

REFERENCES = (
    {
        "figure": _("Detained respondents with counsel who sought relief and obtained it"),
        "with_counsel": 49,
        "without_counsel": 23,
        "source": _("Eagly & Shafer, national study of removal cases 2007-2012"),
    },
    {
        "figure": _("Never-detained respondents who sought relief and obtained it"),
        "with_counsel": 63,
        "without_counsel": 13,
        "source": _("Eagly & Shafer, national study of removal cases 2007-2012"),
    },
    {
        "figure": _("New York universal representation: clients who succeeded"),
        "with_counsel": 48,
        "without_counsel": 4,
        "source": _("Vera Institute of Justice, 2017"),
    },
    {
        "figure": _("Vera's SAFE network: clients who succeeded"),
        "with_counsel": 38,
        "without_counsel": 3,
        "source": _("Vera Institute of Justice, SAFE network"),
    },
)
