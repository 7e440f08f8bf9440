"""Recommendations that recur across reports ("recurs in"), and how their wording changed.

`find_recurrences` runs once per report, before it is stored, reading the
library (an import runs it outside its write transaction). It compares each of
the report's recommendations with those of every OTHER document and returns the
pairs at or above `THRESHOLD`; `store_recurrences` stores a `schema.Recurrence`
for each, once the report is stored.

Similarity is the cosine of TF-IDF vectors over stemmed content words
(`lexical.content_stems`, stop words dropped), computed against candidates
found through the full-text index; IDF is taken over the new report's texts
and those candidates. Like is compared with like: a
recommendation (its lead-in plus its sub-items' texts) with recommendations, a
lettered sub-item with sub-items. A verbatim repeat scores 1.0; a revision that
keeps most of the wording scores about 0.6-0.95; recommendations of one report
on the same subject stay below 0.5 (measured on the shipped report, whose
closest pair of distinct recommendations scores about 0.45).

Storage: **both directions** are stored, one row (a -> b) and one (b -> a),
with the same score, so "what does this recommendation recur in" is one
indexed lookup on ``recommendation_id``. Deleting either document removes
both rows (foreign keys cascade).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy import text as text_sql
from sqlalchemy.orm import Session, aliased

from models.build.enrich import RecommendationEntry, with_subitems
from models.db import fulltext_sql, schema
from models.engines import lexical

THRESHOLD = 0.6  # cosine at or above which two recommendations are the same one, repeated or revised
MIN_CONTENT_WORDS = 3  # shorter texts ("States should:") are not compared


CANDIDATES_PER_RECOMMENDATION = 25  # nearest texts of other reports, by FTS5 rank, that get a cosine


@dataclass(frozen=True)
class _Text:
    id: int
    document_id: int
    is_subitem: bool
    stems: Counter[str]


def _texts(session: Session, condition) -> list[_Text]:
    """Recommendations matching ``condition``, a recommendation's text being its lead-in plus its sub-items."""
    rec = schema.Recommendation
    rows = session.execute(
        select(rec.id, rec.document_id, rec.parent_id, rec.text).where(condition).order_by(rec.document_id, rec.position)
    ).all()
    parents = [row.id for row in rows if row.parent_id is None]
    children: dict[int, list[str]] = {}
    for start in range(0, len(parents), 500):
        for parent_id, text in session.execute(
            select(rec.parent_id, rec.text).where(rec.parent_id.in_(parents[start : start + 500])).order_by(rec.position)
        ):
            children.setdefault(parent_id, []).append(text)
    return [
        _Text(
            row.id,
            row.document_id,
            row.parent_id is not None,
            Counter(lexical.content_stems(" ".join([row.text, *children.get(row.id, [])]))),
        )
        for row in rows
    ]


RAREST_WORDS = 8  # words per recommendation used to find candidates: the rarest in the library
MATCHES_READ = 1500  # PostgreSQL: a text's rarest words lead the search until their matches would pass this


