"""Administering a shared library on PostgreSQL: ``xref-explorer --db URL admin init|grant``.

``init`` (run by the database's owner) creates or upgrades the schema and three group roles,
each able to do what the one before can, and more:

* ``xref_reader`` — browse, search, export;
* ``xref_editor`` — annotate (the ``user_*`` tables);
* ``xref_maintainer`` — import, replace and rebuild reports (the corpus tables).

Members are ordinary login roles made members of one of them (``admin grant NAME ROLE``, or
``GRANT xref_editor TO anna``). Schema upgrades stay with the owner. The app reads what the
connected role may do (`abilities`) and disables the rest, saying why.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from models.db.library import Library, LibraryError

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


def init_roles(library: Library) -> list[str]:
    """Create the three roles (if missing) and grant each its rights on every table; returns what was done."""
    if not library.shared:
        raise LibraryError("admin init is for a shared library on PostgreSQL: give --db postgresql+psycopg://...")
    done = []
    with library.begin() as session:
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
        done.append(
            f"roles {READER}, {EDITOR}, {MAINTAINER} on {database}: {len(tables)} tables ({len(user_tables)} user tables)"
        )
    return done


def grant(library: Library, member: str, level: str) -> str:
    """Make the login role ``member`` a reader, editor or maintainer (revoking the other two)."""
    if level not in ROLES:
        raise LibraryError(f"Unknown level {level!r}: use reader, editor or maintainer.")
    with library.begin() as session:
        if not session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": member}):
            raise LibraryError(f"There is no database role {member!r}: create it first (createuser {member}).")
        for role in ROLES.values():
            session.execute(text(f'REVOKE {role} FROM "{member}"'))
        session.execute(text(f'GRANT {ROLES[level]} TO "{member}"'))
    return f"{member} is now {level} ({ROLES[level]})."
