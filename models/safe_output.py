"""Writing an export file without destroying anything.

Every export (CSV, Word, the rebuilt corpus) writes through `atomic_output`:
the user's path is followed through symlinks to the file it names; a folder,
a device or pipe, and any SQLite database (the open library or another one)
are refused; the new content goes to a temporary file beside the target and
replaces it only once complete. Errors name the user's path, never the
temporary file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

SQLITE_MAGIC = b"SQLite format 3\x00"


class OutputError(OSError):
    """An export file that must not or cannot be written; the message names the user's path."""


def _strerror(error: OSError) -> str:
    return error.strerror or str(error)


def output_target(path: Path | str, *, library: Path | None = None) -> Path:
    """The file an export to ``path`` should replace (symlinks followed), or `OutputError` saying why not."""
    path = Path(path)
    target = Path(os.path.realpath(path))
    if target.exists():
        if target.is_dir():
            raise OutputError(f"{path} is a folder; name a file to write.")
        if not target.is_file():
            raise OutputError(f"{path} is not a regular file (a device or a pipe); it was left alone. Name a file.")
        if library is not None and library.exists() and target.samefile(library):
            raise OutputError(f"{path} is the open library; it was left untouched. Name another file.")
        try:
            with target.open("rb") as handle:
                header = handle.read(len(SQLITE_MAGIC))
        except OSError as error:
            raise OutputError(f"Cannot write {path}: {_strerror(error)}.") from error
        if header == SQLITE_MAGIC:
            raise OutputError(f"{path} is a library (an SQLite database); it was left untouched. Name another file.")
    elif not target.parent.is_dir():
        raise OutputError(f"Cannot write {path}: the folder {path.parent} does not exist.")
    return target


@contextmanager
def atomic_output(path: Path | str, mode: str = "w", *, library: Path | None = None, **open_args: Any) -> Iterator[IO[Any]]:
    """A stream whose content replaces ``path`` (its target, through symlinks) when the block ends
    without an error; nothing changes otherwise. ``mode`` is "w" (text) or "wb"."""
    target = output_target(path, library=library)
    temporary = target.with_name(f".~{target.stem}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        # os.open with 0o666 lets the umask decide the permissions, as for any new file.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as error:
        raise OutputError(f"Cannot write {path}: {_strerror(error)}.") from error
    try:
        with os.fdopen(handle, mode, **open_args) as stream:
            yield stream
        if target.exists():  # keep the mode of the file replaced
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"Cannot write {path}: {_strerror(error)}.") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
