"""Fixtures: see tests/intake/helpers.py (throwaway keys, a configured program) and helpers.py."""

from tests.intake.helpers import *  # noqa: F403
from tests.smsintake.helpers import *  # noqa: F403
