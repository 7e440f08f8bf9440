"""Automatic backups of a library, made before every import, replace, merge and upgrade (kept only
when the command changed something: a failed import leaves the backups as they were).

Backups are complete, consistent copies (SQLite's online backup, safe while the
library is in use) in a ``<library>.backups`` folder beside it; the newest
`KEEP` are kept, as Zotero keeps its last few. `restore_backup` copies one back
after making a backup of the library as it was, so a restore can be undone too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from models.db.library_safety import read_uri

KEEP = 5
_NAME = re.compile(r"^(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z-]+)\.sqlite$")


class BackupError(ValueError):
    """A backup cannot be made or restored; the message says why."""


@dataclass(frozen=True)
class Backup:
    path: Path
    made: dt.datetime  # UTC
    reason: str  # "import", "replace", "merge", "upgrade", "restore", "build"

    def describe(self) -> str:
        return f"{self.path.name}  ({self.reason}, {self.made:%Y-%m-%d %H:%M:%S} UTC, {self.path.stat().st_size:,} bytes)"


def backup_folder(library: Path) -> Path:
    return library.with_name(f"{library.name}.backups")


def list_backups(library: Path) -> list[Backup]:
    """The library's backups, newest first."""
    folder = backup_folder(Path(library))
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = _NAME.match(path.name)
            if match:
                made = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f").replace(tzinfo=dt.UTC)
                found.append(Backup(path, made, match["reason"]))
    return sorted(found, key=lambda b: b.made, reverse=True)


def _copy(source: Path, destination: Path) -> None:
    """A consistent copy through SQLite's backup API (waits for a writer, sees only committed data)."""
    src = sqlite3.connect(read_uri(source), uri=True, timeout=30)
    try:
        dst = sqlite3.connect(destination, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


class PendingBackup:
    """A backup made before a change that may not happen (`backup_before`): kept once ``changed``."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.changed = False


@contextmanager
def backup_before(library: Path | None, reason: str, keep: int = KEEP) -> Iterator[PendingBackup]:
    """A backup of ``library`` (None: a shared library, backed up on its server) made now, for a change
    named ``reason`` that the block may or may not make. It is kept, and the oldest beyond ``keep``
    dropped, only if the block sets ``changed`` (even if it then fails); otherwise it is removed, so
    that failed or empty commands never push real backups out."""
    pending = PendingBackup(make_backup(library, reason, keep=None) if library is not None else None)
    try:
        yield pending
    finally:
        if pending.path is not None:
            if pending.changed:
                _drop_oldest(library, keep)
            else:
                pending.path.unlink(missing_ok=True)


def _drop_oldest(library: Path, keep: int) -> None:
    for old in list_backups(library)[keep:]:
        old.path.unlink(missing_ok=True)


def make_backup(library: Path, reason: str, keep: int | None = KEEP, *, raw: bool = False) -> Path:
    """Copy ``library`` into its backup folder before a change named ``reason``; drop the oldest beyond
    ``keep`` (None: drop none yet, as `backup_before` does until the change is made).

    ``raw`` copies the file's bytes instead (for a damaged library SQLite cannot read through).
    """
    library = Path(library)
    folder = backup_folder(library)
    try:
        folder.mkdir(exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
        destination = folder / f"{stamp}-{reason}.sqlite"
        partial = destination.with_suffix(".partial")
        if raw:
            shutil.copyfile(library, partial)
        else:
            _copy(library, partial)
        partial.replace(destination)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"Cannot make a backup of {library} in {folder} ({error}); nothing was changed.") from error
    if keep is not None:
        _drop_oldest(library, keep)
    return destination


def restore_backup(library: Path, backup: Path) -> Path | None:
    """Bring ``backup`` back as ``library``; return the backup made of the library as it was (None if there was none).

    The file is replaced whole (the app must not have the library open meanwhile), so a damaged
    library can be restored too: its bytes are kept as a backup first.
    """
    library, backup = Path(library), Path(backup)
    if not backup.is_file():
        raise BackupError(f"{backup} is not a backup file.")
    partial = library.with_name(f".{library.name}.restoring")
    try:
        shutil.copyfile(backup, partial)  # first: the backup below may rotate this one away
    except OSError as error:
        raise BackupError(f"Cannot restore {backup} into {library} ({error.strerror or error}).") from error
    saved = None
    if library.exists():
        try:
            saved = make_backup(library, "restore")
        except BackupError:
            saved = make_backup(library, "restore", raw=True)
    try:
        for suffix in ("-wal", "-shm", "-journal"):  # they belong to the file being replaced
            Path(f"{library}{suffix}").unlink(missing_ok=True)
        os.replace(partial, library)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Cannot restore {backup} into {library} ({error.strerror or error}).") from error
    return saved
