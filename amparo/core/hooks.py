"""The one way an app fills another app's hooks (``intake.hooks``, ``cases.hooks``,
``referrals.hooks``): a list of functions the lower app calls, filled by the app above it in its
``AppConfig.ready()``."""

from __future__ import annotations

from typing import Any


def hook_register(hooks: list[Any], function: Any) -> None:
    """Add ``function`` to ``hooks`` once (``ready()`` may run more than once in tests)."""
    if function not in hooks:
        hooks.append(function)
