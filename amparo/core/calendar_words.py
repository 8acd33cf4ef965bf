"""The month names, extracted into the core catalogs for the languages Django does not ship.

Django translates its month names (``django.utils.dates.MONTHS``) through the ``django``
domain, which every app catalog joins; Haitian Creole has no Django catalog, so its month names
live here (config/formats/ht/formats.py writes dates as ``6 desanm 2026``). A language Django
ships leaves these entries empty, and Django's own names are used.
"""

from django.utils.translation import gettext_noop

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
