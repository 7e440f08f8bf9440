"""OverviewView: the meeting at a glance, as heat-map tables a delegate can click.

Tabs for topics by regional group, by State, by section and by year (the last only
when the scope spans several years), and the recommendations by support (bars).
Each is a `QTableView` over a model of `desktop.itemmodels` whose delegate paints the
cell in the palette's colours with its number always printed: the table is its own
accessible text equivalent, copyable with Ctrl+C. Clicking a cell (or Enter on it)
emits `cellChosen`; the main window turns it into the table's filters. The view
never counts: it shows the `models.queries.overview.Overview` it is given.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QMimeData, QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.itemmodels.overview_matrix import MatrixModel
from desktop.itemmodels.roles import IdRole, ShareRole
from desktop.itemmodels.support_bars import SupportModel
from models.queries.overview import GROUPS, SECTIONS, STATES, YEARS, Overview

TABS = (  # kind, tab title, object name, accessible name
    (GROUPS, "Topics × groups", "overviewGroups", "Remarks by regional group on the recommendations of each topic"),
    (STATES, "Topics × States", "overviewStates", "Remarks by State on the recommendations of each topic"),
    (SECTIONS, "Topics × sections", "overviewSections", "Recommendations of each topic in each section"),
    (YEARS, "Topics over the years", "overviewYears", "Recommendations of each topic in the reports of each year"),
)
LIGHTEST, STRONGEST = 0.14, 0.85  # how much of the highlight colour the smallest and largest numbers get
# The window's style sheet draws tables light; the Overview's follow the palette, light or dark.
STYLE_SHEET = """
QTableView { background: palette(base); color: palette(text); border: 1px solid palette(mid); }
QHeaderView::section { background: palette(button); color: palette(button-text); border: none;
    border-bottom: 1px solid palette(mid); border-right: 1px solid palette(midlight); padding: 4px 6px; }
QLabel#overviewSummary { color: palette(window-text); }
"""


def mix(first: QColor, second: QColor, weight: float) -> QColor:
    return QColor.fromRgbF(*(a + (b - a) * weight for a, b in zip(first.getRgbF()[:3], second.getRgbF()[:3], strict=True)))


def heat_colour(palette: QPalette, share: float) -> QColor:
    """The cell colour for a number's share of the largest: the base colour mixed with the highlight.

    The highlight is the application's (light or dark), not the style sheet's pale selection colour.
    """
    base = palette.color(QPalette.ColorRole.Base)
    accent = QGuiApplication.palette().color(QPalette.ColorRole.Highlight)
    return mix(base, accent, LIGHTEST + (STRONGEST - LIGHTEST) * max(0.0, min(1.0, share)))


def text_colour(palette: QPalette, background: QColor) -> QColor:
    """Whichever of the palette's text colours reads better on ``background``."""
    text = palette.color(QPalette.ColorRole.Text)
    highlighted = QGuiApplication.palette().color(QPalette.ColorRole.HighlightedText)
    return max((text, highlighted), key=lambda c: abs(c.lightnessF() - background.lightnessF()))


class HeatDelegate(QStyledItemDelegate):
    """Paints a matrix cell: a colour for its share of the largest number (none for zero), and the number."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        palette = option.palette
        share = index.data(ShareRole) or 0.0
        number = index.data()
        painter.save()
        background = heat_colour(palette, share) if number != "0" else palette.color(QPalette.ColorRole.Base)
        painter.fillRect(option.rect.adjusted(1, 1, -1, -1), background)
        if number == "0":
            painter.setPen(mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text), 0.5))
        else:
            painter.setPen(text_colour(palette, background))
        painter.drawText(option.rect, Qt.AlignmentFlag.AlignCenter, number)
        if option.state & option.state.State_Selected or option.state & option.state.State_HasFocus:
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
        painter.restore()


class BarDelegate(QStyledItemDelegate):
    """Paints a number as a bar of its share of the column's largest, with the number printed beside it."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        share = index.data(ShareRole)
        if share is None:
            super().paint(painter, option, index)
            return
        palette = option.palette
        painter.save()
        if option.state & option.state.State_Selected:
            painter.fillRect(option.rect, palette.color(QPalette.ColorRole.AlternateBase))
        room = option.rect.adjusted(4, 4, -36, -4)
        bar = QRect(room.left(), room.top(), max(2, round(room.width() * share)) if share else 0, room.height())
        painter.fillRect(bar, heat_colour(palette, 0.35 + 0.65 * share))
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(
            option.rect.adjusted(0, 0, -6, 0), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, index.data()
        )
        painter.restore()


