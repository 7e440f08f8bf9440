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
read once (`load_facts`, a few plain queries) into arrays (`overview_arrays`), and counted for each scope
(`count`) with whole-array passes (``numpy.bincount``): at 50,000 recommendations
SQL's grouped ``count(DISTINCT ...)`` over the links took about a second per matrix,
counting a scope takes a few milliseconds. The facts depend on the corpus only (not
on annotations): load them again after an import. Views draw the rows returned here
and never count.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy.orm import Session

from models.queries.filters import RecommendationFilter

if TYPE_CHECKING:
    from models.queries.overview_arrays import OverviewFacts

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


def load_facts(session: Session) -> OverviewFacts:
    """The corpus facts the counts need, read once per library state (numpy arrays; see `overview_arrays`)."""
    from models.queries import overview_arrays  # numpy: imported when the Overview first counts

    return overview_arrays.load_facts(session)


def count(facts: OverviewFacts, ids: Iterable[int]) -> Overview:
    """Every matrix of the Overview for the top-level recommendations ``ids`` (other ids are ignored)."""
    from models.queries import overview_arrays

    return overview_arrays.count(facts, ids)


def cell_filter(
    f: RecommendationFilter, kind: str, topic: str, column: Axis, section_label: str = ""
) -> tuple[RecommendationFilter, str, bool]:
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
            yield {
                "topic": row.label,
                "group": column.label,
                "remarks": cell.remarks if cell else 0,
                "recommendations": cell.recommendations if cell else 0,
            }
