"""CollectionItemsModel: the recommendations of one collection, in the collection's order.

A list (one row per item) the delegate reorders by dragging within it; it also
takes recommendations dropped between its rows (added there) and drags its
items to other collections, tags or other programs. Drops are decided by
`models.annotations.drops` and performed by `AnnotationOps`; `set_collection`
and `refresh` re-read the items (reset only when the collection or its order changes).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractListModel, QMimeData, QModelIndex, Qt

from desktop.annotation_ops import AnnotationOps
from desktop.itemmodels.mime import MIME_TYPES, payload_mime, payload_of, table_html, table_tsv
from desktop.itemmodels.roles import KeyRole
from models.annotations import CollectionItem, drops


def _elide(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class CollectionItemsModel(QAbstractListModel):
    def __init__(self, ops: AnnotationOps, parent=None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.collection_id: int | None = None
        self._items: tuple[CollectionItem, ...] = ()

    def set_collection(self, collection_id: int | None) -> None:
        self.collection_id = collection_id
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        items = self._ops.gateway.collection_items(self.collection_id) if self.collection_id is not None else ()
        if not force and [i.key for i in items] == [i.key for i in self._items]:
            self._items = items
            if items:
                self.dataChanged.emit(self.index(0), self.index(len(items) - 1))
            return
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def keys(self) -> list:
        return [item.key for item in self._items]

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self.collection_id is not None else Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        text = item.text if item.text is not None else "(not in this library)"
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{item.key.number}.  {_elide(text)}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"Recommendation {item.key.number}: {text}"
        if role == KeyRole:
            return item.key
        return None

    # ------------------------------------------------------------------ drag and drop

    def mimeTypes(self) -> list[str]:
        return list(MIME_TYPES)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData | None:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        items = [self._items[row] for row in rows if row < len(self._items)]
        if not items or self.collection_id is None:
            return None
        payload = drops.DropPayload(drops.COLLECTION_ITEMS, keys=tuple(i.key for i in items), collection_id=self.collection_id)
        triples = [(i.key.number, i.text or "", "") for i in items]
        return payload_mime(payload, table_tsv(triples), table_html(triples))

    def _row(self, row: int, parent: QModelIndex) -> int | None:
        if parent.isValid():
            return parent.row()
        return row if row >= 0 else None

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: QModelIndex) -> bool:
        payload = payload_of(data)
        if payload is None or self.collection_id is None:
            return False
        same = payload.kind == drops.COLLECTION_ITEMS and payload.collection_id == self.collection_id
        return drops.can_drop(payload.kind, drops.IN_COLLECTION, same_collection=same)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: QModelIndex) -> bool:
        if action == Qt.DropAction.IgnoreAction or not self.canDropMimeData(data, action, row, column, parent):
            return False
        return self._ops.drop(payload_of(data), drops.IN_COLLECTION, collection_id=self.collection_id, row=self._row(row, parent))
