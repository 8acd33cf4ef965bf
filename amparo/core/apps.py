import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: Bits no file Amparo creates ever gets: what it writes under ``var/`` (the SQLite database and
#: its journals, keys, the mail and SMS outboxes, uploads, backups, collected static files) is
#: readable by the account that runs it alone.
PRIVATE_UMASK = 0o077


def keep_created_files_private() -> int:
    """Add ``PRIVATE_UMASK`` to the process's umask (a stricter one stays); returns the old one.

    One setting at start-up instead of a chmod after every creation, because some creators are
    not ours to change (SQLite makes its database and ``-wal``/``-shm`` files 0644 less the
    umask; Django's file backends and ``os.makedirs`` likewise). Files open with 0600 and
    folders with 0700 from their first moment, so there is no window in which they are not.
    """
    old = os.umask(PRIVATE_UMASK)
    os.umask(old | PRIVATE_UMASK)
    return old


class CoreConfig(AppConfig):
    name = "amparo.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core import checks

        from .checks import pdf_fonts_installed

        keep_created_files_private()
        checks.register(pdf_fonts_installed)
