"""RecommendationTableView and the panel that swaps it for an empty state when nothing matches."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHeaderView, QLabel, QPushButton, QStackedWidget, QTableView,
                               QVBoxLayout, QWidget)

from desktop.itemmodels.columns import column_index
from desktop.itemmodels.recommendation_table import RecommendationTableModel
from desktop.views.topic_delegate import TopicChipDelegate
from models.filters import FilterPart
from models.briefing_html import recommendations_table_html, recommendations_text


class RecommendationTableView(QTableView):
    def __init__(self, model: RecommendationTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._appended_out_of_view = False  # set by rowsInserted for the next doItemsLayout
        self.setObjectName("recommendationTable")
        self.setAccessibleName("Recommendations")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setShowGrid(False)
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Always there: a new filter never changes the width the rows have (no relayout, no jump).
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        self._delegate = TopicChipDelegate(self)
        for number, column in enumerate(model.columns):
            self.setColumnWidth(number, column.width)
            if column.delegate == "topics":
                self.setItemDelegateForColumn(number, self._delegate)
        header.setSectionResizeMode(column_index("text", model.columns), QHeaderView.ResizeMode.Stretch)
        self.setSortingEnabled(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)

    # The rest of a search's matches arrives after its first screen, as rows appended below the
    # view. Qt lays out and repaints the whole viewport for that; only the scroll bar has changed.

    def rowsInserted(self, parent: QModelIndex, first: int, last: int) -> None:  # noqa: N802
        super().rowsInserted(parent, first, last)
        bottom = self.rowAt(self.viewport().height() - 1)
        self._appended_out_of_view = not parent.isValid() and 0 <= bottom < first

    def doItemsLayout(self) -> None:  # noqa: N802
        if self._appended_out_of_view:
            self._appended_out_of_view = False
            self.updateGeometries()  # the scroll bar's range; the rows in view are the same
            return
        super().doItemsLayout()

    def selected_ids(self) -> list[int]:
        model = self.model()
        return [model.id_at(index.row()) for index in self.selectionModel().selectedRows()]

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
            return
        super().keyPressEvent(event)

    def copy_selection(self) -> None:
        """The selected recommendations on the clipboard: an HTML table and tab-separated text (number, text, topics)."""
        model = self.model()
        rows = [model.row_data(row) for row in sorted(index.row() for index in self.selectionModel().selectedRows())]
        rows = [row for row in rows if row is not None]
        if not rows:
            return
        mime = QMimeData()
        mime.setHtml(recommendations_table_html(rows))
        mime.setText(recommendations_text(rows))
        QApplication.clipboard().setMimeData(mime)


class RecommendationPanel(QStackedWidget):
    """The table, or a calm empty state saying what did not match, with a button that clears the filters."""

    clearRequested = Signal()

    def __init__(self, table: RecommendationTableView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        page = QWidget(self)
        page.setObjectName("emptyPage")
        self.empty = QLabel(page)
        self.empty.setObjectName("emptyState")
        self.empty.setAccessibleName("No recommendation matches")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.clear_button = QPushButton("Clear filters", page)
        self.clear_button.setObjectName("emptyStateClear")
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_button.clicked.connect(self.clearRequested)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.empty)
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.addWidget(table)
        self.addWidget(page)
        self._page = page

    def show_empty(self, parts: Sequence[FilterPart]) -> None:
        """Nothing matches: say which restrictions (search, topics, scope…) there are, and offer to drop them."""
        search = next((part.value for part in parts if part.field == "text"), "")
        others = [part.line() for part in parts if part.field != "text"]
        what = f"No recommendation matches “{search}”" if search else "No recommendation matches these filters"
        if others:
            what += (" with " if search else ": ") + "; ".join(others)
        self.empty.setText(what + ".")
        count = len(parts)
        self.clear_button.setText("Clear the filter" if count == 1 else f"Clear all {count} filters" if count else
                                  "Show all")
        self.setCurrentWidget(self._page)

    def show_table(self) -> None:
        self.setCurrentWidget(self.table)

    def is_empty_shown(self) -> bool:
        return self.currentWidget() is self._page
