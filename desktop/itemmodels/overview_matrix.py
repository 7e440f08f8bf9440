"""MatrixModel: one matrix of the Overview (topics by groups, States, sections or years) as a table.

Adapts a frozen `models.queries.overview.Matrix`: a row per topic, a column per group
(State, section, year), the cell's number as text and its share of the largest
number (`ShareRole`) for the heat-map delegate. It never counts: a new scope is a
new `Matrix` (`set_matrix`, a model reset).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from desktop.itemmodels.roles import KeyRole, ShareRole
from models.queries.overview import Axis, Matrix

Index = QModelIndex | QPersistentModelIndex
UNITS = {"remarks": ("remark", "remarks"), "recommendations": ("recommendation", "recommendations")}


class MatrixModel(QAbstractTableModel):
    def __init__(self, matrix: Matrix | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._matrix: Matrix | None = None
        self._grid: list[list[int]] = []
        self._cells: dict[tuple[str, str], object] = {}
        self._largest = 0
        if matrix is not None:
            self.set_matrix(matrix)

    @property
    def matrix(self) -> Matrix | None:
        return self._matrix

    def set_matrix(self, matrix: Matrix) -> None:
        self.beginResetModel()
        self._matrix = matrix
        self._grid = matrix.grid()
        self._cells = {(cell.row, cell.column): cell for cell in matrix.cells}
        self._largest = matrix.maximum()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self._matrix is None else len(self._matrix.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self._matrix is None else len(self._matrix.columns)

    def axes(self, index: Index) -> tuple[Axis, Axis]:
        """(topic, column) of a cell."""
        return self._matrix.rows[index.row()], self._matrix.columns[index.column()]

    def describe(self, index: Index) -> str:
        """The cell in words: "Illicit financial flows · Group of …: 1 remark on 6 recommendations"."""
        topic, column = self.axes(index)
        cell = self._cells.get((topic.key, column.key))
        recommendations = cell.recommendations if cell else 0
        text = f"{topic.label} · {column.label}: "
        if self._matrix.value == "remarks":
            remarks = cell.remarks if cell else 0
            text += f"{_count(remarks, 'remarks')} on {_count(recommendations, 'recommendations')}"
        else:
            text += _count(recommendations, "recommendations")
        return text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self._matrix is None:
            return None
        number = self._grid[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(number)
        if role == ShareRole:
            return number / self._largest if self._largest else 0.0
        if role == KeyRole:
            return self.axes(index)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.describe(index) + (" — click to list them" if number else "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if self._matrix is None:
            return None
        axes = self._matrix.columns if orientation == Qt.Orientation.Horizontal else self._matrix.rows
        if not 0 <= section < len(axes):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _short(axes[section].label) if orientation == Qt.Orientation.Horizontal else axes[section].label
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return axes[section].label
        return None


def _count(number: int, unit: str) -> str:
    one, many = UNITS[unit]
    return f"{number} {one if number == 1 else many}"


def _short(label: str) -> str:
    """Column headers stay narrow: "Group of Western European and other States" -> "Western European and other"."""
    short = label.removeprefix("Group of ").removesuffix(" States")
    return short if len(short) <= 28 else short[:27] + "…"
