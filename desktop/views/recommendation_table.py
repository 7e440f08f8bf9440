"""RecommendationTableView and the panel that swaps it for an empty state when nothing matches."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QDrag, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.itemmodels.columns import column_index
from desktop.itemmodels.recommendation_table import RecommendationTableModel
from desktop.views.drop_feedback import DropTargetHighlighter, drag_pixmap
from desktop.views.preview_delegate import PreviewDelegate
from desktop.views.topic_delegate import TopicChipDelegate
from models.briefing.html import recommendations_table_html, recommendations_text
from models.queries.filters import FilterPart

PREVIEW_LINES = 2  # lines of a recommendation's text in its row
MIN_TEXT_WIDTH = 220


class RecommendationTableView(QTableView):
    def __init__(self, model: RecommendationTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._appended_out_of_view = False  # set by rowsInserted for the next doItemsLayout
        self._text_fills = True  # the text column takes the width the others leave, until the delegate sizes it
        self._fitting = False
        self._text_column = column_index("text", model.columns)
        self.setObjectName("recommendationTable")
        self.setAccessibleName("Recommendations")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)  # the text column is a preview of PREVIEW_LINES lines, as mail clients show
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setShowGrid(False)
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() * PREVIEW_LINES + 8)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Always there: a new filter never changes the width the rows have (no relayout, no jump).
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        self._delegate = TopicChipDelegate(self)
        header_metrics = header.fontMetrics()
        for number, column in enumerate(model.columns):
            # wide enough for its header (bold, with the sort arrow): "Remarks" never reads "emarks"
            self.setColumnWidth(number, max(column.width, header_metrics.horizontalAdvance(column.header) + 34))
            if column.delegate == "topics":
                self.setItemDelegateForColumn(number, self._delegate)
        self._text_column = column_index("text", model.columns)
        self._preview = PreviewDelegate(self)  # each row's preview laid out once per width, not at every paint
        self.setItemDelegateForColumn(self._text_column, self._preview)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(36)
        header.sectionResized.connect(self._section_resized)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.show_header_menu)
        header.setSectionHidden(column_index("section", model.columns), True)  # the contents tree shows it
        self.setSortingEnabled(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.drop_target = DropTargetHighlighter(self)  # a paragraph dragged over a row frames the row

    # The text column gets the space: it fills what the other columns leave whenever the view is
    # resized, until the delegate drags its edge (then it keeps that width, and the header remembers it).

    def fit_text_column(self) -> None:
        if not self._text_fills:
            return
        header = self.horizontalHeader()
        others = sum(
            header.sectionSize(n) for n in range(header.count()) if n != self._text_column and not header.isSectionHidden(n)
        )
        self._fitting = True
        try:
            header.resizeSection(self._text_column, max(MIN_TEXT_WIDTH, self.viewport().width() - others))
        finally:
            self._fitting = False

    def _section_resized(self, number: int, _old: int, _new: int) -> None:
        if self._fitting:
            return
        if number == self._text_column:
            self._text_fills = False
        else:
            self.fit_text_column()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_text_column()

    def restore_header(self, state: object, fill: bool = True) -> None:
        """Widths, order and hidden columns from a saved header state; ``fill``: the text column fills again."""
        self.horizontalHeader().restoreState(state)
        self._text_fills = fill
        self.fit_text_column()

    @property
    def text_fills(self) -> bool:
        """Whether the text column takes the width the others leave (False once the delegate sized it)."""
        return self._text_fills

    def show_header_menu(self, position) -> QMenu:
        """The header's context menu: show or hide each column (the text column always stays)."""
        header, model = self.horizontalHeader(), self.model()
        menu = QMenu(self)
        menu.setObjectName("tableColumnsMenu")
        for number, column in enumerate(model.columns):
            action = menu.addAction(column.header)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(number))
            action.setEnabled(number != self._text_column)
            action.toggled.connect(lambda on, n=number: self.set_column_shown(n, on))
        menu.addSeparator()
        menu.addAction("Fit the Text to the Width", self._fill_again)
        if position is not None:
            menu.popup(header.mapToGlobal(position))
        return menu

    def set_column_shown(self, number: int, shown: bool) -> None:
        self.horizontalHeader().setSectionHidden(number, not shown)
        self.fit_text_column()

    def _fill_again(self) -> None:
        self._text_fills = True
        self.fit_text_column()

    # The rest of a search's matches arrives after its first screen, as rows appended below the
    # view. Qt lays out and repaints the whole viewport for that; only the scroll bar has changed.

    def rowsInserted(self, parent: QModelIndex, first: int, last: int) -> None:
        super().rowsInserted(parent, first, last)
        bottom = self.rowAt(self.viewport().height() - 1)
        self._appended_out_of_view = not parent.isValid() and 0 <= bottom < first

    def doItemsLayout(self) -> None:
        if self._appended_out_of_view:
            self._appended_out_of_view = False
            self.updateGeometries()  # the scroll bar's range; the rows in view are the same
            return
        super().doItemsLayout()

    def startDrag(self, supported: Qt.DropAction) -> None:
        """Drag the selected rows with a compact image ("3 recommendations"), not a picture of the rows."""
        indexes = [index for index in self.selectionModel().selectedRows() if index.isValid()]
        data = self.model().mimeData(indexes) if indexes else None
        if data is None:
            return
        numbers = [self.model().row_data(index.row()).number for index in indexes]
        label = f"Recommendation {numbers[0]}" if len(numbers) == 1 else f"{len(numbers)} recommendations"
        drag = QDrag(self)
        drag.setMimeData(data)
        pixmap = drag_pixmap(label, self)
        drag.setPixmap(pixmap)
        drag.setHotSpot(QPoint(-12, pixmap.deviceIndependentSize().toSize().height() // 2))
        drag.exec(supported, Qt.DropAction.CopyAction)

    def selected_ids(self) -> list[int]:
        model = self.model()
        return [model.id_at(index.row()) for index in self.selectionModel().selectedRows()]

    def keyPressEvent(self, event: QKeyEvent) -> None:
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

    def show_empty(self, parts: Sequence[FilterPart], note: str = "") -> None:
        """Nothing matches: say which restrictions (search, topics, scope…) there are, and offer to drop them."""
        search = next((part.value for part in parts if part.field == "text"), "")
        others = [part.line() for part in parts if part.field != "text"]
        what = f"No recommendation matches “{search}”" if search else "No recommendation matches these filters"
        if others:
            what += (" with " if search else ": ") + "; ".join(others)
        self.empty.setText(what + "." + (f"\n{note}" if note else ""))
        count = len(parts)
        self.clear_button.setText("Clear the filter" if count == 1 else f"Clear all {count} filters" if count else "Show all")
        self.setCurrentWidget(self._page)

    def show_table(self) -> None:
        self.setCurrentWidget(self.table)

    def is_empty_shown(self) -> bool:
        return self.currentWidget() is self._page
