"""Fixtures: see tests/intake/helpers.py."""

from tests.intake.helpers import *  # noqa: F403
