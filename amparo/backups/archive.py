"""One backup = one age-encrypted tar archive.

Inside the (gzip-compressed) tar, before encryption:

- ``database.sqlite3`` (SQLite, copied online through ``sqlite3``'s backup API) or
  ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``). The wrapped data keys are rows
  of this database; the key-encryption key file and the blind-index root are never included.
- ``media/...``: uploaded files under ``MEDIA_ROOT`` when there are any (documents are stored
  encrypted in the database today, so this is usually empty).
- ``manifest.json``: format, created_at, database vendor, Amparo version, and every file with its
  sha256 and size.
- ``SHA256SUMS``: the sha256 of every file above, ``manifest.json`` included.

The archive is encrypted with age (X25519) to every recipient public key, so the server that
writes backups cannot read them: only the holders of the identities (private keys) can.

Restoring decrypts into a private temporary folder, checks every checksum and the manifest, and
only then writes: into an *empty* database of the same vendor, and ``MEDIA_ROOT``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

logger = logging.getLogger("amparo.backups")

FORMAT = "amparo-backup-v1"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
SUFFIX = ".tar.gz.age"
NAME_RE = re.compile(r"^amparo-backup-\d{8}T\d{6}(\d{6})?Z" + re.escape(SUFFIX) + "$")
DB_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: dict[str, Any]
    removed: list[Path]


# --- Recipients and identities ------------------------------------------------------------------


def configured_recipients() -> list[str]:
    """``AMPARO_BACKUP_RECIPIENTS``: age public keys, comma-separated (a setting or env var)."""
    raw = getattr(settings, "AMPARO_BACKUP_RECIPIENTS", None)
    if raw is None:
        raw = os.environ.get("AMPARO_BACKUP_RECIPIENTS", "")
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return [item.strip() for item in items if item and item.strip()]


def parse_recipients(values: Iterable[str]) -> list[pyrage.x25519.Recipient]:
    recipients = []
    for value in values:
        try:
            recipients.append(pyrage.x25519.Recipient.from_str(value.strip()))
        except Exception as exc:  # pyrage raises its own types and ValueError
            raise BackupError(f"not an age public key (age1...): {value.strip()[:20]}...") from exc
    if not recipients:
        raise BackupError(
            "no recipients: pass --recipient AGE_PUBLIC_KEY or set AMPARO_BACKUP_RECIPIENTS"
        )
    return recipients


def read_identities(path: Path) -> list[pyrage.x25519.Identity]:
    """An age identity file: ``AGE-SECRET-KEY-1...`` lines; ``#`` comments are skipped."""
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BackupError(f"cannot read the identity file {path}: {exc}") from exc
    identities = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(pyrage.x25519.Identity.from_str(line))
        except Exception as exc:
            raise BackupError(f"{path} holds a line that is not an age identity") from exc
    if not identities:
        raise BackupError(f"{path} holds no age identity (AGE-SECRET-KEY-1...)")
    return identities


# --- Helpers ------------------------------------------------------------------------------------


def amparo_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("amparo")
    except PackageNotFoundError:
        return "unknown"


def vendor() -> str:
    return str(connection.vendor)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def media_root() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", "")
    return Path(root) if root else None


def _secret_files() -> set[Path]:
    """Key files that must never enter an archive, even if they sit under MEDIA_ROOT."""
    conf: dict[str, Any] = settings.AMPARO
    kek = Path(conf.get("KEK_FILE") or Path(settings.VAR_DIR) / "keys" / "kek.key")
    blind = conf.get("BLIND_INDEX_KEY_FILE")
    files = {
        kek,
        kek.with_name(kek.name + ".next"),
        Path(blind) if blind else kek.with_name("blind-index.key"),
    }
    return {f.resolve() for f in files}


def _media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    secrets = _secret_files()
    keys_dir = (Path(settings.VAR_DIR) / "keys").resolve()
    for path in sorted(root.rglob("*")):
        resolved = path.resolve()
        if not path.is_file() or path.is_symlink() or resolved in secrets:
            continue
        if keys_dir in resolved.parents:
            continue
        yield path


