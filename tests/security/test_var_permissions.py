"""What Amparo creates under ``var/`` is its own: files 0600, folders 0700.

Run in a fresh subprocess started with the common umask 022 (the one that made them 0644), on
an empty folder, so every file is created by the code under test.
"""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

from tests.operations.conftest import REPO, amparo_cmd, amparo_env

CREATE = """
import os
from pathlib import Path
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.mail import get_connection, send_mail
from amparo.vault.keys import FileKeyProvider

var = Path(settings.VAR_DIR)
FileKeyProvider.from_settings().key_id  # creates the key file
FileSystemStorage(location=var / "media").save("documents/2026/note.txt", ContentFile(b"x"))
mail = get_connection("django.core.mail.backends.filebased.EmailBackend")
send_mail("Hello", "Body", "a@example.org", ["b@example.org"], connection=mail)
(var / "logs").mkdir()
(var / "logs" / "amparo.log").write_text("started")
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_and_folders_amparo_creates_under_var_are_private(tmp_path):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    for args in (("migrate", "--no-input", "-v", "0"), ("shell", "-c", CREATE)):
        result = subprocess.run(
            amparo_cmd(*args),
            env=amparo_env(var_dir),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            umask=0o022,
        )
        assert result.returncode == 0, result.stderr

    created = list(var_dir.rglob("*"))
    files = [p for p in created if p.is_file()]
    folders = [p for p in created if p.is_dir()]
    names = {p.relative_to(var_dir).as_posix() for p in created}
    assert {"amparo.sqlite3", "keys/kek.key", "media/documents/2026/note.txt", "mail"} <= names
    assert any(name.startswith("mail/") for name in names)
    assert "logs/amparo.log" in names
    assert {str(p.relative_to(var_dir)): oct(mode(p)) for p in files if mode(p) != 0o600} == {}
    assert {str(p.relative_to(var_dir)): oct(mode(p)) for p in folders if mode(p) != 0o700} == {}
