"""RecommendationTableModel: the filtered, sorted recommendations as a lazy table over ids.

The model holds only the ordered ids of the current filter (one SQL query,
`LibraryGateway.filtered_ids`) and fetches rows in pages by id when a view asks
for data it has not seen. Filtering and sorting happen in SQL; a new filter
resets the model, a new sort order is a layout change that keeps selections.
Callers must catch `QuerySyntaxError` from `set_filter` (the model is then left
as it was).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, Qt

from desktop.gateway import LibraryGateway
from desktop.itemmodels.columns import RECOMMENDATION_COLUMNS, Column
from desktop.itemmodels.mime import MIME_TYPES, payload_of, recommendations_mime
from desktop.itemmodels.roles import IdRole, KeyRole, RowRole, TopicsRole
from models.annotations import drops
from models.db.fulltext import QuerySyntaxError
from models.queries.corpus import RecommendationRow
from models.queries.filters import RecommendationFilter

PAGE_SIZE = 50  # about two screens of rows: one page query fills a view

_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemNeverHasChildren
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemIsDropEnabled
)
_DISPLAY, _TOOLTIP = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT, _ACCESSIBLE = int(Qt.ItemDataRole.TextAlignmentRole), int(Qt.ItemDataRole.AccessibleTextRole)
# A view asks each cell for about ten roles at every paint; those the model does not answer return at once.
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, _ACCESSIBLE, IdRole, TopicsRole, RowRole, KeyRole})


class RecommendationTableModel(QAbstractTableModel):
    def __init__(self, gateway: LibraryGateway, columns: tuple[Column, ...] = RECOMMENDATION_COLUMNS, parent=None) -> None:
        super().__init__(parent)
        self._gateway = gateway
        self.columns = columns
        self._ids: list[int] = []
        self._rows: dict[int, RecommendationRow] = {}
        self._cells: dict[int, tuple[object, ...]] = {}  # each fetched row's displayed values, by column
        self._alignments = tuple(int(column.alignment) for column in columns)
        self._filter = RecommendationFilter()
        self._sort_key = "number"
        self._descending = False
        self._loaded = False
        self.annotations = None  # AnnotationOps: performs drops of paragraphs and remarks (curated links)

    # ------------------------------------------------------------------ contents

    @property
    def current_filter(self) -> RecommendationFilter:
        return self._filter

    def ids(self) -> list[int]:
        return list(self._ids)

    def set_filter(self, f: RecommendationFilter) -> None:
        """Show the recommendations matching ``f`` (raises QuerySyntaxError, leaving the model unchanged)."""
        self.show_ids(f, self._gateway.filtered_ids(f, self._sort_key, self._descending))

    def show_ids(self, f: RecommendationFilter, ids: list[int]) -> None:
        """Show ``ids``, the result of ``f`` in the current sort order (queried elsewhere, e.g. on a worker)."""
        if self._loaded and f == self._filter and ids == self._ids:
            return
        if self._loaded and f == self._filter and len(ids) > len(self._ids) and ids[: len(self._ids)] == self._ids:
            # The rest of a list whose first rows are shown: append, keeping selection and scrolling.
            self.beginInsertRows(QModelIndex(), len(self._ids), len(ids) - 1)
            self._ids = ids
            self.endInsertRows()
            return
        self.beginResetModel()
        self._filter, self._ids, self._loaded = f, ids, True
        self.endResetModel()

    @property
    def loaded(self) -> bool:
        return self._loaded

    def refresh_rows(self) -> None:
        """Forget fetched rows (after a change to what they show) and repaint every cell."""
        self._rows.clear()
        self._cells.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1))

    def refresh_keys(self, keys: Iterable[Sequence[str]]) -> None:
        """Re-fetch the rows of these recommendations (their annotations changed) and repaint only them."""
        wanted = {tuple(key) for key in keys}
        rows = [r for r, rid in enumerate(self._ids) if rid in self._rows and tuple(self._rows[rid].key) in wanted]
        for row in rows:
            del self._rows[self._ids[row]]
            del self._cells[self._ids[row]]
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, recommendation_id: int) -> int | None:
        try:
            return self._ids.index(recommendation_id)
        except ValueError:
            return None

    def row_data(self, row: int) -> RecommendationRow | None:
        if not 0 <= row < len(self._ids):
            return None
        rid = self._ids[row]
        if rid not in self._rows:
            start = row - row % PAGE_SIZE
            page = [i for i in self._ids[start : start + PAGE_SIZE] if i not in self._rows]
            fetched = self._gateway.recommendation_rows(page)
            self._rows.update(fetched)
            self._cells.update((i, tuple(column.display(r) for column in self.columns)) for i, r in fetched.items())
        return self._rows.get(rid)

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role not in _ROLES or not index.isValid():
            return None
        number, column_number = index.row(), index.column()
        if not 0 <= column_number < len(self.columns):
            return None
        if role == _ALIGNMENT:
            return self._alignments[column_number]
        if role == IdRole:
            return self._ids[number] if 0 <= number < len(self._ids) else None
        row = self.row_data(number)
        if row is None:
            return None
        if role == _DISPLAY:
            return self._cells[row.id][column_number]
        column = self.columns[column_number]
        if role == _TOOLTIP:
            return column.tooltip(row) if column.tooltip else None
        if role == _ACCESSIBLE:
            return f"{column.header}: {self._cells[row.id][column_number]}"
        if role == TopicsRole:
            return row.topics
        if role == RowRole:
            return row
        if role == KeyRole:
            return row.key
        return None

    # ------------------------------------------------------------------ drag and drop

    def mimeTypes(self) -> list[str]:
        return list(MIME_TYPES)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.LinkAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData | None:
        """The dragged rows (in table order) as keys, an HTML table and tab-separated text."""
        rows = [r for r in (self.row_data(n) for n in sorted({i.row() for i in indexes if i.isValid()})) if r]
        if not rows:
            return None
        return recommendations_mime(drops.DropPayload(drops.RECOMMENDATIONS, keys=tuple(r.key for r in rows)), rows)

    def _drop_target(self, data: QMimeData, row: int, parent: QModelIndex):
        payload = payload_of(data)
        target = self.row_data(parent.row() if parent.isValid() else row)
        if payload is None or target is None or self.annotations is None:
            return None
        same_document = payload.document_key in (None, target.document_key)
        if not drops.can_drop(payload.kind, drops.ON_RECOMMENDATION, same_document=same_document):
            return None
        return payload, target

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: QModelIndex) -> bool:
        return self._drop_target(data, row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: QModelIndex) -> bool:
        """A paragraph or remark dropped on a row: a curated link to that recommendation."""
        found = self._drop_target(data, row, parent) if action != Qt.DropAction.IgnoreAction else None
        if found is None:
            return False
        payload, target = found
        return self.annotations.drop(payload, drops.ON_RECOMMENDATION, key=target.key)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].header_tooltip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self.columns[section].alignment)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or self.columns[column].sort_key is None:
            return
        key, descending = self.columns[column].sort_key, order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort_key, self._descending) and self._loaded:
            return
        before = self._sort_key, self._descending
        self._sort_key, self._descending = key, descending
        if not self._loaded:
            return
        try:
            ids = self._gateway.filtered_ids(self._filter, key, descending)
        except QuerySyntaxError:  # stopped at the time limit: the rows keep their order
            self._sort_key, self._descending = before
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids_before = [self._ids[index.row()] for index in persistent]
        self._ids = ids
        positions = {rid: row for row, rid in enumerate(self._ids)}
        self.changePersistentIndexList(
            persistent, [self.index(positions[rid], index.column()) for rid, index in zip(ids_before, persistent)]
        )
        self.layoutChanged.emit()

    @property
    def sort_key(self) -> tuple[str, bool]:
        return self._sort_key, self._descending