@contextmanager
def private_tempdir(near: Path | None = None) -> Iterator[Path]:
    """A 0700 temporary folder, removed afterwards (plaintext never outlives the call)."""
    folder = Path(tempfile.mkdtemp(prefix="amparo-backup-", dir=near))
    os.chmod(folder, 0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(args: Sequence[str], env: dict[str, str]) -> None:
    tool = shutil.which(args[0])
    if tool is None:
        raise BackupError(
            f"{args[0]} is not installed (Debian/Ubuntu: apt-get install postgresql-client)"
        )
    result = subprocess.run([tool, *args[1:]], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()[-2000:]}")


# --- Database dump and load ---------------------------------------------------------------------


def dump_database(target: Path) -> None:
    """An online, consistent copy of the default database into ``target``."""
    kind = vendor()
    if kind == "sqlite":
        connection.ensure_connection()
        source = connection.connection
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    elif kind == "postgresql":
        db = connection.settings_dict
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
                f"--dbname={db['NAME']}",
            ],
            _pg_env(db),
        )
    else:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {kind}")


def database_tables() -> list[str]:
    with connection.cursor() as cursor:
        return list(connection.introspection.table_names(cursor))


def load_database(source: Path) -> None:
    kind = vendor()
    if kind == "sqlite":
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        connection.ensure_connection()
        try:
            src.backup(connection.connection)
        finally:
            src.close()
        connections.close_all()
    elif kind == "postgresql":
        db = connection.settings_dict
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={db['NAME']}",
                str(source),
            ],
            _pg_env(db),
        )
    else:  # pragma: no cover - refused before
        raise BackupError(f"backups support SQLite and PostgreSQL, not {kind}")


# --- Backup -------------------------------------------------------------------------------------


