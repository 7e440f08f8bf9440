"""AnnotationTreeModel: the delegate's collections (ordered, nested) and tags (nested), with counts.

Two top-level nodes, "Collections" and "Tags", hold the `CollectionNode` and
`TagNode` trees of `models.annotations`. Column 0 is the name (editable inline:
renaming is an undoable action), column 1 the number of recommendations.

The model owns drag and drop: a collection or tag drags as a `DropPayload`;
recommendations (from the table, the section tree or a collection) drop onto a
collection (added) or a tag (tagged); a collection drops onto another (nested),
between siblings (moved there) or on "Collections" (top level); tags likewise.
Which drop does what is decided by `models.annotations.drops`; the model only
says where the drop landed and hands it to `AnnotationOps`.

`set_trees` refreshes: counts and names only emit `dataChanged`; a new shape
(created, deleted, moved) resets the model (views restore expansion by id).

When more than one person has written the library's annotations (a shared
library), each collection and tag also says who last changed it and when
(`ChangedRole`, "Ana, 2 Dec", painted muted after the name; the tooltip gives
the time); a private library's sidebar stays as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from desktop.annotation_ops import AnnotationOps
from desktop.itemmodels.mime import MIME_TYPES, payload_mime, payload_of
from desktop.itemmodels.roles import ChangedRole, CountRole, IdRole, KindRole
from desktop.theme import colours, icon
from models.annotations import CollectionNode, TagNode, drops

COLLECTIONS_ROOT = "collections_root"
TAGS_ROOT = "tags_root"
COLLECTION = "collection"
TAG = "tag"


@dataclass
class _Node:
    kind: str
    id: int | None
    name: str
    count: int = 0
    parent: int = -1  # node number of the parent (-1: top level)
    row: int = 0
    children: list[int] = field(default_factory=list)
    is_briefing: bool = False
    author: str = ""
    updated: str = ""  # UTC ISO 8601 ("2026-12-02T10:15:30Z")

    def changed(self, long: bool = False) -> str:
        """Who last changed it and when: "Ana, 2 Dec" (``long``: "Ana, 2 Dec 2026 10:15 UTC")."""
        try:
            stamp = datetime.fromisoformat(self.updated)
        except ValueError:
            return self.author
        when = f"{stamp.day} {stamp:%b}" + (f" {stamp:%Y %H:%M} UTC" if long else "")
        return f"{self.author}, {when}" if self.author else when


class AnnotationTreeModel(QAbstractItemModel):
    def __init__(self, ops: AnnotationOps, parent=None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._nodes: list[_Node] = []
        self._top: list[int] = []
        self._by_ref: dict[tuple[str, int | None], int] = {}
        self.show_authors = False  # more than one person wrote the library's annotations
        self.refresh()

    # ------------------------------------------------------------------ contents

    def refresh(self) -> None:
        show_authors = len(self._ops.gateway.authors()) > 1
        if show_authors != self.show_authors:
            self.beginResetModel()
            self.show_authors = show_authors
            self.endResetModel()
        self.set_trees(*self._ops.read_trees())

    def set_trees(self, collections: Sequence[CollectionNode], tags: Sequence[TagNode]) -> None:
        nodes: list[_Node] = []

        def add(kind: str, item, parent: int, row: int) -> int:
            number = len(nodes)
            nodes.append(
                _Node(
                    kind,
                    item.id,
                    item.name,
                    item.count,
                    parent,
                    row,
                    is_briefing=getattr(item, "is_briefing", False),
                    author=item.author,
                    updated=item.updated,
                )
            )
            nodes[number].children = [add(kind, child, number, i) for i, child in enumerate(item.children)]
            return number

        for row, (kind, title, items) in enumerate(((COLLECTIONS_ROOT, "Collections", collections), (TAGS_ROOT, "Tags", tags))):
            root = len(nodes)
            nodes.append(_Node(kind, None, title, len(items), -1, row))
            child_kind = COLLECTION if kind == COLLECTIONS_ROOT else TAG
            nodes[root].children = [add(child_kind, item, root, i) for i, item in enumerate(items)]
        shape = [(n.kind, n.id, n.parent, tuple(n.children)) for n in nodes]
        if shape == [(n.kind, n.id, n.parent, tuple(n.children)) for n in self._nodes]:
            old, self._nodes = self._nodes, nodes
            for number, (before, after) in enumerate(zip(old, nodes, strict=True)):
                if (before.name, before.count, before.changed()) != (after.name, after.count, after.changed()):
                    self.dataChanged.emit(self.createIndex(after.row, 0, number), self.createIndex(after.row, 1, number))
            return
        self.beginResetModel()
        self._nodes = nodes
        self._top = [number for number, node in enumerate(nodes) if node.parent == -1]
        self._by_ref = {(node.kind, node.id): number for number, node in enumerate(nodes)}
        self.endResetModel()

    def index_of(self, kind: str, node_id: int | None, column: int = 0) -> QModelIndex:
        number = self._by_ref.get((kind, node_id))
        return QModelIndex() if number is None else self.createIndex(self._nodes[number].row, column, number)

    def _node(self, index: QModelIndex) -> _Node | None:
        return self._nodes[index.internalId()] if index.isValid() else None

    def _parents(self, kind: str) -> dict[int, int | None]:
        return {n.id: self._nodes[n.parent].id for n in self._nodes if n.kind == kind}

    # ------------------------------------------------------------------ Qt model

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if column not in (0, 1) or (parent.isValid() and parent.column() != 0):
            return QModelIndex()
        children = self._nodes[parent.internalId()].children if parent.isValid() else self._top
        if not 0 <= row < len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:
        node = self._node(index)
        if node is None or node.parent < 0:
            return QModelIndex()
        return self.createIndex(self._nodes[node.parent].row, 0, node.parent)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._top)
        return len(self._nodes[parent.internalId()].children) if parent.column() == 0 else 0

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 2

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        node = self._node(index)
        if node is None:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
        if node.kind in (COLLECTION, TAG):
            flags |= Qt.ItemFlag.ItemIsDragEnabled
            if index.column() == 0 and not node.is_briefing:
                flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        node = self._node(index)
        if node is None:
            return None
        root = node.kind in (COLLECTIONS_ROOT, TAGS_ROOT)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if index.column() == 0:
                return f"# {node.name}" if node.kind == TAG and role == Qt.ItemDataRole.DisplayRole else node.name
            return None if root else str(node.count)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole) and index.column() == 0:
            if root:
                return f"{node.name}: drop here to move to the top level"
            what = "recommendation" if node.count == 1 else "recommendations"
            tip = f"{node.kind.title()} {node.name} — {node.count} {what}"
            return f"{tip}\nLast changed by {node.changed(long=True)}" if self.show_authors and node.updated else tip
        if role == ChangedRole:
            return node.changed() if self.show_authors and not root and index.column() == 0 else ""
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0 and node.kind == COLLECTION:
            return icon("section")
        if role == Qt.ItemDataRole.FontRole and root and index.column() == 0:
            font = QFont()
            font.setWeight(QFont.Weight.DemiBold)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QColor(colours().muted)
        if role == IdRole:
            return node.id
        if role == KindRole:
            return node.kind
        if role == CountRole:
            return node.count
        return None

    def setData(self, index: QModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node = self._node(index)
        if node is None or role != Qt.ItemDataRole.EditRole or index.column() != 0 or node.id is None:
            return False
        name = str(value)
        rename = self._ops.rename_collection if node.kind == COLLECTION else self._ops.rename_tag
        done = rename(node.id, name)
        return done is not None and done.changed_anything

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section in (0, 1):
            return ("Annotations", "Items")[section]
        return None

    # ------------------------------------------------------------------ drag and drop

    def mimeTypes(self) -> list[str]:
        return list(MIME_TYPES)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction | Qt.DropAction.LinkAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData | None:
        for index in indexes:
            node = self._node(index)
            if node is not None and node.kind == COLLECTION:
                return payload_mime(drops.DropPayload(drops.COLLECTION, collection_id=node.id), node.name)
            if node is not None and node.kind == TAG:
                return payload_mime(drops.DropPayload(drops.TAG, tag_id=node.id), node.name)
        return None

    def _target(self, payload: drops.DropPayload, row: int, parent: QModelIndex) -> tuple[str, dict] | None:
        """Where a drop lands, as (target kind, AnnotationOps.drop keywords); None when refused."""
        node = self._node(parent)
        if node is None:
            return None
        between = row >= 0
        if node.kind == COLLECTIONS_ROOT:
            if payload.kind != drops.COLLECTION:
                return None
            return drops.ON_COLLECTIONS_ROOT, {"collection_id": None, "row": row if between else None}
        if node.kind == TAGS_ROOT:
            return (drops.ON_TAGS_ROOT, {"tag_id": None}) if payload.kind == drops.TAG else None
        if node.kind == COLLECTION:
            if payload.kind == drops.COLLECTION:
                if not drops.can_nest(payload.collection_id, node.id, self._parents(COLLECTION)):
                    return None
                return drops.ON_COLLECTION, {"collection_id": node.id, "row": row if between else None}
            return drops.ON_COLLECTION, {"collection_id": node.id}
        if payload.kind == drops.TAG and not drops.can_nest(payload.tag_id, node.id, self._parents(TAG)):
            return None
        return drops.ON_TAG, {"tag_id": node.id}

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: QModelIndex) -> bool:
        payload = payload_of(data)
        if payload is None:
            return False
        target = self._target(payload, row, parent)
        if target is None:
            return False
        kind, where = target
        same = payload.kind == drops.COLLECTION_ITEMS and payload.collection_id == where.get("collection_id")
        return drops.can_drop(payload.kind, kind, same_collection=same)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: QModelIndex) -> bool:
        if action == Qt.DropAction.IgnoreAction or not self.canDropMimeData(data, action, row, column, parent):
            return False
        payload = payload_of(data)
        kind, where = self._target(payload, row, parent)
        return self._ops.drop(payload, kind, **where)
