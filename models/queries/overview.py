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

The corpus facts these counts need are read once (`load_facts`, a few plain
queries) and counted in Python for each scope (`count`): at 50,000 recommendations
SQL's grouped ``count(DISTINCT ...)`` over the links took about a second per matrix,
counting the loaded facts for a scope takes milliseconds. The facts depend on the
corpus only (not on annotations): load them again after an import. Views draw the
rows returned here and never count.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import chain, repeat
from operator import itemgetter
from typing import NamedTuple

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
KEY_BITS = 24  # a remark key is remark id << KEY_BITS | matrix key


@dataclass
class OverviewFacts:
    """What the counts need, read once per library state (`load_facts`); treat as read-only.

    Per top-level recommendation id, the matrix keys it adds (plain ints, see
    ``TOPIC_BITS``), so that counting a scope is a few C-level passes
    (`collections.Counter` over chained tuples of ints), not a Python loop.
    """

    topics: list[Axis]  # in the lexicon's order
    columns: dict[str, list[str]]  # kind -> column keys (group names, States, section labels, years)
    document_of: dict[int, int]  # every top-level recommendation -> its document
    section_of: dict[int, int]
    year_of_document: dict[int, str]  # only dated reports
    sections: dict[int, tuple[str, str]]  # section id -> (label, title)
    keys: dict[str, dict[int, tuple[int, ...]]]  # kind -> id -> its distinct matrix keys
    remarks: dict[str, dict[int, tuple[int, ...]]]  # GROUPS/STATES -> id -> remark keys
    support: dict[int, Support]
    rank: dict[int, int]  # id -> position in support order
    whole: Overview | None = None  # the whole library's, counted once (the Overview opens on it, Clear returns to it)


_TOPICS = "SELECT id, key, label FROM topic ORDER BY position"
_TOPIC_PAIRS = ("SELECT DISTINCT coalesce(r.parent_id, r.id), t.topic_id FROM topic_tag t "
                "JOIN recommendation r ON r.id = t.recommendation_id")
_RECOMMENDATIONS = ("SELECT r.id, r.section_id, r.document_id, d.key, r.number, r.shown_speakers, r.shown_remarks "
                    "FROM recommendation r JOIN document d ON d.id = r.document_id "
                    "WHERE r.parent_id IS NULL ORDER BY r.id")
_YEARS = "SELECT id, substr(start_date, 1, 4) FROM document WHERE start_date IS NOT NULL"
_SECTIONS = "SELECT id, label, title FROM section"
# The remarks behind each top-level recommendation through links shown by default, by speakers with a
# regional group or a State (the table's filters: `models.filters`).
_ATTRIBUTED = ("SELECT coalesce(r.parent_id, r.id), l.remark_id, p.group_name, coalesce(p.state, m.on_behalf_of) "
               "FROM remark m LEFT JOIN participant p ON p.id = m.participant_id "
               "JOIN link l ON l.remark_id = m.id JOIN recommendation r ON r.id = l.recommendation_id "
               "WHERE l.shown AND (m.participant_id IS NOT NULL OR m.on_behalf_of IS NOT NULL)")


def load_facts(session: Session) -> OverviewFacts:
    # Plain SQL on the session's own DB-API connection (in its transaction): about 300,000 rows
    # arrive as tuples, without SQLAlchemy's row objects.
    cursor = session.connection().connection.driver_connection.cursor()
    topic_rows = cursor.execute(_TOPICS).fetchall()
    if len(topic_rows) > 1 << TOPIC_BITS:
        raise ValueError(f"the overview counts at most {1 << TOPIC_BITS} topics")
    topics = [Axis(key, label) for _, key, label in topic_rows]
    index = {topic_id: i for i, (topic_id, _, _) in enumerate(topic_rows)}
    topics_of: dict[int, list[int]] = {}
    for rec_id, topic_id in cursor.execute(_TOPIC_PAIRS):
        topics_of.setdefault(rec_id, []).append(index[topic_id])

    columns: dict[str, dict[str, int]] = {GROUPS: {}, STATES: {}, SECTIONS: {}, YEARS: {}}

    def code(kind: str, name: str) -> int:
        return columns[kind].setdefault(name, len(columns[kind])) << TOPIC_BITS

    sections = {section_id: (label, title) for section_id, label, title in cursor.execute(_SECTIONS)}
    section_code = {section_id: code(SECTIONS, label) for section_id, (label, _) in sorted(sections.items())}
    year_of_document = dict(cursor.execute(_YEARS).fetchall())
    year_code = {document_id: code(YEARS, year) for document_id, year in sorted(year_of_document.items())}
    document_of, section_of, numbers = {}, {}, cursor.execute(_RECOMMENDATIONS).fetchall()
    for rec_id, section_id, document_id, *_ in numbers:
        document_of[rec_id], section_of[rec_id] = document_id, section_id

    by_group: dict[int, set[tuple[int, int]]] = {}
    by_state: dict[int, set[tuple[int, int]]] = {}
    group_names: dict[int, set[str]] = {}
    for rec_id, remark_id, group, state in cursor.execute(_ATTRIBUTED):
        if group is not None:
            by_group.setdefault(rec_id, set()).add((remark_id, code(GROUPS, group)))
            group_names.setdefault(rec_id, set()).add(group)
        if state is not None:
            by_state.setdefault(rec_id, set()).add((remark_id, code(STATES, state)))
    cursor.close()

    keys: dict[str, dict[int, tuple[int, ...]]] = {GROUPS: {}, STATES: {}, SECTIONS: {}, YEARS: {}}
    remark_keys: dict[str, dict[int, tuple[int, ...]]] = {GROUPS: {}, STATES: {}}
    for rec_id, found in topics_of.items():
        if rec_id not in document_of:
            continue
        at = section_code[section_of[rec_id]]
        keys[SECTIONS][rec_id] = tuple(at | topic for topic in found)
        if (at := year_code.get(document_of[rec_id])) is not None:
            keys[YEARS][rec_id] = tuple(at | topic for topic in found)
        for kind, behind in ((GROUPS, by_group.get(rec_id)), (STATES, by_state.get(rec_id))):
            if behind:
                names = {at for _, at in behind}
                keys[kind][rec_id] = tuple(at | topic for topic in found for at in names)
                remark_keys[kind][rec_id] = tuple(remark << KEY_BITS | at | topic for topic in found
                                                  for remark, at in behind)
    support = {rec_id: Support(rec_id, key, number, speakers, len(group_names.get(rec_id, ())), remarks)
               for rec_id, _, _, key, number, speakers, remarks in numbers}
    ordered = sorted(support.values(), key=lambda row: (row.speakers, row.groups, row.recommendation_id))
    rank = {row.recommendation_id: position for position, row in enumerate(ordered)}
    return OverviewFacts(topics, {kind: list(found) for kind, found in columns.items()}, document_of, section_of,
                         year_of_document, sections, keys, remark_keys, support, rank)