def _archive_name(now: datetime.datetime) -> str:
    return now.astimezone(datetime.UTC).strftime("amparo-backup-%Y%m%dT%H%M%S%fZ") + SUFFIX


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the ``keep`` newest archives in ``folder`` (only files named like ours)."""
    if keep < 1:
        raise BackupError("--keep must be at least 1")
    archives = sorted(p for p in folder.iterdir() if p.is_file() and NAME_RE.match(p.name))
    doomed = archives[:-keep]
    for path in doomed:
        path.unlink()
    return doomed


def create_backup(
    *, out_dir: Path, recipients: Sequence[str], keep: int | None = None
) -> BackupResult:
    """Write one encrypted archive into ``out_dir``; then keep only the ``keep`` newest."""
    parsed = parse_recipients(recipients)
    kind = vendor()
    if kind not in DB_FILES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {kind}")
    out_dir.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    with private_tempdir() as work:
        staged = work / "staged"
        staged.mkdir()
        db_name = DB_FILES[kind]
        dump_database(staged / db_name)
        files = [db_name]
        root = media_root()
        if root is not None:
            for path in _media_files(root):
                rel = "media/" + path.relative_to(root).as_posix()
                (staged / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, staged / rel)
                files.append(rel)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database_vendor": kind,
            "database_file": db_name,
            "amparo_version": amparo_version(),
            "files": [
                {
                    "path": rel,
                    "sha256": sha256_file(staged / rel),
                    "size": (staged / rel).stat().st_size,
                }
                for rel in files
            ],
        }
        (staged / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        sums = [(sha256_file(staged / rel), rel) for rel in [MANIFEST, *files]]
        (staged / SUMS).write_text("".join(f"{digest}  {rel}\n" for digest, rel in sums))
        tar_path = work / "archive.tar.gz"
        with tarfile.open(tar_path, "w:gz") as tar:
            for rel in [SUMS, MANIFEST, *files]:
                tar.add(staged / rel, arcname=rel, recursive=False)
        final = out_dir / _archive_name(now)
        partial = out_dir / f".{final.name}.partial"
        try:
            pyrage.encrypt_file(str(tar_path), str(partial), parsed)
            os.chmod(partial, 0o600)
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    removed = prune(out_dir, keep) if keep is not None else []
    logger.info("backup written: %s (%d files)", final.name, len(files))
    return BackupResult(path=final, size=final.stat().st_size, manifest=manifest, removed=removed)


# --- Restore ------------------------------------------------------------------------------------


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = tar.getmembers()
    for member in members:
        name = member.name
        if not member.isfile() or name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"the archive holds an unexpected entry: {name!r}")
    return members


def open_archive(archive: Path, identity_file: Path, into: Path) -> dict[str, Any]:
    """Decrypt and unpack ``archive`` into ``into``; verify every checksum. Returns the manifest.

    Raises ``BackupError`` for a wrong identity, a tampered or truncated archive, or a checksum
    that does not match; nothing outside ``into`` is written.
    """
    identities = read_identities(identity_file)
    tar_path = into / "archive.tar.gz"
    try:
        pyrage.decrypt_file(str(archive), str(tar_path), identities)
    except Exception as exc:
        raise BackupError(
            f"cannot decrypt {archive.name}: wrong identity, or the archive was altered ({exc})"
        ) from exc
    unpacked = into / "unpacked"
    unpacked.mkdir()
    try:
        with tarfile.open(tar_path, "r:gz") as tar:
            tar.extractall(unpacked, members=_safe_members(tar), filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive.name} is not a readable backup archive: {exc}") from exc
    tar_path.unlink()
    verify_unpacked(unpacked)
    manifest: dict[str, Any] = json.loads((unpacked / MANIFEST).read_text())
    return manifest


def verify_unpacked(folder: Path) -> None:
    sums_file = folder / SUMS
    if not sums_file.is_file() or not (folder / MANIFEST).is_file():
        raise BackupError("the archive has no manifest or no checksums")
    listed: dict[str, str] = {}
    for line in sums_file.read_text().splitlines():
        digest, _, rel = line.partition("  ")
        listed[rel] = digest
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {SUMS}
    if set(listed) != present:
        raise BackupError("the archive's files do not match its checksum list")
    for rel, digest in listed.items():
        if sha256_file(folder / rel) != digest:
            raise BackupError(f"checksum mismatch for {rel}: the archive was altered")
    manifest = json.loads((folder / MANIFEST).read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"not an Amparo backup (format {manifest.get('format')!r})")
    for entry in manifest["files"]:
        path = folder / entry["path"]
        if listed.get(entry["path"]) != entry["sha256"] or path.stat().st_size != entry["size"]:
            raise BackupError(f"the manifest does not match {entry['path']}")
    if {e["path"] for e in manifest["files"]} != present - {MANIFEST}:
        raise BackupError("the manifest does not list the archive's files")


def restore_backup(*, archive: Path, identity_file: Path) -> dict[str, Any]:
    """Restore ``archive`` into the (empty) default database and MEDIA_ROOT."""
    if not archive.is_file():
        raise BackupError(f"no such archive: {archive}")
    with private_tempdir() as work:
        manifest = open_archive(archive, identity_file, work)
        unpacked = work / "unpacked"
        if manifest["database_vendor"] != vendor():
            raise BackupError(
                f"this archive holds a {manifest['database_vendor']} database and this Amparo"
                f" uses {vendor()}: restore into the same kind of database"
            )
        tables = database_tables()
        if tables:
            raise BackupError(
                f"the database is not empty ({len(tables)} tables): restore only into an empty"
                " database (a new SQLite file, or a freshly created PostgreSQL database),"
                " without running migrate first"
            )
        media = [e["path"] for e in manifest["files"] if e["path"].startswith("media/")]
        root = media_root()
        if media and root is None:
            raise BackupError("the archive holds uploaded files but MEDIA_ROOT is not set")
        if root is not None:
            for rel in media:
                target = root / rel.removeprefix("media/")
                if target.exists() and sha256_file(target) != sha256_file(unpacked / rel):
                    raise BackupError(f"{target} exists with other content; move it away first")
        load_database(unpacked / manifest["database_file"])
        if root is not None:
            for rel in media:
                target = root / rel.removeprefix("media/")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(unpacked / rel, target)
    logger.info("backup restored: %s", archive.name)
    return manifest
