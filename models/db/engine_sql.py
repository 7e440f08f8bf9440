"""SQL fragments that differ between SQLite and PostgreSQL (besides full-text search, `fulltext_sql`).

A page of ids or of recommendation keys travels as one JSON parameter: SQLite reads it with
``json_each``, PostgreSQL with ``json_array_elements``. Each fragment yields the same columns
on both, so the statements around them are written once.
"""

from __future__ import annotations

from sqlalchemy.orm import Session


def dialect(session: Session) -> str:
    """ "sqlite" or "postgresql" for the session's database."""
    return session.get_bind().dialect.name


def id_values(dialect_name: str, param: str) -> str:
    """A FROM item of one integer column ``value``: the ids of the JSON array ``:param``."""
    if dialect_name == "postgresql":
        return f"(SELECT CAST(e AS bigint) AS value FROM json_array_elements_text(CAST(:{param} AS json)) AS e)"
    return f"json_each(:{param})"


def pair_values(dialect_name: str, param: str, alias: str) -> tuple[str, str, str]:
    """A FROM item named ``alias`` over the JSON array of pairs ``:param``, and its two texts' expressions."""
    if dialect_name == "postgresql":
        return (
            f"json_array_elements(CAST(:{param} AS json)) AS {alias}(value)",
            f"({alias}.value ->> 0)",
            f"({alias}.value ->> 1)",
        )
    return (f"json_each(:{param}) AS {alias}", f"json_extract({alias}.value, '$[0]')", f"json_extract({alias}.value, '$[1]')")
