"""The explorer's Qt item models without views: qtmodeltester, roles, lazy paging, sorting."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QModelIndex, Qt

from desktop.gateway import LibraryGateway
from desktop.itemmodels import recommendation_table
from desktop.itemmodels.columns import RECOMMENDATION_COLUMNS, column_index
from desktop.itemmodels.recommendation_table import RecommendationTableModel
from desktop.itemmodels.roles import CountRole, IdRole, KindRole, RowRole, TopicsRole
from desktop.itemmodels.section_tree import SectionTreeModel
from models.db.library import open_library
from models.paths import EMBEDDED_CORPUS
from models.queries.filters import RecommendationFilter


@pytest.fixture
def gateway(tmp_path):
    path = tmp_path / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    library = open_library(path)
    yield LibraryGateway(library)
    library.close()


class CountingGateway(LibraryGateway):
    def __init__(self, library) -> None:
        super().__init__(library)
        self.row_fetches = 0

    def recommendation_rows(self, ids):
        self.row_fetches += 1
        return super().recommendation_rows(ids)


def test_table_model_passes_qtmodeltester(qtmodeltester, gateway):
    model = RecommendationTableModel(gateway)
    model.set_filter(RecommendationFilter())
    qtmodeltester.check(model, force_py=True)
    model.set_filter(RecommendationFilter(text="firearms"))
    qtmodeltester.check(model, force_py=True)


def test_tree_model_passes_qtmodeltester(qtmodeltester, gateway):
    qtmodeltester.check(SectionTreeModel(gateway.section_tree()), force_py=True)


def test_table_roles(gateway, qapp):
    model = RecommendationTableModel(gateway)
    model.set_filter(RecommendationFilter(text="darknet"))
    row = next(r for r in range(model.rowCount()) if model.row_data(r).number == "18")
    text_index = model.index(row, column_index("text"))
    assert model.data(text_index, Qt.ItemDataRole.ToolTipRole).startswith("Acknowledging that illicit firearms")
    assert model.data(model.index(row, 0), IdRole) == model.id_at(row)
    assert {chip.key for chip in model.data(model.index(row, column_index("topics")), TopicsRole)} >= {"financial_flows"}
    assert model.data(text_index, RowRole).number == "18"
    assert model.headerData(column_index("remarks"), Qt.Orientation.Horizontal) == "Remarks"
    assert model.columnCount() == len(RECOMMENDATION_COLUMNS)


def test_rows_are_fetched_lazily_in_pages(gateway, qapp, monkeypatch):
    monkeypatch.setattr(recommendation_table, "PAGE_SIZE", 10)
    counting = CountingGateway(gateway.library)
    model = RecommendationTableModel(counting)
    model.set_filter(RecommendationFilter())
    assert counting.row_fetches == 0  # ids only
    for row in range(10):
        model.data(model.index(row, 0))
    assert counting.row_fetches == 1
    model.data(model.index(25, 0))
    assert counting.row_fetches == 2


def test_sorting_keeps_persistent_indexes_on_the_same_recommendation(gateway, qapp):
    from PySide6.QtCore import QPersistentModelIndex

    model = RecommendationTableModel(gateway)
    model.set_filter(RecommendationFilter())
    held = QPersistentModelIndex(model.index(17, 0))
    rid = model.id_at(17)
    model.sort(column_index("remarks"), Qt.SortOrder.DescendingOrder)
    assert model.id_at(held.row()) == rid
    counts = [model.row_data(r).remark_count for r in range(model.rowCount())]
    assert counts == sorted(counts, reverse=True)


def test_unparsable_search_is_searched_as_words(gateway, qapp):
    model = RecommendationTableModel(gateway)
    model.set_filter(RecommendationFilter(text="marking"))
    plain = model.ids()
    model.set_filter(RecommendationFilter(text='"marking'))  # an unclosed quote: not refused
    assert model.ids() == plain and plain


def test_tree_roles_and_counts(gateway, qapp):
    model = SectionTreeModel(gateway.section_tree())
    document = model.index(0, 0, QModelIndex())
    assert model.data(document, KindRole) == "doc"
    assert model.data(document, CountRole) == 47 + 57
    assert model.data(model.index(0, 1, QModelIndex())) == str(47 + 57)
    chapters = [model.index(r, 0, document) for r in range(model.rowCount(document))]
    assert [model.data(c, KindRole) for c in chapters] == ["chapter"] * len(chapters)
    leaf = model.index(0, 0, chapters[0])
    assert model.data(leaf, KindRole) == "paragraph" and isinstance(model.data(leaf, IdRole), int)
    assert model.parent(leaf) == chapters[0]


def test_tree_loads_a_documents_contents_when_expanded(qtmodeltester, gateway):
    from models.queries.corpus import document_nodes

    with gateway.library.begin() as session:
        tops = document_nodes(session)
    loads = []

    def load(document_id):
        loads.append(document_id)
        return gateway.document_tree(document_id)

    model = SectionTreeModel(tops, load_children=load)
    document = model.index(0, 0)
    assert model.rowCount(document) == 0 and model.hasChildren(document) and model.canFetchMore(document)
    model.fetchMore(document)
    assert loads == [tops[0].ref] and not model.canFetchMore(document)
    assert [model.data(model.index(row, 0, document)) for row in range(model.rowCount(document))][:2] == [
        "I. Introduction",
        "II. Recommendations",
    ]
    eager = SectionTreeModel(gateway.section_tree())
    chapter = model.index(1, 0, document)
    assert model.data(chapter, CountRole) == eager.data(eager.index(1, 0, eager.index(0, 0)), CountRole) == 48
    qtmodeltester.check(model, force_py=True)
