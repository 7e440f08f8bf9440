"""Opening a library file: checks, migrations, sessions.

A *library* is one SQLite file holding corpus tables and the user's tables.
`open_library` is the only way in: it refuses files that are not libraries,
are damaged, or come from a newer schema (leaving them untouched), creates a
new empty library for a path that does not exist yet, and upgrades an older
schema after copying the file aside.
"""

from __future__ import annotations

import getpass
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from models.db.library_safety import (
    BUSY_TIMEOUT_MS,
    integrity_problem,
    needs_quick_check,
    read_uri,
    writable_reason,
)
from models.paths import EMBEDDED_CORPUS

APP_NAME = "xref-explorer"
SQLITE_MAGIC = b"SQLite format 3\x00"


_AUTHOR: ContextVar[str] = ContextVar("xref_author", default="")


def current_author() -> str:
    """Who makes the changes of the session now open (`Library.begin` sets it from `Library.author`)."""
    return _AUTHOR.get()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


class LibraryError(Exception):
    """A library file cannot be used; the message says why, in the user's terms."""


class ReadOnlyLibraryError(LibraryError):
    """A write was asked of a library opened read-only; nothing was changed."""


class LibraryPermissionError(LibraryError):
    """The shared library's server refused the change to the connected role (insufficient privilege);
    nothing was changed, and trying again with the same role cannot succeed."""


class LibraryBusyError(LibraryError):
    """Another program kept the library locked for longer than the busy timeout; nothing was changed."""


def unpack_ids(packed: str | None) -> list[int]:
    """The ids of a ``group_concat(id)`` (None when there were none), in its order.

    Queries a worker runs return their ids packed in one row: row by row, the worker would
    wait for the GIL at each row while the GUI thread runs Python.
    """
    return [int(value) for value in packed.split(",")] if packed else []


SERVER_GONE = ("57P01", "57P02", "57P03")  # admin_shutdown, crash_shutdown, cannot_connect_now


class LibraryUnavailable(LibraryError):
    """The shared library's server cannot be reached now; nothing of the action was written."""


class ReadCancelled(Exception):
    """A read was stopped by its `ReadCancel`: nobody wants its result any more."""


