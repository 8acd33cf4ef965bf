"""Date and number formats for Haitian Creole, which Django does not ship.

Dates are written with the month's name (``6 desanm 2026``), never as ``06/12/2026``, which a
reader used to the US order would take for June 12. The month names come from the core app's
Haitian Creole catalog (amparo/core/django_words.py). Numbers are written as on every US
document the reader sees (``1,000.50``), as money is (amparo.ledger.currency).
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
FIRST_DAY_OF_WEEK = 0  # Sunday, as on US calendars
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
