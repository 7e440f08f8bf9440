"""The meeting at a glance: who spoke on what, counted for the Overview, the briefing and the CSV export.

Every count is over a set of top-level recommendations (the table's matches, a
briefing's recommendations) and follows the table's rules (`models.filters`): a
recommendation "has" a topic when it or one of its sub-items is tagged with it,
and the remarks "behind" it are those linked to it or its sub-items by a link
shown by default. So the cell of topic T and regional group G counts exactly the
recommendations that the filter ``topics={T}, group=G`` adds to a scope, and the
distinct remarks by speakers of G behind them. A speaker's State is the
panellist's or the Chair's, or the one an anonymous speaker spoke for, as for
``RecommendationFilter.state``.

The corpus facts these counts need are stored with each report (`schema.OverviewFact`),
read once (`load_facts`, a few plain queries) into arrays, and counted for each scope
(`count`) with whole-array passes (``numpy.bincount``): at 50,000 recommendations
SQL's grouped ``count(DISTINCT ...)`` over the links took about a second per matrix,
counting a scope takes a few milliseconds. The facts depend on the corpus only (not
on annotations): load them again after an import. Views draw the rows returned here
and never count.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import NamedTuple

import numpy as np
from sqlalchemy.orm import Session

from models.queries.filters import RecommendationFilter

GROUPS, STATES, SECTIONS, YEARS = "groups", "states", "sections", "years"
CSV_COLUMNS = ("topic", "group", "remarks", "recommendations")
TITLES = {
    GROUPS: "Remarks by regional group, per topic",
    STATES: "Remarks by State, per topic",
    SECTIONS: "Recommendations by section, per topic",
    YEARS: "Recommendations by year, per topic",
}


@dataclass(frozen=True)
class Axis:
    """A row or column of a matrix: ``key`` is what a filter takes, ``ids`` the sections or documents behind it."""

    key: str
    label: str
    ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Cell:
    row: str  # a topic key
    column: str  # an `Axis.key`
    remarks: int  # distinct remarks (0 where the matrix counts recommendations only)
    recommendations: int  # distinct top-level recommendations


@dataclass(frozen=True)
class Matrix:
    """Topics (rows) by ``kind`` (columns); ``value`` names the number each cell shows."""

    kind: str  # GROUPS, STATES, SECTIONS or YEARS
    title: str
    value: str  # "remarks" or "recommendations"
    rows: tuple[Axis, ...]
    columns: tuple[Axis, ...]
    cells: tuple[Cell, ...]

    def cell(self, row: str, column: str) -> Cell | None:
        return next((c for c in self.cells if c.row == row and c.column == column), None)

    def maximum(self) -> int:
        return max((getattr(cell, self.value) for cell in self.cells), default=0)

    def grid(self) -> list[list[int]]:
        """The numbers, one list per row, in the order of ``rows`` and ``columns``."""
        found = {(cell.row, cell.column): getattr(cell, self.value) for cell in self.cells}
        return [[found.get((row.key, column.key), 0) for column in self.columns] for row in self.rows]


class Support(NamedTuple):
    """How many distinct speakers and regional groups stand behind one top-level recommendation.

    A named tuple rather than a dataclass: a scope can hold 50,000 of them.
    """

    recommendation_id: int
    document_key: str
    number: str
    speakers: int
    groups: int
    remarks: int


@dataclass(frozen=True)
class Overview:
    reports: int
    recommendations: int
    groups: Matrix
    states: Matrix
    sections: Matrix
    years: Matrix  # without columns unless the scope spans two years or more
    support: tuple[Support, ...]  # fewest speakers first, then fewest groups, then reading order
    single_voices: int  # recommendations with one speaker behind them, or none

    def matrices(self) -> tuple[Matrix, ...]:
        return (self.groups, self.states, self.sections, self.years)


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
_DOCUMENTS = "SELECT id, key, substr(start_date, 1, 4) FROM document"
_RECOMMENDATIONS = ("SELECT id, section_id, document_id, number, shown_speakers, shown_remarks FROM recommendation "
                    "WHERE parent_id IS NULL ORDER BY id")
_SECTIONS = "SELECT id, label, title FROM section"
# Stored with each report (`models.build.enrich.update_overview_facts`): no join over the links here.
_FACTS = "SELECT recommendation_id, topic_id, remark_id, group_name, state FROM overview_fact"
_LOW = (1 << 32) - 1  # two numbers in one int64: high << 32 | low


def _array(values: Iterable[int]) -> np.ndarray:
    return np.array(values if isinstance(values, list | tuple) else list(values), dtype=np.int64)


def _ragged(counts: np.ndarray) -> np.ndarray:
    """0..count-1 for each count, one after the other."""
    ends = np.cumsum(counts)
    return np.arange(ends[-1] if len(ends) else 0, dtype=np.int64) - np.repeat(ends - counts, counts)


def _distinct(high: np.ndarray, low: np.ndarray) -> _Incidence:
    packed = np.unique(high << 32 | low)
    return _Incidence(packed >> 32, packed & _LOW)


def _codes(names: Iterable[str | None]) -> tuple[list[str], np.ndarray]:
    """(distinct names, sorted; each name's index in them, -1 for None)."""
    names = list(names)
    known = sorted({name for name in names if name is not None})
    index = {name: i for i, name in enumerate(known)}
    return known, _array([index.get(name, -1) for name in names])


def load_facts(session: Session) -> OverviewFacts:
    """Read the stored facts (a few plain queries, rows as tuples) into arrays, joined with numpy."""
    cursor = session.connection().connection.driver_connection.cursor()
    topic_rows = cursor.execute(_TOPICS).fetchall()
    if len(topic_rows) > 1 << TOPIC_BITS:
        raise ValueError(f"the overview counts at most {1 << TOPIC_BITS} topics")
    topics = [Axis(key, label) for _, key, label in topic_rows]
    topic_index = {topic_id: i for i, (topic_id, _, _) in enumerate(topic_rows)}
    sections = {section_id: (label, title) for section_id, label, title in cursor.execute(_SECTIONS)}
    documents = cursor.execute(_DOCUMENTS).fetchall()
    document_key = {document_id: key for document_id, key, _ in documents}
    year_of_document = {document_id: year for document_id, _, year in documents if year is not None}
    numbers = cursor.execute(_RECOMMENDATIONS).fetchall()
    facts = cursor.execute(_FACTS).fetchall()
    cursor.close()

    rec_ids, section_ids, document_ids, labels, speakers, remark_counts = (
        map(list, zip(*numbers, strict=True)) if numbers else ([], [], [], [], [], []))
    ids, section, document = _array(rec_ids), _array(section_ids), _array(document_ids)
    n = len(ids)
    section_names = sorted({label for label, _ in sections.values()}, key=_label_order)
    section_code = {section_id: section_names.index(label) for section_id, (label, _) in sections.items()}
    years = sorted(set(year_of_document.values()))
    year_code = {document_id: years.index(year) for document_id, year in year_of_document.items()}

    fact_recs, fact_topics, fact_remarks, fact_groups, fact_states = (
        zip(*facts, strict=True) if facts else ((), (), (), (), ()))
    at = np.minimum(np.searchsorted(ids, _array(fact_recs)), max(n - 1, 0))
    known = ids[at] == _array(fact_recs) if n else np.zeros(len(facts), dtype=bool)  # top-level ones only
    topic = _array([topic_index.get(t, -1) if t is not None else -1 for t in fact_topics])
    group_names, group = _codes(fact_groups)
    state_names, state = _codes(fact_states)
    remark = _array([r if r is not None else -1 for r in fact_remarks])

    # Each recommendation's topics, in runs by recommendation.
    tagged = known & (topic >= 0)
    order = np.argsort(at[tagged], kind="stable")
    topic_at, topic_of = at[tagged][order], topic[tagged][order]
    topic_count = np.bincount(topic_at, minlength=n)
    topic_start = np.cumsum(topic_count) - topic_count

    keys: dict[str, _Incidence] = {}
    remarks: dict[str, _Incidence] = {}
    pair_keys: dict[str, np.ndarray] = {}
    per_rec = _array([section_code[s] for s in section_ids])
    keys[SECTIONS] = _distinct(topic_at, per_rec[topic_at] << TOPIC_BITS | topic_of)
    per_rec = _array([year_code.get(d, -1) for d in document_ids])
    dated = per_rec[topic_at] >= 0
    keys[YEARS] = _distinct(topic_at[dated], per_rec[topic_at][dated] << TOPIC_BITS | topic_of[dated])
    for kind, column in ((GROUPS, group), (STATES, state)):
        chosen = known & (column >= 0)
        rows, remark_of, column_of = at[chosen], remark[chosen], column[chosen]
        repeats = topic_count[rows]  # one entry per topic of the recommendation
        each = np.repeat(np.arange(len(rows), dtype=np.int64), repeats)
        key = column_of[each] << TOPIC_BITS | topic_of[topic_start[rows][each] + _ragged(repeats)]
        keys[kind] = _distinct(rows[each], key)
        pairs, pair = np.unique(remark_of[each] << 32 | key, return_inverse=True)
        remarks[kind], pair_keys[kind] = _Incidence(rows[each], pair.reshape(-1)), pairs & _LOW
    chosen = known & (group >= 0)
    groups = np.bincount(_distinct(at[chosen], group[chosen]).rows, minlength=n)

    ordered_at = np.lexsort((ids, groups, _array(speakers)))
    rank = np.empty(n, dtype=np.int64)
    rank[ordered_at] = np.arange(n, dtype=np.int64)
    picked = ordered_at.tolist()
    ordered = list(map(Support, ids[ordered_at].tolist(), [document_key[document_ids[i]] for i in picked],
                       [labels[i] for i in picked], [speakers[i] for i in picked], groups[ordered_at].tolist(),
                       [remark_counts[i] for i in picked]))
    return OverviewFacts(
        topics, {GROUPS: group_names, STATES: state_names, SECTIONS: section_names, YEARS: years},
        ids=ids, document=document, section=section, year_of_document=year_of_document, sections=sections,
        keys=keys, remarks=remarks, pair_keys=pair_keys, rank=rank, ordered=ordered)


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


def _matrix(kind: str, facts: OverviewFacts, value: str, recommendations: dict[int, int],
            remarks: dict[int, int], columns: list[Axis]) -> Matrix:
    names = facts.columns[kind]
    topic_mask = (1 << TOPIC_BITS) - 1
    cells = tuple(sorted(
        (Cell(facts.topics[key & topic_mask].key, names[key >> TOPIC_BITS], remarks.get(key, 0), count)
         for key, count in recommendations.items()), key=lambda cell: (cell.row, cell.column)))
    used = {cell.row for cell in cells}
    rows = tuple(axis for axis in facts.topics if axis.key in used)
    present = {cell.column for cell in cells}
    return Matrix(kind, TITLES[kind], value, rows, tuple(axis for axis in columns if axis.key in present), cells)


def _positions(facts: OverviewFacts, ids: Iterable[int]) -> np.ndarray:
    """The places in ``facts.ids`` of the top-level recommendations among ``ids``, each once, ascending."""
    wanted = np.fromiter(ids, dtype=np.int64)
    if not len(facts.ids) or not len(wanted):
        return np.empty(0, dtype=np.int64)
    at = np.minimum(np.searchsorted(facts.ids, wanted), len(facts.ids) - 1)
    return np.unique(at[facts.ids[at] == wanted])


def count(facts: OverviewFacts, ids: Iterable[int]) -> Overview:
    """Every matrix of the Overview for the top-level recommendations ``ids`` (other ids are ignored)."""
    scope = _positions(facts, ids)
    if len(scope) == len(facts.ids):
        if facts.whole is None:
            facts.whole = _count(facts, scope)
        return facts.whole
    return _count(facts, scope)


def _count(facts: OverviewFacts, scope: np.ndarray) -> Overview:
    chosen = np.zeros(len(facts.ids), dtype=bool)
    chosen[scope] = True
    matrices = {}
    for kind in (GROUPS, STATES):
        names = sorted(facts.columns[kind])
        matrices[kind] = _matrix(kind, facts, "remarks", _counted(facts.keys[kind], chosen),
                                 _distinct_remarks(facts.remarks[kind], facts.pair_keys[kind], chosen),
                                 [Axis(n, n) for n in names])
    section_ids: dict[str, list[int]] = {}
    for section_id in np.unique(facts.section[scope]).tolist():
        section_ids.setdefault(facts.sections[section_id][0], []).append(section_id)
    sections = [Axis(label, f"{label} {facts.sections[min(section_ids[label])][1]}", tuple(sorted(section_ids[label])))
                for label in sorted(section_ids, key=_label_order)]
    matrices[SECTIONS] = _matrix(SECTIONS, facts, "recommendations", _counted(facts.keys[SECTIONS], chosen),
                                 {}, sections)
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


def cell_filter(f: RecommendationFilter, kind: str, topic: str, column: Axis,
                section_label: str = "") -> tuple[RecommendationFilter, str, bool]:
    """The table's filter for a cell counted under ``f``: (filter, scope label, exact).

    The cell's recommendations are ``f``'s that carry ``topic`` and come from the column's group,
    State, section or year. A section label or a year shared by several reports has no single
    filter: the topic is added, the scope kept, and ``exact`` is False.
    """
    narrowed = replace(f, topics=f.topics | {topic})
    if kind == GROUPS:
        return replace(narrowed, group=column.key, state=None), section_label, True
    if kind == STATES:
        return replace(narrowed, state=column.key, group=None), section_label, True
    if len(column.ids) != 1:
        return narrowed, section_label, False
    if kind == SECTIONS:
        return replace(narrowed, section_id=column.ids[0]), column.label, True
    return replace(narrowed, document_id=column.ids[0]), section_label, True


def group_rows(session: Session) -> Iterator[dict[str, object]]:
    """The whole library's topics-by-groups matrix as rows of ``CSV_COLUMNS``, zeros included."""
    facts = load_facts(session)
    matrix = count(facts, facts.ids.tolist()).groups
    for row in matrix.rows:
        for column in matrix.columns:
            cell = matrix.cell(row.key, column.key)
            yield {"topic": row.label, "group": column.label, "remarks": cell.remarks if cell else 0,
                   "recommendations": cell.recommendations if cell else 0}
