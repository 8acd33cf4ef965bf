"""Forms of intake, by who fills them in: ``public`` (one question per page), ``staff`` (one
fast page), ``policy`` (the program rules fund administrators edit); ``fields`` holds what they
share. Every message is translated."""

from .fields import MAX_HOUSEHOLD, clean_zip, parse_money
from .policy import PolicyForm, PovertyConfirmForm
from .public import ConsentForm, StatusForm
from .staff import StaffIntakeForm

__all__ = [
    "MAX_HOUSEHOLD",
    "ConsentForm",
    "PolicyForm",
    "PovertyConfirmForm",
    "StaffIntakeForm",
    "StatusForm",
    "clean_zip",
    "parse_money",
]
