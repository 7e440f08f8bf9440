"""Opening a shared library on a PostgreSQL server, named by a SQLAlchemy URL.

``postgresql+psycopg://host/dbname`` (or ``postgresql+psycopg:///dbname?host=/run/postgresql`` for a
Unix socket, ``?service=delegation`` for a libpq service file). Passwords are never stored by the
app: libpq finds them in ``~/.pgpass``, ``PGPASSWORD`` or the service file, and every libpq
parameter of the URL (``sslmode``, ``sslrootcert``...) is passed through. Alembic creates and
upgrades the same schema as on SQLite (full-text tables differ, see `models.fulltext_sql`);
the upgrade holds an advisory lock, so two members opening a new server at once do not both
create it. There is no backup copy on a server: its upgrade runs in one transaction.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, exc, inspect, make_url, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import sessionmaker
from sqlalchemy.sql.functions import GenericFunction

from models.db.library import Library, LibraryError, alembic_config

URL_SCHEMES = ("postgresql", "postgres")
UPGRADE_LOCK = 4_170_017  # pg_advisory_xact_lock key held while the schema is created or upgraded


class group_concat(GenericFunction):
    """``func.group_concat(x[, sep])``: SQLite's own; ``string_agg`` on PostgreSQL."""

    name = "group_concat"
    inherit_cache = True


@compiles(group_concat, "postgresql")
def _group_concat_postgres(element, compiler, **kw) -> str:
    args = list(element.clauses)
    value = compiler.process(args[0], **kw)
    separator = compiler.process(args[1], **kw) if len(args) > 1 else "','"
    return f"string_agg(CAST({value} AS TEXT), {separator})"


def is_url(location: object) -> bool:
    """Whether a ``--db`` value names a server (a SQLAlchemy URL) rather than a library file."""
    return isinstance(location, str) and location.split(":", 1)[0].split("+", 1)[0] in URL_SCHEMES


def shown(url: str) -> str:
    """The URL as shown to the user: never with a password."""
    return make_url(url).render_as_string(hide_password=True)


def make_server_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(
        parsed,
        pool_pre_ping=True,
        pool_size=4,
        max_overflow=4,
        connect_args={"application_name": "xref-explorer", "connect_timeout": 10},
    )


def _first_line(error: Exception) -> str:
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()
    return detail[0] if detail else type(error).__name__


def open_shared_library(url: str) -> Library:
    """Open (creating or upgrading its schema if needed) the library in the database at ``url``.

    Raises `LibraryError` for a server that cannot be reached, a database holding other
    tables, or a schema written by a newer version (the database is left untouched).
    """
    try:
        engine = make_server_engine(url)
    except (exc.ArgumentError, ValueError) as error:
        raise LibraryError(f"{url!r} is not a database URL ({error}).") from error
    try:
        _prepare(engine, url)
    except exc.OperationalError as error:
        engine.dispose()
        raise LibraryError(f"Cannot open the shared library {shown(url)}: {_first_line(error)}") from error
    except exc.ProgrammingError as error:  # a member's role may not create or upgrade the schema
        engine.dispose()
        raise LibraryError(
            f"The shared library {shown(url)} needs its schema created or upgraded by the database's owner "
            f"(xref-explorer --db URL admin init): {_first_line(error)}"
        ) from error
    except BaseException:
        engine.dispose()
        raise
    name = make_url(url).database or "shared"
    with engine.connect() as connection:
        role = connection.scalar(text("SELECT current_user"))
    return Library(
        path=Path(name), engine=engine, sessions=sessionmaker(engine, expire_on_commit=False), url=url, author=role, role=role
    )


def _prepare(engine: Engine, url: str) -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    known = {script.revision for script in scripts.walk_revisions()}
    with engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        tables = set(inspect(connection).get_table_names())
    if revision is None and tables - {"alembic_version"}:
        raise LibraryError(f"{shown(url)} holds other tables: it is not an Xref Explorer library; it was left untouched.")
    if revision is not None and revision not in known:
        raise LibraryError(
            f"{shown(url)} was written by a newer version of Xref Explorer (schema {revision}); "
            "it was left untouched. Update Xref Explorer to open it."
        )
    if revision == scripts.get_current_head():
        return
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": UPGRADE_LOCK})
        if MigrationContext.configure(connection).get_current_revision() == scripts.get_current_head():
            return  # another member's app upgraded it while we waited
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