def _label_order(label: str) -> tuple:
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in label.split("."))


def _counted(table: dict[int, tuple[int, ...]], scope: list[int]) -> Counter:
    return Counter(chain.from_iterable(map(table.get, scope, repeat(()))))


def _matrix(kind: str, facts: OverviewFacts, value: str, recommendations: Counter, remarks: Counter,
            columns: list[Axis]) -> Matrix:
    names = facts.columns[kind]
    topic_mask = (1 << TOPIC_BITS) - 1
    cells = tuple(sorted(
        (Cell(facts.topics[key & topic_mask].key, names[key >> TOPIC_BITS], remarks.get(key, 0), count)
         for key, count in recommendations.items()), key=lambda cell: (cell.row, cell.column)))
    used = {cell.row for cell in cells}
    rows = tuple(axis for axis in facts.topics if axis.key in used)
    present = {cell.column for cell in cells}
    return Matrix(kind, TITLES[kind], value, rows, tuple(axis for axis in columns if axis.key in present), cells)


def count(facts: OverviewFacts, ids: Iterable[int]) -> Overview:
    """Every matrix of the Overview for the top-level recommendations ``ids`` (other ids are ignored)."""
    scope = list(facts.document_of.keys() & set(ids))
    if len(scope) == len(facts.document_of):
        if facts.whole is None:
            facts.whole = _count(facts, scope)
        return facts.whole
    return _count(facts, scope)


def _count(facts: OverviewFacts, scope: list[int]) -> Overview:
    matrices = {}
    key_mask = (1 << KEY_BITS) - 1
    for kind in (GROUPS, STATES):
        recommendations = _counted(facts.keys[kind], scope)
        remarks = Counter(map(key_mask.__and__, set(chain.from_iterable(
            map(facts.remarks[kind].get, scope, repeat(()))))))
        names = sorted(facts.columns[kind])
        matrices[kind] = _matrix(kind, facts, "remarks", recommendations, remarks, [Axis(n, n) for n in names])
    section_ids: dict[str, list[int]] = {}
    for section_id in set(map(facts.section_of.__getitem__, scope)):
        section_ids.setdefault(facts.sections[section_id][0], []).append(section_id)
    sections = [Axis(label, f"{label} {facts.sections[min(section_ids[label])][1]}", tuple(sorted(section_ids[label])))
                for label in sorted(section_ids, key=_label_order)]
    matrices[SECTIONS] = _matrix(SECTIONS, facts, "recommendations", _counted(facts.keys[SECTIONS], scope),
                                 Counter(), sections)
    documents = set(map(facts.document_of.__getitem__, scope))
    year_documents: dict[str, list[int]] = {}
    for document_id in sorted(documents):
        if (year := facts.year_of_document.get(document_id)) is not None:
            year_documents.setdefault(year, []).append(document_id)
    years = [Axis(year, year, tuple(year_documents[year])) for year in sorted(year_documents)]
    by_year = _counted(facts.keys[YEARS], scope) if len(years) >= 2 else Counter()
    matrices[YEARS] = _matrix(YEARS, facts, "recommendations", by_year, Counter(), years)
    scope.sort(key=facts.rank.__getitem__)
    return Overview(
        reports=len(documents),
        recommendations=len(scope),
        groups=matrices[GROUPS],
        states=matrices[STATES],
        sections=matrices[SECTIONS],
        years=matrices[YEARS],
        support=(support := tuple(map(facts.support.__getitem__, scope))),
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
    matrix = count(facts, facts.document_of).groups
    for row in matrix.rows:
        for column in matrix.columns:
            cell = matrix.cell(row.key, column.key)
            yield {"topic": row.label, "group": column.label, "remarks": cell.remarks if cell else 0,
                   "recommendations": cell.recommendations if cell else 0}
