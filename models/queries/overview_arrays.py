"""The Overview's counting engine: the stored facts as numpy arrays, and a scope counted in whole-array passes.

`models.queries.overview` holds the rows it returns and imports this module only when
it first counts, so that numpy is not imported while the window opens. Recommendations
are numbered by their place in `OverviewFacts.ids`; a matrix key is a column's index
shifted by ``TOPIC_BITS`` or'ed with a topic's index.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

import numpy as np
from sqlalchemy.orm import Session

from models.queries.overview import (
    GROUPS,
    SECTIONS,
    STATES,
    TITLES,
    YEARS,
    Axis,
    Cell,
    Matrix,
    Overview,
    Support,
)

TOPIC_BITS = 6  # a matrix key is column index << TOPIC_BITS | topic index (at most 64 topics)


class _Incidence(NamedTuple):
    """Which matrix keys (or remark pairs) each recommendation adds: parallel arrays, one entry a row."""

    rows: np.ndarray  # the recommendation's index in `OverviewFacts.ids`
    values: np.ndarray  # a matrix key, or a remark pair's index in ``pair_keys``


@dataclass
class OverviewFacts:
    """What the counts need, read once per library state (`load_facts`); treat as read-only.

    Recommendations are numbered by their place in ``ids``; per kind, ``keys`` says which matrix keys
    (``TOPIC_BITS``) each adds, and ``remarks`` which distinct (remark, matrix key) pairs, so that counting
    a scope is a few whole-array passes (``numpy.bincount``), not a Python loop over the recommendations.
    """

    topics: list[Axis]  # in the lexicon's order
    columns: dict[str, list[str]]  # kind -> column keys (group names, States, section labels, years)
    ids: np.ndarray  # every top-level recommendation id, ascending
    document: np.ndarray  # per recommendation, its document id
    section: np.ndarray  # per recommendation, its section id
    year_of_document: dict[int, str]  # only dated reports
    sections: dict[int, tuple[str, str]]  # section id -> (label, title)
    keys: dict[str, _Incidence]  # kind -> (recommendation, matrix key)
    remarks: dict[str, _Incidence]  # GROUPS/STATES -> (recommendation, remark pair)
    pair_keys: dict[str, np.ndarray]  # GROUPS/STATES -> per remark pair, its matrix key
    rank: np.ndarray  # per recommendation, its position in ``ordered``
    ordered: list[Support]  # every recommendation's support, fewest speakers first
    whole: Overview | None = None  # the whole library's, counted once (the Overview opens on it, Clear returns to it)

    @property
    def document_of(self) -> dict[int, int]:
        """Every top-level recommendation id -> its document."""
        return dict(zip(self.ids.tolist(), self.document.tolist(), strict=True))


_TOPICS = "SELECT id, key, label FROM topic ORDER BY position"
_DOCUMENTS = "SELECT id, key, substr(CAST(start_date AS TEXT), 1, 4) FROM document"
_SECTIONS = "SELECT id, label, title FROM section"
# Numbers come packed in one string per query (one sqlite3 step, the GIL released; `numpy.fromstring`
# unpacks it): at 1,000 reports that is 600,000 numbers, which as row tuples took most of the load.
_RECOMMENDATIONS = (
    "SELECT group_concat(id || ',' || section_id || ',' || document_id || ',' || shown_speakers || ',' || shown_remarks,"
    " ','), group_concat(number, char(31)) FROM (SELECT id, section_id, document_id, shown_speakers, shown_remarks, "
    "number FROM recommendation WHERE parent_id IS NULL ORDER BY id)"
)
# Stored with each report (`models.build.enrich.update_overview_facts`): no join over the links here.
# Group names and States come apart, separated by chr(31), chr(30) for none.
_NONE = chr(30)
_FACTS = (
    "SELECT group_concat(recommendation_id || ',' || coalesce(topic_id, -1) || ',' || coalesce(remark_id, -1), "
    "','), group_concat(coalesce(group_name, char(30)), char(31)), group_concat(coalesce(state, char(30)), "
    "char(31)) FROM (SELECT * FROM overview_fact ORDER BY id)"
)
_LOW = (1 << 32) - 1  # two numbers in one int64: high << 32 | low


def _on_engine(sql: str, dialect_name: str) -> str:
    """The packing statements above as PostgreSQL reads them (``string_agg``, ``chr``, a named subquery)."""
    if dialect_name != "postgresql":
        return sql
    sql = sql.replace("group_concat(", "string_agg(").replace("char(", "chr(")
    return sql[:-1] + ") AS packed" if sql.endswith(")") else sql


def _array(values: Iterable[int]) -> np.ndarray:
    return np.array(values if isinstance(values, list | tuple) else list(values), dtype=np.int64)


def _unpack(packed: str | None, columns: int) -> np.ndarray:
    """A packed query result (comma-separated numbers) as rows of ``columns`` int64s."""
    if not packed:
        return np.empty((0, columns), dtype=np.int64)
    return np.fromstring(packed, dtype=np.int64, sep=",").reshape(-1, columns)


def _lookup(mapping: dict[int, int]) -> np.ndarray:
    """An array that maps each key of ``mapping`` to its value (-1 elsewhere)."""
    table = np.full(max(mapping, default=0) + 2, -1, dtype=np.int64)
    table[_array(list(mapping))] = _array(list(mapping.values()))
    return table


def _codes(packed: str | None, count: int) -> tuple[list[str], np.ndarray]:
    """(the distinct names, sorted; each packed name's index in them, -1 for none)."""
    if not count:
        return [], np.empty(0, dtype=np.int64)
    names = packed.split(chr(31))
    known = sorted(set(names) - {_NONE})
    index = {name: i for i, name in enumerate(known)} | {_NONE: -1}
    return known, np.fromiter(map(index.__getitem__, names), dtype=np.int64, count=count)


def _ragged(counts: np.ndarray) -> np.ndarray:
    """0..count-1 for each count, one after the other."""
    ends = np.cumsum(counts)
    return np.arange(ends[-1] if len(ends) else 0, dtype=np.int64) - np.repeat(ends - counts, counts)


def load_facts(session: Session) -> OverviewFacts:
    """Read the stored facts (a few plain queries) into arrays, joined with numpy."""
    cursor = session.connection().connection.driver_connection.cursor()
    topic_rows = cursor.execute(_TOPICS).fetchall()
    if len(topic_rows) > 1 << TOPIC_BITS:
        raise ValueError(f"the overview counts at most {1 << TOPIC_BITS} topics")
    topics = [Axis(key, label) for _, key, label in topic_rows]
    sections = {section_id: (label, title) for section_id, label, title in cursor.execute(_SECTIONS)}
    documents = cursor.execute(_DOCUMENTS).fetchall()
    document_key = {document_id: key for document_id, key, _ in documents}
    year_of_document = {document_id: year for document_id, _, year in documents if year is not None}
    dialect_name = session.get_bind().dialect.name
    packed, numbers = cursor.execute(_on_engine(_RECOMMENDATIONS, dialect_name)).fetchone()
    recommendations, numbers = _unpack(packed, 5), (numbers or "").split(chr(31))
    packed, groups_packed, states_packed = cursor.execute(_on_engine(_FACTS, dialect_name)).fetchone()
    facts = _unpack(packed, 3)
    group_names, group = _codes(groups_packed, len(facts))
    state_names, state = _codes(states_packed, len(facts))
    cursor.close()

    ids, section, document, speakers, remark_counts = recommendations.T
    n = len(ids)
    section_names = sorted({label for label, _ in sections.values()}, key=_label_order)
    section_code = _lookup({section_id: section_names.index(label) for section_id, (label, _) in sections.items()})
    years = sorted(set(year_of_document.values()))
    year_code = _lookup({document_id: years.index(year) for document_id, year in year_of_document.items()})
    topic_code = _lookup({topic_id: i for i, (topic_id, _, _) in enumerate(topic_rows)})

    fact_recs, fact_topics, remark = facts.T
    at = np.minimum(np.searchsorted(ids, fact_recs), max(n - 1, 0))
    known = ids[at] == fact_recs if n else np.zeros(len(facts), dtype=bool)  # top-level ones only
    topic = np.where(fact_topics >= 0, topic_code[np.maximum(fact_topics, 0)], -1)

    # Each recommendation's topics (distinct: stored so), in runs by recommendation.
    tagged = known & (topic >= 0)
    order = np.argsort(at[tagged], kind="stable")
    topic_at, topic_of = at[tagged][order], topic[tagged][order]
    topic_count = np.bincount(topic_at, minlength=n)
    topic_start = np.cumsum(topic_count) - topic_count

    def by_topic(rows: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each (recommendation, column) once per topic of the recommendation: (entry -> row, rows, keys)."""
        repeats = topic_count[rows]
        each = np.repeat(np.arange(len(rows), dtype=np.int64), repeats)
        return each, rows[each], columns[each] << TOPIC_BITS | topic_of[topic_start[rows][each] + _ragged(repeats)]

    keys = {SECTIONS: _Incidence(topic_at, section_code[section[topic_at]] << TOPIC_BITS | topic_of)}
    dated = year_code[document[topic_at]] >= 0
    keys[YEARS] = _Incidence(topic_at[dated], year_code[document[topic_at[dated]]] << TOPIC_BITS | topic_of[dated])
    remarks: dict[str, _Incidence] = {}
    pair_keys: dict[str, np.ndarray] = {}
    voices: dict[str, np.ndarray] = {}
    for kind, column in ((GROUPS, group), (STATES, state)):
        chosen = known & (column >= 0)
        distinct = np.unique(at[chosen] << 32 | column[chosen])  # each (recommendation, column) once
        voices[kind] = distinct >> 32
        _, rows, key = by_topic(distinct >> 32, distinct & _LOW)
        keys[kind] = _Incidence(rows, key)
        each, rows, key = by_topic(at[chosen], column[chosen])
        pairs, pair = np.unique(remark[chosen][each] << 32 | key, return_inverse=True)
        remarks[kind], pair_keys[kind] = _Incidence(rows, pair.reshape(-1)), pairs & _LOW
    groups = np.bincount(voices[GROUPS], minlength=n)

    ordered_at = np.lexsort((ids, groups, speakers))
    rank = np.empty(n, dtype=np.int64)
    rank[ordered_at] = np.arange(n, dtype=np.int64)
    ordered = list(
        map(
            Support,
            ids[ordered_at].tolist(),
            map(document_key.__getitem__, document[ordered_at].tolist()),
            map(numbers.__getitem__, ordered_at.tolist()),
            speakers[ordered_at].tolist(),
            groups[ordered_at].tolist(),
            remark_counts[ordered_at].tolist(),
        )
    )
    return OverviewFacts(
        topics,
        {GROUPS: group_names, STATES: state_names, SECTIONS: section_names, YEARS: years},
        ids=ids,
        document=document,
        section=section,
        year_of_document=year_of_document,
        sections=sections,
        keys=keys,
        remarks=remarks,
        pair_keys=pair_keys,
        rank=rank,
        ordered=ordered,
    )


def _label_order(label: str) -> tuple:
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in label.split("."))


def _nonzero(counts: np.ndarray) -> dict[int, int]:
    found = np.flatnonzero(counts)
    return dict(zip(found.tolist(), counts[found].tolist(), strict=True))


def _counted(table: _Incidence, chosen: np.ndarray) -> dict[int, int]:
    """Matrix key -> how many chosen recommendations add it."""
    return _nonzero(np.bincount(table.values[chosen[table.rows]]))


def _distinct_remarks(table: _Incidence, pair_keys: np.ndarray, chosen: np.ndarray) -> dict[int, int]:
    """Matrix key -> how many distinct remarks stand behind chosen recommendations under it."""
    present = np.zeros(len(pair_keys), dtype=bool)
    present[table.values[chosen[table.rows]]] = True
    return _nonzero(np.bincount(pair_keys[present]))


def _matrix(
    kind: str, facts: OverviewFacts, value: str, recommendations: dict[int, int], remarks: dict[int, int], columns: list[Axis]
) -> Matrix:
    names = facts.columns[kind]
    topic_mask = (1 << TOPIC_BITS) - 1
    cells = tuple(
        sorted(
            (
                Cell(facts.topics[key & topic_mask].key, names[key >> TOPIC_BITS], remarks.get(key, 0), count)
                for key, count in recommendations.items()
            ),
            key=lambda cell: (cell.row, cell.column),
        )
    )
    used = {cell.row for cell in cells}
    rows = tuple(axis for axis in facts.topics if axis.key in used)
    present = {cell.column for cell in cells}
    return Matrix(kind, TITLES[kind], value, rows, tuple(axis for axis in columns if axis.key in present), cells)


def _chosen(facts: OverviewFacts, ids: Iterable[int]) -> np.ndarray:
    """Per recommendation of ``facts``, whether it is among ``ids``."""
    chosen = np.zeros(len(facts.ids), dtype=bool)
    wanted = np.fromiter(ids, dtype=np.int64)
    if len(facts.ids) and len(wanted):
        at = np.minimum(np.searchsorted(facts.ids, wanted), len(facts.ids) - 1)
        chosen[at[facts.ids[at] == wanted]] = True
    return chosen


def count(facts: OverviewFacts, ids: Iterable[int]) -> Overview:
    """Every matrix of the Overview for the top-level recommendations ``ids`` (other ids are ignored)."""
    chosen = _chosen(facts, ids)
    scope = np.flatnonzero(chosen)
    if len(scope) == len(facts.ids):
        if facts.whole is None:
            facts.whole = _count(facts, chosen, scope)
        return facts.whole
    return _count(facts, chosen, scope)


def _count(facts: OverviewFacts, chosen: np.ndarray, scope: np.ndarray) -> Overview:
    matrices = {}
    for kind in (GROUPS, STATES):
        names = sorted(facts.columns[kind])
        matrices[kind] = _matrix(
            kind,
            facts,
            "remarks",
            _counted(facts.keys[kind], chosen),
            _distinct_remarks(facts.remarks[kind], facts.pair_keys[kind], chosen),
            [Axis(n, n) for n in names],
        )
    section_ids: dict[str, list[int]] = {}
    for section_id in np.unique(facts.section[scope]).tolist():
        section_ids.setdefault(facts.sections[section_id][0], []).append(section_id)
    sections = [
        Axis(label, f"{label} {facts.sections[min(section_ids[label])][1]}", tuple(sorted(section_ids[label])))
        for label in sorted(section_ids, key=_label_order)
    ]
    matrices[SECTIONS] = _matrix(SECTIONS, facts, "recommendations", _counted(facts.keys[SECTIONS], chosen), {}, sections)
    documents = np.unique(facts.document[scope]).tolist()
    year_documents: dict[str, list[int]] = {}
    for document_id in documents:
        if (year := facts.year_of_document.get(document_id)) is not None:
            year_documents.setdefault(year, []).append(document_id)
    years = [Axis(year, year, tuple(year_documents[year])) for year in sorted(year_documents)]
    by_year = _counted(facts.keys[YEARS], chosen) if len(years) >= 2 else {}
    matrices[YEARS] = _matrix(YEARS, facts, "recommendations", by_year, {}, years)
    support = tuple(map(facts.ordered.__getitem__, np.sort(facts.rank[scope]).tolist()))
    return Overview(
        reports=len(documents),
        recommendations=len(scope),
        groups=matrices[GROUPS],
        states=matrices[STATES],
        sections=matrices[SECTIONS],
        years=matrices[YEARS],
        support=support,
        single_voices=bisect_right(support, 1, key=itemgetter(3)),  # sorted by speakers
    )
