"""Full-text search (SQLite FTS5) over recommendations, sub-items, remarks and paragraphs.

The FTS tables are keyed by the indexed row's id (``rowid``) and use the porter
stemmer, so "trace" finds "tracing". Queries use FTS5 syntax: words, "phrases",
prefixes (``traff*``), ``OR``, ``NOT``, ``NEAR``. A query FTS5 cannot read raises
`QuerySyntaxError` with a message meant for the user.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import exc, select, text
from sqlalchemy.orm import Session

from models.db import fulltext_sql, schema

HIGHLIGHT_OPEN = "\u27e6"  # ⟦ and ⟧ mark matched words in snippets; views restyle them
HIGHLIGHT_CLOSE = "\u27e7"


class QuerySyntaxError(ValueError):
    """A search query FTS5 cannot read; str() is a message for the user."""


class QueryTooSlow(QuerySyntaxError):
    """A search or filter query ran past `QUERY_SECONDS` and was stopped; str() is a message for the user."""


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


MAX_PREFIX_TERMS = 8  # prefix* terms beyond these are searched as whole words (each can expand to thousands)
MIN_PREFIX_LETTERS = 2  # "a*" would match most of the index: searched as the word


def normalise_query(query: str) -> str:
    """Accept what people type: hyphenated words become phrases ("record-keeping"), and a hyphen
    still waiting for the rest of its word ("record-") is left out. "Phrases" stay as typed.

    Anything FTS5 cannot parse (document symbols like CTOC/COP/WG.6/2021/2, "U.S.", "States'",
    "Article 5: marking") is searched as plain words and phrases instead (`searched_as_plain_words`).
    At most `MAX_PREFIX_TERMS` prefix terms keep their star.
    """
    parts = query.strip().split('"')
    for index in range(0, len(parts), 2):  # the parts outside quotes
        part = re.sub(r"(?<=\w)-+(?!\w)", "", parts[index])
        parts[index] = re.sub(r"\b(\w+(?:-\w+)+)\b", lambda m: f'"{m.group(1)}"', part)
    fts = _bound_prefixes('"'.join(parts).strip())
    if fts and not _parses(fts):
        return plain_words(query)
    widened = _with_stem_prefixes(fts)
    return widened if _parses(widened) else fts


# Endings a prefix may be cut from: "cryptocurrenc*" is meant for "cryptocurrency/-ies", stored as
# "cryptocurr", which the prefix itself does not reach.
WIDENED_PREFIX_LETTERS = 5
_ENDINGS = ("s", "es", "ies", "y", "e", "ed", "ing", "ion", "ions", "ity", "al", "ment")


def _with_stem_prefixes(fts: str) -> str:
    """Each prefix* outside quotes also as the stems of the words it begins, where the index's stemmer
    stores them in a form the prefix does not reach: "cryptocurrenc*" -> (cryptocurrenc* OR cryptocurr*),
    for "cryptocurrencies" is stored as "cryptocurr"."""

    def widen(match: re.Match[str]) -> str:
        prefix = match.group(1)
        if len(prefix) < WIDENED_PREFIX_LETTERS:
            return match.group(0)  # a short prefix already reaches most forms
        stems = sorted(
            {
                stem
                for ending in _ENDINGS
                if (stem := porter_stem(prefix + ending))
                and len(stem) > MIN_PREFIX_LETTERS
                and not stem.startswith(porter_stem(prefix))  # the prefix, stemmed as a query is, misses it
            }
        )
        return f"({prefix}* OR {' OR '.join(stem + '*' for stem in stems)})" if stems else match.group(0)

    parts = fts.split('"')
    for index in range(0, len(parts), 2):  # outside quotes (a phrase's prefix stays as typed)
        if "NEAR(" not in parts[index]:
            parts[index] = re.sub(r"(?<!\w)(\w+)\*", widen, parts[index])
    return '"'.join(parts)


_STEMMER_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4096)
def porter_stem(word: str) -> str:
    """``word`` as the index stores it (SQLite's porter tokenizer, read back through fts5vocab)."""
    with _STEMMER_LOCK:
        connection = _stemmer()
        connection.execute("DELETE FROM stem")
        connection.execute("INSERT INTO stem(text) VALUES (?)", (word,))
        row = connection.execute("SELECT term FROM stem_vocab").fetchone()
    return row[0] if row else ""


@functools.cache
def _stemmer() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    connection.execute("CREATE VIRTUAL TABLE stem USING fts5(text, tokenize='porter unicode61 remove_diacritics 2')")
    connection.execute("CREATE VIRTUAL TABLE stem_vocab USING fts5vocab(stem, 'row')")
    return connection


def searched_as_plain_words(query: str) -> bool:
    """Whether `normalise_query` fell back to plain words because FTS5 could not parse ``query``."""
    fts = normalise_query(query)
    return bool(fts) and fts == plain_words(query) and fts != _bound_prefixes(query.strip())


def plain_words(query: str) -> str:
    """``query`` as plain words and phrases FTS5 always parses: each run of words joined by
    punctuation without spaces ("CTOC/COP/WG.6", "U.S.", "e.g.") becomes a phrase, the rest words."""
    terms = []
    for chunk in query.split():
        words = re.findall(r"\w+", chunk)
        if words:
            terms.append('"' + " ".join(words) + '"')
    return " ".join(terms)


def _bound_prefixes(fts: str) -> str:
    count = 0

    def keep(match: re.Match[str]) -> str:
        nonlocal count
        word = match.group(1)
        count += 1
        return match.group(0) if count <= MAX_PREFIX_TERMS and len(word) >= MIN_PREFIX_LETTERS else word

    return re.sub(r"(\w+)\*", keep, fts)


@functools.lru_cache(maxsize=512)
def _parses(fts: str) -> bool:
    """Whether FTS5 accepts ``fts`` (tried on an empty in-memory table: about 20 µs)."""
    try:
        _probe().execute("SELECT rowid FROM probe WHERE probe MATCH ?", (fts,)).fetchall()
    except sqlite3.Error:
        return False
    return True


@functools.cache
def _probe() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    connection.execute("CREATE VIRTUAL TABLE probe USING fts5(text, tokenize='porter unicode61 remove_diacritics 2')")
    return connection


QUERY_SECONDS = 3.0  # a search or filter query still running after this is stopped


@contextmanager
def time_limit(session: Session, seconds: float | None = None) -> Iterator[None]:
    """Stop the session's statements that run past ``seconds`` (default `QUERY_SECONDS`): `QueryTooSlow`.

    SQLite: a progress handler; PostgreSQL: the transaction's ``statement_timeout``. A read
    stopped by its `ReadCancel` (SQLite's interrupt, the server's cancel) before the limit is
    not this: its error passes through, and the session reports `ReadCancelled`.
    """
    seconds = QUERY_SECONDS if seconds is None else seconds
    too_slow = f"The search took longer than {seconds:g} s and was stopped; use fewer prefix* terms, or longer ones."
    began = time.monotonic()
    if fulltext_sql.is_postgres(session):
        savepoint = session.begin_nested()  # a stopped statement aborts only this, the session goes on
        session.execute(text(f"SET LOCAL statement_timeout = {int(seconds * 1000)}"))
        try:
            yield
        except exc.OperationalError as error:
            savepoint.rollback()
            if getattr(error.orig, "sqlstate", None) == "57014" and time.monotonic() - began >= seconds:  # query_canceled
                raise QueryTooSlow(too_slow) from error
            raise
        session.execute(text("SET LOCAL statement_timeout = 0"))
        savepoint.commit()
        return
    raw = session.connection().connection.dbapi_connection
    deadline = began + seconds
    raw.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 20_000)
    try:
        yield
    except exc.OperationalError as error:
        if time.monotonic() > deadline and "interrupt" in str(error.orig):
            raise QueryTooSlow(too_slow) from error
        raise
    finally:
        raw.set_progress_handler(None, 0)


