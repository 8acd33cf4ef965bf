"""The scheduled backup: daily, off unless ``AMPARO_BACKUP_RECIPIENTS`` names someone.

Settings: ``AMPARO_BACKUP_DIR`` (default ``VAR_DIR/backups``), ``AMPARO_BACKUP_KEEP`` (how many
archives to keep, default 14).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks import task

from .archive import configured_recipients, create_backup


def backups_enabled() -> bool:
    return bool(configured_recipients())


def backup_dir() -> Path:
    configured = getattr(settings, "AMPARO_BACKUP_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "backups"


def backup_keep() -> int:
    return int(getattr(settings, "AMPARO_BACKUP_KEEP", 14))


@task()
def scheduled_backup() -> dict[str, Any]:
    """Write one archive to ``AMPARO_BACKUP_DIR`` and prune to ``AMPARO_BACKUP_KEEP``."""
    recipients = configured_recipients()
    if not recipients:
        return {"skipped": "no AMPARO_BACKUP_RECIPIENTS"}
    result = create_backup(out_dir=backup_dir(), recipients=recipients, keep=backup_keep())
    return {"archive": result.path.name, "bytes": result.size, "removed": len(result.removed)}
