"""SQLite file checks used when a library is opened: can it be written, was it closed cleanly, is it whole.

Nothing here writes to the library: every check reads it through a ``mode=ro``
connection (``immutable`` when its folder cannot be written), so a refused file
is left byte-for-byte as it was.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

BUSY_TIMEOUT_MS = 5000  # how long a writer waits for another one before giving up
QUICK_CHECK_ALWAYS_BELOW = 16 * 2**20  # smaller libraries are quick-checked at every open (about 8 ms per MB)


def _folder_writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK | os.X_OK)


def writable_reason(path: Path) -> str | None:
    """Why the library file at ``path`` cannot be written (None when it can).

    SQLite writes its journal beside the file, so an unwritable folder makes the library read-only too.
    """
    if not _folder_writable(path):
        return f"its folder {path.parent} cannot be written (read-only media?)"
    if not os.access(path, os.W_OK):
        return "you may only read this file"
    return None


def read_uri(path: Path) -> str:
    """An SQLite URI opening ``path`` read-only; immutable when SQLite could not create its
    shared-memory file beside it (a WAL library on read-only media)."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    sidecars = all(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))
    if not _folder_writable(path) and not sidecars:
        uri += "&immutable=1"
    return uri


def needs_quick_check(path: Path) -> bool:
    """Whether opening should run SQLite's quick check: always for a small library; for a large
    one when it was not closed cleanly (its write-ahead log or rollback journal is still there)."""
    try:
        if path.stat().st_size < QUICK_CHECK_ALWAYS_BELOW:
            return True
    except OSError:
        return True
    return any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal"))


def integrity_problem(path: Path, *, full: bool = False) -> str | None:
    """The first problems SQLite's quick check (or, with ``full``, integrity check) finds; None when whole."""
    pragma = "integrity_check(20)" if full else "quick_check(20)"
    try:
        connection = sqlite3.connect(read_uri(path), uri=True)
        try:
            rows = [row[0] for row in connection.execute(f"PRAGMA {pragma}")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows == ["ok"]:
        return None
    return "; ".join(rows[:3]) + (f"; and {len(rows) - 3} more problems" if len(rows) > 3 else "") if rows else "no answer"
