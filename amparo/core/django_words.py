"""Django's own words, extracted into the core catalogs for the languages Django does not ship.

Django translates its month names (``django.utils.dates.MONTHS``) and its form errors through
the ``django`` domain, which every app catalog joins. Haitian Creole has no Django catalog, so
the words a public page can show live here: the month names (config/formats/ht/formats.py
writes dates as ``6 desanm 2026``) and the errors of the fields the public forms use. A language
Django ships leaves these entries empty, and Django's own translations are used; Spanish repeats
Django's, word for word.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

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

FORM_ERRORS = (
    gettext_noop("This field is required."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
)

MAX_LENGTH = ngettext_lazy(
    "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
    "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    "limit_value",
)
