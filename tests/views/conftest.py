"""Fixtures for the page tests: throwaway vault keys, a configured program, providers, people
(the intake and referrals fixtures, see tests/intake/helpers.py)."""

from tests.intake.helpers import *  # noqa: F403