class ReadCancel:
    """Stops, from any thread, the statements of the sessions opened with it (``library.begin(cancel)``).

    SQLite's interrupt (on PostgreSQL, libpq's cancel request, as ``pg_cancel_backend``): the
    running statement ends at its next step, and the session raises `ReadCancelled`. A session
    opened after `cancel` raises at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: set = set()  # sqlite3 or psycopg connections
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            for connection in self._connections:
                stop = getattr(connection, "interrupt", None) or connection.cancel
                stop()

    @contextmanager
    def watching(self, connection) -> Iterator[None]:
        with self._lock:
            if self._cancelled:
                raise ReadCancelled()
            self._connections.add(connection)
        try:
            yield
        finally:
            with self._lock:  # an interrupt cannot reach the connection once it is back in the pool
                self._connections.discard(connection)


def default_library_path() -> Path:
    """The user's own library, in the platform's per-user data directory."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "library.sqlite"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def make_engine(path: Path | str, *, read_only: bool = False) -> Engine:
    """An engine on a library file with the pragmas every connection needs.

    Read-only engines open the file with SQLite's ``mode=ro`` (``immutable`` when its folder
    cannot be written either: read-only media), so nothing, not even the journal, is written.
    """
    if read_only:
        uri = read_uri(Path(path))
        engine = create_engine(f"sqlite:///{path}", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    else:
        engine = create_engine(f"sqlite:///{path}")
    _sqlite_hooks(engine)
    return engine


# --------------------------------------------------------------------------- SQLite-specific hooks
# Kept together: an engine on another database (issue 17) needs none of them.

WRITE_OPTION = "xref_write"  # execution option of a `Library.write` session: its BEGIN takes the write lock


def _sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, open transactions, so that DDL
        # (migrations, FTS tables) is transactional too and commits once.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # A writer takes the write lock up front, waiting up to the busy timeout for another
        # writer to finish. A deferred transaction that reads and then writes would instead fail
        # at once ("database is locked") when another writer committed in between.
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _is_busy(error: BaseException) -> bool:
    return isinstance(error, sa_exc.OperationalError) and any(
        word in str(error.orig).lower() for word in ("database is locked", "database is busy")
    )


@dataclass
class Library:
    """An open library: its path, engine and session factory.

    Callers own sessions, one per user action: ``with library.begin() as s: ...``
    commits on success and rolls back on error. A shared library on a server has its
    database URL in ``url`` (and the database name as ``path``).
    """

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    url: str | None = None
    author: str = ""  # recorded on every annotation written through this library (see `current_author`)
    role: str = ""  # a shared library's database role (the server's current_user), named when it refuses a change
    read_only: str | None = None  # why the library cannot be written (None: it can)

    @property
    def shared(self) -> bool:
        return self.url is not None

    @contextmanager
    def begin(self, cancel: ReadCancel | None = None) -> Iterator[Session]:
        """A session in a transaction; with ``cancel``, one that `ReadCancel.cancel` can stop.

        For reads. A session that writes should come from `write`: this one takes the write
        lock only at its first write, and fails if another writer committed since it began.
        """
        token = _AUTHOR.set(self.author)
        try:
            with self._cancelled_as_error(cancel), self._unavailable_as_error(), self.sessions.begin() as session:
                if cancel is None:
                    yield session
                    return
                try:
                    with cancel.watching(session.connection().connection.dbapi_connection):
                        yield session
                except Exception as error:
                    if cancel.cancelled:  # whatever the interrupted statement raised, the read was cancelled
                        raise ReadCancelled() from error
                    raise
        finally:
            _AUTHOR.reset(token)

    @staticmethod
    @contextmanager
    def _cancelled_as_error(cancel: ReadCancel | None) -> Iterator[None]:
        """Whatever a cancelled read raises, even at its commit (a server's cancel can land there), is `ReadCancelled`."""
        try:
            yield
        except ReadCancelled:
            raise
        except Exception as error:
            if cancel is not None and cancel.cancelled:
                raise ReadCancelled() from error
            raise

    @contextmanager
    def _unavailable_as_error(self) -> Iterator[None]:
        """On a server, a lost connection becomes `LibraryUnavailable` (a message for the user); the
        pool drops the dead connection and the next action connects afresh."""
        try:
            yield
        except sa_exc.ProgrammingError as error:
            if not self.shared or getattr(error.orig, "sqlstate", None) != "42501":  # insufficient_privilege
                raise
            raise LibraryPermissionError(
                f"Your database role ({self.role or 'this login'}) may not make this change in the shared "
                "library; ask its maintainer for more rights. Nothing was changed."
            ) from error
        except (sa_exc.OperationalError, sa_exc.InterfaceError) as error:
            state = getattr(error.orig, "sqlstate", None) or ""
            lost = error.connection_invalidated or not state or state.startswith("08") or state in SERVER_GONE
            if not self.shared or not lost:
                raise
            self.engine.dispose()
            raise LibraryUnavailable(
                "The shared library cannot be reached (the connection to its server was lost); "
                "nothing was saved. The app retries."
            ) from error

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session for one change, holding the write lock from its start to its commit.

        Waits up to the busy timeout for another writer (an import, a merge in another
        program); raises `LibraryBusyError` when it still cannot write and
        `ReadOnlyLibraryError` for a library opened read-only. Either way nothing changed.
        """
        self.check_writable()
        token = _AUTHOR.set(self.author)
        try:
            with self._unavailable_as_error(), self.sessions.begin() as session:
                session.connection(execution_options={WRITE_OPTION: True})
                yield session
        except sa_exc.OperationalError as error:
            if _is_busy(error):
                raise LibraryBusyError(
                    f"{self.path} is busy: another program (an import or a merge) kept it locked for more than "
                    f"{BUSY_TIMEOUT_MS // 1000} s; nothing was changed. Try again when it has finished."
                ) from error
            raise
        finally:
            _AUTHOR.reset(token)

    def check_writable(self) -> None:
        """Raise `ReadOnlyLibraryError` (saying why) when the library was opened read-only."""
        if self.read_only:
            raise ReadOnlyLibraryError(f"{self.path} is read-only ({self.read_only}); nothing was changed.")

    def close(self) -> None:
        self.engine.dispose()


def _revision_of(path: Path) -> str | None:
    """The schema revision stored in an existing SQLite file, or raise LibraryError."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise LibraryError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if header != SQLITE_MAGIC:
        raise LibraryError(f"{path} is not an Xref Explorer library (it is not an SQLite database).")
    try:
        connection = sqlite3.connect(read_uri(path), uri=True)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables:
                if tables:
                    raise LibraryError(f"{path} is an SQLite database but not an Xref Explorer library.")
                return None
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise LibraryError(f"{path} is damaged or not a library ({exc}); it was left untouched.") from exc


def _check_integrity(path: Path, *, full: bool = False) -> None:
    """Refuse a damaged file, reading it through without writing anything."""
    problem = integrity_problem(path, full=full)
    if problem:
        raise LibraryError(
            f"{path} is damaged ({problem}); it was left untouched. Restore a backup with `xref-explorer restore`."
        )


def _upgrade(engine: Engine) -> None:
    with engine.begin() as connection:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def create_library(path: Path) -> None:
    """Create a new, empty library at ``path`` (which must not exist)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    try:
        _upgrade(engine)
    finally:
        engine.dispose()


def _seed_library(path: Path, seed: Path) -> None:
    """Create the user's library at ``path`` as a copy of the embedded corpus ``seed``, or raise."""

    def refuse(problem: str) -> LibraryError:
        return LibraryError(
            f"The embedded corpus {problem}; no library was created. Reinstall Xref Explorer, or open a library file with --db."
        )

    if not seed.is_file():
        raise refuse(f"was not found at {seed}")
    try:
        revision = _revision_of(seed)
    except LibraryError as error:
        cause = error.__cause__
        detail = getattr(cause, "strerror", None) or cause or "it is not an Xref Explorer library"
        raise refuse(f"at {seed} cannot be read ({detail})") from error
    except OSError as error:
        raise refuse(f"at {seed} cannot be read ({error.strerror or error})") from error
    if revision is None:
        raise refuse(f"at {seed} holds no library")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.part")
    shutil.copyfile(seed, partial)
    partial.replace(path)  # a copy cut short never becomes the library


def open_library(
    path: Path | str | None = None, *, seed: Path | None = EMBEDDED_CORPUS, read_only: bool | None = None
) -> Library:
    """Open (creating or upgrading if needed) the library at ``path``.

    ``path`` None means the user's default library, created on first use as a
    copy of ``seed`` (the embedded corpus; None: start empty). A seed that cannot be
    found or read is refused with a message naming it, and no library is created:
    an incomplete installation never passes for an empty library. Any other path
    that does not exist becomes a new, empty library, if its folder exists. ``read_only``
    None opens read-only exactly when the file or its folder cannot be written; True always.
    A library not closed cleanly (or small enough) gets SQLite's quick check first.
    A database URL (``postgresql+psycopg://...``) opens a shared library on a server
    (`models.db.pg_library`).
    """
    if isinstance(path, str) and "://" in path:
        from models.db.pg_library import is_url, open_shared_library

        if not is_url(path):
            raise LibraryError(f"{path} is not a library: give a file path or a postgresql:// URL.")
        return open_shared_library(path)
    if path is None:
        path = default_library_path()
        if not path.exists() and seed is not None:
            _seed_library(path, seed)
    path = Path(path)
    if not path.exists():
        if not path.parent.is_dir():
            raise LibraryError(f"Cannot create the library {path}: the folder {path.parent} does not exist.")
        if read_only:
            raise LibraryError(f"{path} does not exist.")
        create_library(path)
    elif path.is_dir():
        raise LibraryError(f"{path} is a folder, not a library file.")
    elif not path.is_file():
        raise LibraryError(f"{path} is not a regular file (a device or a pipe?), so not a library.")
    # Asked before any connection of ours is opened: a read-only one leaves -wal and -shm files behind.
    check = needs_quick_check(path)
    reason = writable_reason(path) if read_only is None else ("opened read-only" if read_only else None)
    revision = _revision_of(path)
    scripts = ScriptDirectory.from_config(alembic_config())
    known = {script.revision for script in scripts.walk_revisions()}
    if revision is not None and revision not in known:
        raise LibraryError(
            f"{path} was written by a newer version of Xref Explorer (schema {revision}); "
            "it was left untouched. Update Xref Explorer to open it."
        )
    head = scripts.get_current_head()
    if revision != head or check:
        _check_integrity(path)
    if reason:
        if revision != head:
            raise LibraryError(
                f"{path} needs an upgrade but is read-only ({reason}); it was left untouched. "
                "Copy it to a folder you can write to and open the copy."
            )
        engine = make_engine(path, read_only=True)
        return Library(path=path, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False), read_only=reason)
    engine = make_engine(path)
    if revision != head:
        if revision is not None:
            from models.db.backups import make_backup

            backup = path.with_name(f"{path.name}.before-{head}.bak")
            shutil.copyfile(path, backup)
            make_backup(path, "upgrade")
        _upgrade(engine)
    # Readers never block the writer; commits survive a crash. Also the last connection the checks
    # opened: it can write, so its close removes the -wal and -shm files the read-only ones left.
    set_journal_mode(path, "WAL")
    return Library(path=path, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False), author=_login_name())


def set_journal_mode(path: Path, mode: str) -> None:
    """Switch a library file's journal mode (outside any transaction, as SQLite requires)."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute(f"PRAGMA journal_mode={mode}")
        if mode.upper() == "DELETE":
            connection.execute("VACUUM")
    finally:
        connection.close()


def check_library(path: Path | str) -> str:
    """SQLite's full integrity check of a library file, read-only: "ok" or the problems found."""
    path = Path(path)
    _revision_of(path)
    return integrity_problem(path, full=True) or "ok"


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
