"""Full-text search (SQLite FTS5) over recommendations, sub-items, remarks and paragraphs.

The FTS tables are keyed by the indexed row's id (``rowid``) and use the porter
stemmer, so "trace" finds "tracing". Queries use FTS5 syntax: words, "phrases",
prefixes (``traff*``), ``OR``, ``NOT``, ``NEAR``. A query FTS5 cannot read raises
`QuerySyntaxError` with a message meant for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import exc, select, text
from sqlalchemy.orm import Session

from models.db import schema
HIGHLIGHT_OPEN = "\u27e6"  # ⟦ and ⟧ mark matched words in snippets; views restyle them
HIGHLIGHT_CLOSE = "\u27e7"


class QuerySyntaxError(ValueError):
    """A search query FTS5 cannot read; str() is a message for the user."""


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "recommendation" or "remark"
    id: int
    document_key: str
    reference: str  # "Recommendation 18", "Recommendation 47(a)", "para. 9"
    snippet: str
    rank: float


def index_document(session: Session, document_id: int) -> None:
    """Add a document's texts to the FTS tables (after `store.store_report`)."""
    for table, source in (("recommendation_fts", "recommendation"), ("remark_fts", "remark"), ("paragraph_fts", "paragraph")):
        session.execute(
            text(f"INSERT INTO {table}(rowid, text) SELECT id, text FROM {source} WHERE document_id = :d"),
            {"d": document_id},
        )



def normalise_query(query: str) -> str:
    """Accept what people type: hyphenated words become phrases ("record-keeping"), and a hyphen
    still waiting for the rest of its word ("record-") is left out. "Phrases" stay as typed."""
    parts = query.strip().split('"')
    for index in range(0, len(parts), 2):  # the parts outside quotes
        part = re.sub(r"(?<=\w)-+(?!\w)", "", parts[index])
        parts[index] = re.sub(r"\b(\w+(?:-\w+)+)\b", lambda m: f'"{m.group(1)}"', part)
    return '"'.join(parts).strip()


def _raise_readable(query: str, error: exc.DBAPIError) -> None:
    detail = str(error.orig) if error.orig else str(error)
    raise QuerySyntaxError(
        f"Cannot read the search {query!r}: {detail}. Use words, \"exact phrases\", prefix*, OR, NOT."
    ) from error


def matching_ids(session: Session, table: str, query: str) -> list[int]:
    """Row ids whose text matches ``query`` in ``table`` ("recommendation_fts"...), best first."""
    fts = normalise_query(query)
    if not fts:
        return []
    try:
        rows = session.execute(
            text(f"SELECT rowid FROM {table} WHERE {table} MATCH :q ORDER BY rank"), {"q": fts}
        )
        return [row[0] for row in rows]
    except exc.OperationalError as error:
        _raise_readable(query, error)
        raise  # unreachable; keeps type checkers calm


def search(session: Session, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Recommendations and remarks matching ``query``, ranked by BM25, with highlighted snippets."""
    fts = normalise_query(query)
    if not fts:
        return []
    hits: list[SearchHit] = []
    try:
        for table, kind in (("recommendation_fts", "recommendation"), ("remark_fts", "remark")):
            rows = session.execute(
                text(
                    f"SELECT rowid, rank, snippet({table}, 0, :o, :c, '…', 24) FROM {table} "
                    f"WHERE {table} MATCH :q ORDER BY rank LIMIT :n"
                ),
                {"q": fts, "o": HIGHLIGHT_OPEN, "c": HIGHLIGHT_CLOSE, "n": limit},
            ).all()
            hits.extend(_describe(session, kind, rows))
    except exc.OperationalError as error:
        _raise_readable(query, error)
    hits.sort(key=lambda hit: hit.rank)
    return hits[:limit]


def _describe(session: Session, kind: str, rows) -> list[SearchHit]:  # noqa: ANN001
    if not rows:
        return []
    ids = [row[0] for row in rows]
    if kind == "recommendation":
        found = session.execute(
            select(schema.Recommendation.id, schema.Recommendation.number, schema.Recommendation.letter,
                   schema.Recommendation.ordinal, schema.Document.key)
            .join(schema.Document)
            .where(schema.Recommendation.id.in_(ids))
        ).all()
        labels = {
            r.id: (r.key, f"Recommendation {r.ordinal}({r.letter})" if r.letter else f"Recommendation {r.number}")
            for r in found
        }
    else:
        found = session.execute(
            select(schema.Remark.id, schema.Paragraph.number, schema.Remark.speaker_label, schema.Document.key)
            .join(schema.Paragraph, schema.Remark.paragraph_id == schema.Paragraph.id)
            .join(schema.Document, schema.Remark.document_id == schema.Document.id)
            .where(schema.Remark.id.in_(ids))
        ).all()
        labels = {r.id: (r.key, f"para. {r.number} ({r.speaker_label})") for r in found}
    return [
        SearchHit(kind=kind, id=row[0], document_key=labels[row[0]][0], reference=labels[row[0]][1],
                  snippet=row[2], rank=row[1])
        for row in rows
        if row[0] in labels
    ]