def _document_frequencies(session: Session, words: set[str], leaving_out: int | None) -> dict[str, int]:
    """How many indexed recommendations contain each word (FTS5's own porter stems, via fts5vocab;
    on PostgreSQL, its own lexemes, via ts_stat), those of document ``leaving_out`` left out."""
    if fulltext_sql.is_postgres(session):
        return _postgres_document_frequencies(session, words, leaving_out)
    for name, kind in (("recommendation_terms", "row"), ("recommendation_term_rows", "instance")):
        session.execute(
            text_sql(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5vocab(main, recommendation_fts, {kind})")
        )
    stems = {word: lexical.index_stem(word) for word in words}
    frequency: dict[str, int] = {}
    unique = sorted(set(stems.values()))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        marks = ", ".join(f":t{i}" for i in range(len(chunk)))
        terms = {f"t{i}": term for i, term in enumerate(chunk)}
        frequency.update(
            dict(
                session.execute(text_sql(f"SELECT term, doc FROM temp.recommendation_terms WHERE term IN ({marks})"), terms).all()
            )
        )
        if leaving_out is not None:
            for term, rows in session.execute(
                text_sql(
                    f"SELECT term, count(DISTINCT doc) FROM temp.recommendation_term_rows WHERE term IN ({marks}) "
                    "AND doc IN (SELECT id FROM recommendation WHERE document_id = :d) GROUP BY term"
                ),
                {**terms, "d": leaving_out},
            ):
                frequency[term] -= rows
    return {word: frequency.get(stem, 0) for word, stem in stems.items()}


def _postgres_document_frequencies(session: Session, words: set[str], leaving_out: int | None) -> dict[str, int]:
    if not words:
        return {}
    lexemes = dict(
        session.execute(
            text_sql(
                f"SELECT w, v.lexeme FROM unnest(CAST(:words AS text[])) AS w, "
                f"LATERAL unnest(to_tsvector('{fulltext_sql.TS_CONFIG}', w)) AS v(lexeme, positions, weights)"
            ),
            {"words": sorted(words)},
        ).all()
    )
    rows = "SELECT f.tsv FROM recommendation_fts f JOIN recommendation r ON r.id = f.rowid" + (
        f" WHERE r.document_id <> {int(leaving_out)}" if leaving_out is not None else ""
    )
    frequency = dict(
        session.execute(
            text_sql(f"SELECT word, ndoc FROM ts_stat('{rows}') WHERE word = ANY(CAST(:l AS text[]))"),
            {"l": sorted(set(lexemes.values()))},
        ).all()
    )
    return {word: frequency.get(lexemes.get(word, ""), 0) for word in words}


def _candidate_ids(session: Session, leaving_out: int | None, texts: list[_Text], raw: dict[int, str]) -> dict[int, set[int]]:
    """Ids of other reports' recommendations sharing our rarest words (FTS5 BM25, best first).

    Querying with the few rarest words keeps each full-text query small however
    large the library grows. On PostgreSQL the candidates are ranked by
    `_postgres_ranked` instead of ``ts_rank``.
    """
    words = {
        text.id: {
            token.surface.lower()
            for token in lexical.tokenize(raw[text.id])
            if not token.stop and token.surface.isalpha() and len(token.surface) > 2
        }
        for text in texts
    }
    frequency = _document_frequencies(session, set().union(*words.values()), leaving_out)
    rarest = {
        text.id: sorted((w for w in words[text.id] if frequency[w] > 0), key=lambda w: (frequency[w], w))[:RAREST_WORDS]
        for text in texts
    }
    excluded = -1 if leaving_out is None else leaving_out  # a document whose rows are no candidates
    if fulltext_sql.is_postgres(session):
        ranked = _postgres_ranked(session, excluded, rarest, frequency)
    else:
        ranked = {text.id: _sqlite_ranked(session, excluded, rarest[text.id]) for text in texts if rarest[text.id]}
    found: dict[int, set[int]] = {}
    for text in texts:
        if text.id not in ranked:
            continue
        mine = found.setdefault(text.id, set())
        for rowid, parent_id in ranked[text.id]:
            mine.add(parent_id if parent_id is not None and not text.is_subitem else rowid)
    return found


def _sqlite_ranked(session: Session, excluded: int, words: list[str]) -> list[tuple[int, int | None]]:
    """(rowid, parent id) of the best matches for any of ``words`` outside document ``excluded``, by FTS5's BM25."""
    match = fulltext_sql.match(session, "recommendation_fts", "f")
    rank = fulltext_sql.rank(session, "recommendation_fts", "f")
    query = fulltext_sql.query_text(session, " OR ".join(f'"{word}"' for word in words))
    rows = session.execute(
        text_sql(
            "SELECT f.rowid, r.parent_id FROM recommendation_fts f JOIN recommendation r ON r.id = f.rowid "
            f"WHERE {match} AND r.document_id != :d ORDER BY {rank} LIMIT :n"
        ),
        {"q": query, "d": excluded, "n": CANDIDATES_PER_RECOMMENDATION},
    )
    return [(rowid, parent_id) for rowid, parent_id in rows]


def _within_budget(words: list[str], frequency: dict[str, int]) -> list[str]:
    """The first of ``words`` (rarest first) whose matches add up to at most `MATCHES_READ`; the first at least."""
    taken, read = [], 0
    for word in words:
        read += frequency[word]
        if taken and read > MATCHES_READ:
            break
        taken.append(word)
    return taken


def _postgres_ranked(
    session: Session, excluded: int, rarest: dict[int, list[str]], frequency: dict[str, int]
) -> dict[int, list[tuple[int, int | None]]]:
    """The best matches per text, ranked by the inverse document frequencies of the words they share.

    ``ts_rank`` over an OR of a text's rarest words read and scored the tsvector of every
    row matching any of them, text by text: most of an import into a large library. Here
    the candidates are bounded first: a text's "lead" words are its rarest, taken while
    their matches stay within `MATCHES_READ` (at least one word; a recurring text shares
    the rarest ones), and only rows matching a lead word are scored, on all of the text's
    rarest words: the sum of the inverse document frequencies of those they contain, best
    first (ties by id). One statement for the whole report; each lead word's matches are
    read once from the GIN index. On the shipped series every word is a lead word.
    """
    leads = {text_id: set(_within_budget(words, frequency)) for text_id, words in rarest.items()}
    pairs = [(text_id, word) for text_id, words in rarest.items() for word in words]
    if not pairs:
        return {}
    total = max(frequency.values(), default=1) + 1
    config = fulltext_sql.TS_CONFIG
    rows = session.execute(
        text_sql(
            f"WITH q AS MATERIALIZED (SELECT u.*, to_tsquery('{config}', u.word) AS query FROM unnest(CAST(:ids AS int[]), "
            "CAST(:words AS text[]), CAST(:weights AS float8[]), CAST(:leads AS bool[])) AS u(text_id, word, weight, lead)), "
            "m AS MATERIALIZED (SELECT w.word, f.rowid FROM (SELECT DISTINCT word FROM q WHERE lead) AS w "
            f"JOIN recommendation_fts f ON f.tsv @@ to_tsquery('{config}', w.word)), "
            "pool AS (SELECT DISTINCT q.text_id, m.rowid FROM q JOIN m ON m.word = q.word WHERE q.lead), "
            "read AS MATERIALIZED (SELECT f.rowid, f.tsv FROM (SELECT DISTINCT rowid FROM pool) AS p "
            "JOIN recommendation_fts f ON f.rowid = p.rowid JOIN recommendation r ON r.id = p.rowid "
            "WHERE r.document_id != :d), "
            "scored AS (SELECT p.text_id, p.rowid, row_number() OVER (PARTITION BY p.text_id ORDER BY "
            "sum(q.weight) FILTER (WHERE t.tsv @@ q.query) DESC, p.rowid) AS place "
            "FROM pool p JOIN read t ON t.rowid = p.rowid JOIN q ON q.text_id = p.text_id "
            "GROUP BY p.text_id, p.rowid) "
            "SELECT s.text_id, s.rowid, r.parent_id FROM scored s JOIN recommendation r ON r.id = s.rowid "
            "WHERE s.place <= :n ORDER BY s.text_id, s.place"
        ),
        {
            "ids": [text_id for text_id, _ in pairs],
            "words": [word for _, word in pairs],
            "weights": [math.log(1 + total / max(frequency[word], 1)) for _, word in pairs],
            "leads": [word in leads[text_id] for text_id, word in pairs],
            "d": excluded,
            "n": CANDIDATES_PER_RECOMMENDATION,
        },
    )
    ranked: dict[int, list[tuple[int, int | None]]] = {}
    for text_id, rowid, parent_id in rows:
        ranked.setdefault(text_id, []).append((rowid, parent_id))
    return ranked


def _vectors(texts: list[_Text]) -> dict[int, dict[str, float]]:
    """Unit TF-IDF vectors by recommendation id (smoothed IDF: a word in every text still counts a little)."""
    frequency = Counter(stem for text in texts for stem in text.stems)
    total = len(texts)
    vectors = {}
    for text in texts:
        weights = {stem: count * (math.log((1 + total) / (1 + frequency[stem])) + 1) for stem, count in text.stems.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[text.id] = {stem: w / norm for stem, w in weights.items()}
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(stem, 0.0) for stem, weight in a.items())


@dataclass(frozen=True)
class Pair:
    """A recommendation of the new report (its position in reading order) that recurs as ``other_id``."""

    position: int
    other_id: int
    score: float


def find_recurrences(session: Session, entries: Sequence[RecommendationEntry], leaving_out: int | None = None) -> list[Pair]:
    """The recurrences of a report's recommendations (``entries``, not stored yet) in the library's other
    documents; ``leaving_out`` is a document the report replaces. Only reads the library.

    Candidates come from the full-text index (the other reports' recommendations
    sharing most rare words with each of ours), so the cost grows with the new
    report, not with the library. IDF is taken over our texts and the candidates.
    A replaced document's words are left out of the word frequencies; its rows still
    weigh, as one report among the library's, in the index's ranking of candidates.
    """
    whole = with_subitems(entries)
    own = [  # ids below zero: never those of the library's recommendations, with which they share `_vectors`
        _Text(-1 - e.position, -1, e.parent is not None, Counter(lexical.content_stems(whole[e.position]))) for e in entries
    ]
    own = [t for t in own if sum(t.stems.values()) >= MIN_CONTENT_WORDS]
    if not own:
        return []
    raw = {-1 - e.position: e.text for e in entries}
    candidates = _candidate_ids(session, leaving_out, own, raw)
    wanted = sorted(set().union(*candidates.values()))
    rec = schema.Recommendation
    others = {
        t.id: t
        for start in range(0, len(wanted), 500)
        for t in _texts(session, rec.id.in_(wanted[start : start + 500]))
        if sum(t.stems.values()) >= MIN_CONTENT_WORDS
    }
    if not others:
        return []
    vectors = _vectors(own + list(others.values()))
    pairs = []
    for mine in own:
        for other_id in sorted(candidates.get(mine.id, ())):
            other = others.get(other_id)
            if other is None or mine.is_subitem != other.is_subitem:
                continue
            score = round(min(1.0, _cosine(vectors[mine.id], vectors[other.id])), 4)
            if score >= THRESHOLD:
                pairs.append(Pair(-1 - mine.id, other.id, score))
    return pairs


def store_recurrences(session: Session, recommendation_ids: Sequence[int], pairs: Sequence[Pair]) -> int:
    """Store ``pairs`` both ways for the report whose recommendations got ``recommendation_ids`` (in reading
    order); returns the number of pairs."""
    rows = []
    for pair in pairs:  # one executemany: a report in a large library recurs thousands of times
        mine = recommendation_ids[pair.position]
        rows.append({"recommendation_id": mine, "other_id": pair.other_id, "score": pair.score})
        rows.append({"recommendation_id": pair.other_id, "other_id": mine, "score": pair.score})
    if rows:
        session.execute(insert(schema.Recurrence), rows)
    return len(pairs)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class RecurrenceRow:
    """Another report's recommendation that this one repeats or revises."""

    recommendation_id: int
    other_id: int
    other_document_key: str
    other_document_title: str
    other_start_date: dt.date | None
    other_number: str  # "18", "47a"
    other_text: str
    score: float
    identical: bool  # same words (spacing and case aside)
    earlier: bool  # the other report's meeting came first


def _same_words(a: str, b: str) -> bool:
    return re.findall(r"\w+", a.casefold()) == re.findall(r"\w+", b.casefold())


def recurrences(session: Session, recommendation_id: int) -> list[RecurrenceRow]:
    """The recurrences of one recommendation, earliest report first."""
    mine = session.get(schema.Recommendation, recommendation_id)
    if mine is None:
        return []
    my_date = session.scalar(select(schema.Document.start_date).where(schema.Document.id == mine.document_id))
    other = aliased(schema.Recommendation)
    rows = session.execute(
        select(schema.Recurrence.score, other, schema.Document)
        .join(other, other.id == schema.Recurrence.other_id)
        .join(schema.Document, schema.Document.id == other.document_id)
        .where(schema.Recurrence.recommendation_id == recommendation_id)
    ).all()
    out = [
        RecurrenceRow(
            recommendation_id=recommendation_id,
            other_id=rec.id,
            other_document_key=doc.key,
            other_document_title=doc.title,
            other_start_date=doc.start_date,
            other_number=rec.number,
            other_text=rec.text,
            score=score,
            identical=_same_words(mine.text, rec.text),
            earlier=bool(doc.start_date and my_date and doc.start_date < my_date),
        )
        for score, rec, doc in rows
    ]
    return sorted(out, key=lambda r: (r.other_start_date or dt.date.min, -r.score, r.other_document_key))


# --------------------------------------------------------------------------- word diff

EQUAL, DELETE, INSERT = "equal", "delete", "insert"


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """How ``old`` became ``new``, word by word: [(op, text)], op in "equal", "delete", "insert".

    Words are runs of non-space characters (punctuation stays on its word). Each
    segment's text is its words joined by single spaces; show segments joined by
    a space. A changed run gives its DELETE before its INSERT. Keeping the EQUAL
    and DELETE segments gives ``old``, keeping EQUAL and INSERT gives ``new``
    (spacing normalised).
    """
    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []

    def emit(op: str, words: list[str]) -> None:
        if not words:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + " " + " ".join(words))
        else:
            out.append((op, " ".join(words)))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            emit(EQUAL, a[i1:i2])
        else:
            emit(DELETE, a[i1:i2])
            emit(INSERT, b[j1:j2])
    return out