class OverviewTable(QTableView):
    """A chart's table; Ctrl+C copies the selected cells (or the whole table) with their headers."""

    def __init__(self, name: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setMouseTracking(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(26)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated.emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def copy(self) -> QMimeData:
        """Put the selection (or everything) on the clipboard as tab-separated text and an HTML table."""
        model = self.model()
        selected = self.selectionModel().selectedIndexes()
        rows = sorted({i.row() for i in selected}) or list(range(model.rowCount()))
        columns = sorted({i.column() for i in selected}) or list(range(model.columnCount()))
        vertical = self.verticalHeader().isVisible()

        def header(section: int, orientation: Qt.Orientation) -> str:
            return str(
                model.headerData(section, orientation, Qt.ItemDataRole.ToolTipRole)
                or model.headerData(section, orientation)
                or ""
            )

        table = [([""] if vertical else []) + [header(c, Qt.Orientation.Horizontal) for c in columns]]
        for r in rows:
            table.append(
                ([header(r, Qt.Orientation.Vertical)] if vertical else [])
                + [str(model.index(r, c).data() or "") for c in columns]
            )
        data = QMimeData()
        data.setText("\n".join("\t".join(line) for line in table) + "\n")
        data.setHtml(
            "<table>"
            + "".join(
                "<tr>"
                + "".join(f"<{'th' if n == 0 else 'td'}>{html.escape(v)}</{'th' if n == 0 else 'td'}>" for v in line)
                + "</tr>"
                for n, line in enumerate(table)
            )
            + "</table>"
        )
        QGuiApplication.clipboard().setMimeData(data)
        return data


class OverviewView(QWidget):
    """The Overview pane (objectName ``overview``)."""

    cellChosen = Signal(str, object, object)  # kind, topic Axis, column Axis
    recommendationChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overview")
        self.setAccessibleName("Overview: who spoke on what, for the recommendations the table lists")
        self.setStyleSheet(STYLE_SHEET)
        self.summary = QLabel(self)
        self.summary.setObjectName("overviewSummary")
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("overviewTabs")
        self.tabs.setAccessibleName("Overview charts")
        self.models: dict[str, MatrixModel] = {}
        self.tables: dict[str, OverviewTable] = {}
        heat = HeatDelegate(self)
        for kind, title, name, accessible in TABS:
            model = self.models[kind] = MatrixModel(parent=self)
            table = self.tables[kind] = OverviewTable(name, accessible, self)
            table.setModel(model)
            table.setItemDelegate(heat)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setMinimumSectionSize(44)
            table.clicked.connect(lambda index, kind=kind: self._cell_chosen(kind, index))
            table.activated.connect(lambda index, kind=kind: self._cell_chosen(kind, index))
            self.tabs.addTab(table, title)
        self.support_model = SupportModel(self)
        support = self.tables["support"] = OverviewTable(
            "overviewSupport", "Recommendations by the number of distinct speakers and regional groups behind them", self
        )
        support.setModel(self.support_model)
        support.setItemDelegate(BarDelegate(self))
        support.verticalHeader().hide()
        support.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # not ResizeToContents: that asks every row (50,000 at 1,000 reports) for its size
        support.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        support.horizontalHeader().resizeSection(0, 260)
        support.clicked.connect(self._support_chosen)
        support.activated.connect(self._support_chosen)
        self.tabs.insertTab(3, support, "Support")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self.overview: Overview | None = None

    def show_overview(self, overview: Overview) -> None:
        self.overview = overview
        for kind, matrix in zip((GROUPS, STATES, SECTIONS, YEARS), overview.matrices(), strict=True):
            self.models[kind].set_matrix(matrix)
        self.support_model.set_rows(overview.support, several_reports=overview.reports > 1)
        years = self.tabs.indexOf(self.tables[YEARS])
        self.tabs.setTabVisible(years, bool(overview.years.columns))
        single = overview.single_voices
        reports = f"{overview.reports} report{'s' if overview.reports != 1 else ''}"
        self.summary.setText(
            f"{overview.recommendations} recommendations in {reports} (the table's filters) · "
            f"{single} with one speaker or none behind them. Click a number to list its recommendations; "
            "Back returns."
        )

    def _cell_chosen(self, kind: str, index: QModelIndex) -> None:
        if index.isValid() and index.data() != "0":
            topic, column = self.models[kind].axes(index)
            self.cellChosen.emit(kind, topic, column)

    def _support_chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.recommendationChosen.emit(index.data(IdRole))

    def matrix_table(self, kind: str) -> OverviewTable:
        return self.tables[kind]
