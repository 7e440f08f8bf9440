"""RecommendationTableView and the panel that swaps it for an empty state when nothing matches."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QStackedWidget, QTableView, QWidget

from desktop.itemmodels.columns import column_index
from desktop.itemmodels.recommendation_table import RecommendationTableModel
from desktop.views.html import escape
from desktop.views.topic_delegate import TopicChipDelegate


class RecommendationTableView(QTableView):
    def __init__(self, model: RecommendationTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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

    def selected_ids(self) -> list[int]:
        model = self.model()
        return [model.id_at(index.row()) for index in self.selectionModel().selectedRows()]


class RecommendationPanel(QStackedWidget):
    """The table, or a calm empty state with a link that clears the filters."""

    clearRequested = Signal()

    def __init__(self, table: RecommendationTableView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.empty = QLabel(self)
        self.empty.setObjectName("emptyState")
        self.empty.setAccessibleName("No recommendation matches")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                           | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.empty.linkActivated.connect(lambda _link: self.clearRequested.emit())
        self.addWidget(table)
        self.addWidget(self.empty)

    def show_empty(self, search: str) -> None:
        what = f"No recommendation matches “{escape(search)}”" if search else "No recommendation matches these filters"
        self.empty.setText(f'<p style="font-size:11pt;">{what} — <a href="clear">clear filters</a></p>')
        self.setCurrentWidget(self.empty)

    def show_table(self) -> None:
        self.setCurrentWidget(self.table)

    def is_empty_shown(self) -> bool:
        return self.currentWidget() is self.empty
