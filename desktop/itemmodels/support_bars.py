"""SupportModel: the recommendations of the scope with the voices behind them, fewest first.

Adapts the `models.queries.overview.Support` rows (already sorted: single voices first):
a row per recommendation; columns for its distinct speakers, regional groups and
remarks, each with its share of the column's largest (`ShareRole`) for the bar
delegate. Rows are plain tuples and only the visible ones are asked for, so a
scope of 50,000 recommendations costs nothing to show.
"""

from __future__ import annotations

from operator import itemgetter

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from desktop.itemmodels.roles import IdRole, ShareRole
from models.queries.overview import Support

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Recommendation", "Speakers", "Groups", "Remarks")
FIELDS = (None, "speakers", "groups", "remarks")


class SupportModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[Support, ...] = ()
        self._several_reports = False
        self._largest = (1, 1, 1, 1)

    def set_rows(self, rows: tuple[Support, ...], several_reports: bool) -> None:
        self.beginResetModel()
        self._rows = rows
        self._several_reports = several_reports
        # the rows are sorted by speakers: the last has the most
        self._largest = (
            1,
            rows[-1].speakers if rows else 1,
            *(max(map(itemgetter(position), rows), default=0) or 1 for position in (4, 5)),
        )
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def label(self, row: Support) -> str:
        return f"{row.document_key} · {row.number}" if self._several_reports else f"Recommendation {row.number}"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.label(row) if column == 0 else str(getattr(row, FIELDS[column]))
        if role == ShareRole and column:
            return getattr(row, FIELDS[column]) / self._largest[column]
        if role == IdRole:
            return row.recommendation_id
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                f"{self.label(row)}: {row.speakers} speakers, {row.groups} regional groups, "
                f"{row.remarks} remarks behind it — click to open it"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None
