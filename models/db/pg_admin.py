"""Administering a shared library on PostgreSQL: ``xref-explorer --db URL admin init|grant``.

``init`` (run by the database's owner, a role with CREATEROLE) creates or upgrades the schema and
three group roles, each able to do what the one before can, and more:

* ``xref_reader`` — browse, search, export;
* ``xref_editor`` — annotate (the ``user_*`` tables);
* ``xref_maintainer`` — import, replace and rebuild reports (the corpus tables).

Members are ordinary login roles made members of one of them (``admin grant NAME ROLE``, or
``GRANT xref_editor TO anna``). Schema upgrades stay with the owner. The app reads what the
connected role may do (`abilities`) and disables the rest, saying why.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, exc, inspect, text
from sqlalchemy.orm import Session

from models.db.library import Library, LibraryError, LibraryPermissionError
from models.db.pg_library import is_url, make_server_engine, open_shared_library, shown

READER, EDITOR, MAINTAINER = "xref_reader", "xref_editor", "xref_maintainer"
ROLES = {"reader": READER, "editor": EDITOR, "maintainer": MAINTAINER}


@dataclass(frozen=True)
class Abilities:
    """What the connected role may do in this library; ``role`` names it for messages."""

    role: str = ""
    annotate: bool = True
    maintain: bool = True

    def why_not(self, what: str) -> str:
        needed = "editor" if what == "annotate" else "maintainer"
        return (
            f"Your role on this shared library ({self.role}) may not {what}: "
            f"ask its maintainer to make you {needed} (xref-explorer admin grant {self.role} {needed})."
        )


FULL = Abilities()


def abilities(session: Session) -> Abilities:
    """Which of annotating and maintaining the session's role may do (everything on SQLite)."""
    if session.get_bind().dialect.name != "postgresql":
        return FULL
    role, annotate, maintain = session.execute(
        text("SELECT current_user, has_table_privilege('user_note', 'INSERT'), has_table_privilege('document', 'INSERT')")
    ).one()
    return Abilities(role=role, annotate=bool(annotate), maintain=bool(maintain))


def _ensure_role(session: Session, name: str) -> None:
    if not session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}):
        session.execute(text(f'CREATE ROLE "{name}" NOLOGIN'))


def _refuse_unless_owner_with_createrole(connection: Connection | Session) -> None:
    """`init` creates roles and grants rights on the owner's tables: refuse, before anything is created,
    a role that may not create roles or does not own the database (a superuser may do both)."""
    role, database, owner, may_create, owns = connection.execute(
        text(
            "SELECT r.rolname, d.datname, pg_get_userbyid(d.datdba), r.rolcreaterole OR r.rolsuper, "
            "r.rolsuper OR pg_has_role(r.oid, d.datdba, 'MEMBER') "
            "FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()"
        )
    ).one()
    if not may_create:
        raise LibraryError(
            f"Your database role ({role}) may not create roles, and admin init creates {READER}, {EDITOR} and "
            f"{MAINTAINER}; nothing was changed. Give it the right first (sudo -u postgres psql -c "
            f"'ALTER ROLE \"{role}\" CREATEROLE'), then run admin init again."
        )
    if not owns:
        raise LibraryError(
            f"Your database role ({role}) does not own the database {database}: run admin init as its owner "
            f"({owner}); nothing was changed."
        )


def init_library(url: str) -> list[str]:
    """``admin init`` on the database at ``url``: check that the connected role owns the database and
    may create roles, then
    create or upgrade the schema (`open_shared_library`) and the roles (`init_roles`).

    The check comes first because creating the schema commits on its own: a role refused only at
    its first CREATE ROLE would leave every table behind.
    """
    if not is_url(url):
        raise LibraryError("admin init is for a shared library on PostgreSQL: give --db postgresql+psycopg://...")
    try:
        engine = make_server_engine(url)
    except (exc.ArgumentError, ValueError) as error:
        raise LibraryError(f"{url!r} is not a database URL ({error}).") from error
    try:
        with engine.connect() as connection:
            _refuse_unless_owner_with_createrole(connection)
    except exc.OperationalError as error:
        detail = str(error.orig or error).strip().splitlines()
        raise LibraryError(f"Cannot open the shared library {shown(url)}: {detail[0] if detail else error}") from error
    finally:
        engine.dispose()
    library = open_shared_library(url)
    try:
        return init_roles(library)
    finally:
        library.close()


def init_roles(library: Library) -> list[str]:
    """Create the three roles (if missing) and grant each its rights on every table, in one
    transaction; returns what was done."""
    if not library.shared:
        raise LibraryError("admin init is for a shared library on PostgreSQL: give --db postgresql+psycopg://...")
    try:
        with library.begin() as session:
            done = [_grant_rights(session)]
    except LibraryPermissionError as error:
        detail = str(getattr(error.__cause__, "orig", None) or error).strip().splitlines()[0]
        raise LibraryError(
            f"admin init must be run by the database's owner with the right to create roles ({detail}); nothing was changed."
        ) from error
    return done


def _grant_rights(session: Session) -> str:
    _refuse_unless_owner_with_createrole(session)
    tables = inspect(session.connection()).get_table_names()
    user_tables = [t for t in tables if t.startswith("user_")]
    corpus_tables = [t for t in tables if not t.startswith("user_") and t != "alembic_version"]
    database = session.scalar(text("SELECT current_database()"))
    for role in (READER, EDITOR, MAINTAINER):
        _ensure_role(session, role)
    session.execute(text(f"GRANT {READER} TO {EDITOR}"))
    session.execute(text(f"GRANT {EDITOR} TO {MAINTAINER}"))
    session.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {READER}'))
    session.execute(text(f"GRANT USAGE ON SCHEMA public TO {READER}"))
    session.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER}"))
    session.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {READER}"))
    session.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(user_tables)} TO {EDITOR}"))
    session.execute(text(f"GRANT UPDATE ON ALL SEQUENCES IN SCHEMA public TO {EDITOR}"))
    session.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(corpus_tables)} TO {MAINTAINER}"))
    session.execute(text(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {READER}"))
    return f"roles {READER}, {EDITOR}, {MAINTAINER} on {database}: {len(tables)} tables ({len(user_tables)} user tables)"


def _initialised(session: Session) -> bool:
    """Whether `init` ran on this database: the three roles exist (they are the server's, shared by
    its databases) and the reader may read this one's tables."""
    found = session.scalar(
        text("SELECT count(*) FROM pg_roles WHERE rolname IN (:r, :e, :m)"), {"r": READER, "e": EDITOR, "m": MAINTAINER}
    )
    return found == 3 and bool(session.scalar(text(f"SELECT has_table_privilege('{READER}', 'document', 'SELECT')")))


def grant(library: Library, member: str, level: str) -> str:
    """Make the login role ``member`` a reader, editor or maintainer (revoking the other two)."""
    if level not in ROLES:
        raise LibraryError(f"Unknown level {level!r}: use reader, editor or maintainer.")
    with library.begin() as session:
        if not _initialised(session):
            raise LibraryError(
                "The roles of this shared library are not set up: run `xref-explorer admin init` first "
                "(as the database's owner); nothing was changed."
            )
        if not session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": member}):
            raise LibraryError(f"There is no database role {member!r}: create it first (createuser {member}).")
        for role in ROLES.values():
            session.execute(text(f'REVOKE {role} FROM "{member}"'))
        session.execute(text(f'GRANT {ROLES[level]} TO "{member}"'))
    return f"{member} is now {level} ({ROLES[level]})."