def _raise_readable(query: str, error: exc.DBAPIError) -> None:
    detail = str(error.orig) if error.orig else str(error)
    raise QuerySyntaxError(
        f'Cannot read the search {query!r}: {detail}. Use words, "exact phrases", prefix*, OR, NOT.'
    ) from error


def engine_query(session: Session, query: str) -> str:
    """The normalised query as the session's engine reads it (FTS5 text, or a tsquery on PostgreSQL);
    empty for no query. Raises `QuerySyntaxError`."""
    fts = normalise_query(query)
    if not fts:
        return ""
    try:
        return fulltext_sql.query_text(session, fts)
    except fulltext_sql.FulltextSyntaxError as error:
        raise QuerySyntaxError(
            f'Cannot read the search {query!r}: {error}. Use words, "exact phrases", prefix*, OR, NOT.'
        ) from error


def matching_ids(session: Session, table: str, query: str) -> list[int]:
    """Row ids whose text matches ``query`` in ``table`` ("recommendation_fts"...), best first."""
    fts = engine_query(session, query)
    if not fts:
        return []
    match, rank = fulltext_sql.match(session, table), fulltext_sql.rank(session, table)
    try:
        with time_limit(session):
            rows = session.execute(text(f"SELECT rowid FROM {table} WHERE {match} ORDER BY {rank}"), {"q": fts})
            return [row[0] for row in rows]
    except exc.OperationalError as error:
        _raise_readable(query, error)
        raise  # unreachable; keeps type checkers calm


def search(session: Session, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Recommendations and remarks matching ``query``, ranked by BM25, with highlighted snippets."""
    fts = engine_query(session, query)
    if not fts:
        return []
    try:
        with time_limit(session):
            return _search(session, fts, limit)
    except exc.OperationalError as error:
        _raise_readable(query, error)
        raise  # unreachable


def _search(session: Session, fts: str, limit: int) -> list[SearchHit]:
    hits: list[SearchHit] = []
    for table, kind in (("recommendation_fts", "recommendation"), ("remark_fts", "remark")):
        match, rank = fulltext_sql.match(session, table), fulltext_sql.rank(session, table)
        snippet = fulltext_sql.snippet(session, table, HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE)
        rows = session.execute(
            text(f"SELECT rowid, {rank} AS score, {snippet} FROM {table} WHERE {match} ORDER BY score LIMIT :n"),
            {"q": fts, "n": limit},
        ).all()
        hits.extend(_describe(session, kind, rows))
    hits.sort(key=lambda hit: hit.rank)
    return hits[:limit]


def _describe(session: Session, kind: str, rows) -> list[SearchHit]:
    if not rows:
        return []
    ids = [row[0] for row in rows]
    if kind == "recommendation":
        found = session.execute(
            select(
                schema.Recommendation.id,
                schema.Recommendation.number,
                schema.Recommendation.letter,
                schema.Recommendation.ordinal,
                schema.Document.key,
            )
            .join(schema.Document)
            .where(schema.Recommendation.id.in_(ids))
        ).all()
        labels = {
            r.id: (r.key, f"Recommendation {r.ordinal}({r.letter})" if r.letter else f"Recommendation {r.number}") for r in found
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
        SearchHit(kind=kind, id=row[0], document_key=labels[row[0]][0], reference=labels[row[0]][1], snippet=row[2], rank=row[1])
        for row in rows
        if row[0] in labels
    ]
