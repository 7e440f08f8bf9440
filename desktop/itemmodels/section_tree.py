"""SectionTreeModel: documents > chapters > sections > recommendations and paragraphs.

Built from `SectionNode` rows; read-only. A document's chapters and below may be
left out at first and fetched when the document is expanded (`load_children`),
so that a library of a thousand reports opens at once. Column 0 is the title, column 1 the count of recommendations and paragraphs
below a node. `IdRole` and `KindRole` say what a node stands for; views never
parse labels.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.itemmodels.roles import CountRole, IdRole, KindRole
from desktop.theme import colours, icon
from models.queries.corpus import SectionNode

_ICONS = {
    "doc": "document",
    "chapter": "section",
    "section": "section",
    "recommendation": "recommendation",
    "paragraph": "paragraph",
}


LoadChildren = Callable[[int], list[SectionNode]]  # document id -> its chapters, sections and leaves


class SectionTreeModel(QAbstractItemModel):
    def __init__(self, nodes: list[SectionNode], parent=None, load_children: LoadChildren | None = None) -> None:
        super().__init__(parent)
        self._load_children = load_children
        self._nodes: list[SectionNode] = []
        self._parent: list[int] = []  # node index -> parent node index (-1: top level)
        self._row: list[int] = []  # node index -> row under its parent
        self._children: dict[int, list[int]] = {-1: []}
        self._by_key: dict[tuple, int] = {}
        self._unloaded: set[int] = set()  # document nodes whose children are not fetched yet
        self.set_nodes(nodes)

    def set_nodes(self, nodes: list[SectionNode]) -> None:
        self.beginResetModel()
        self._nodes, self._parent, self._row, self._children, self._by_key = [], [], [], {-1: []}, {}
        for node in nodes:
            self._add(node)
        self._unloaded = {
            number
            for number, node in enumerate(self._nodes)
            if node.kind == "doc" and node.count and not self._children.get(number) and self._load_children
        }
        self.endResetModel()

    def _add(self, node: SectionNode) -> None:
        number = len(self._nodes)
        parent = self._by_key.get(node.parent, -1) if node.parent else -1
        siblings = self._children.setdefault(parent, [])
        self._nodes.append(node)
        self._parent.append(parent)
        self._row.append(len(siblings))
        siblings.append(number)
        self._by_key[node.key] = number

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:
        if parent.isValid() and parent.internalId() in self._unloaded:
            return True
        return super().hasChildren(parent)

    def canFetchMore(self, parent: QModelIndex) -> bool:
        return parent.isValid() and parent.internalId() in self._unloaded

    def fetchMore(self, parent: QModelIndex) -> None:
        number = parent.internalId() if parent.isValid() else -1
        if number not in self._unloaded or self._load_children is None:
            return
        self._unloaded.discard(number)
        nodes = self._load_children(self._nodes[number].ref)
        tops = [node for node in nodes if node.parent == self._nodes[number].key]
        if not tops:
            return
        self.beginInsertRows(parent, 0, len(tops) - 1)
        for node in nodes:
            self._add(node)
        self.endInsertRows()

    def node(self, index: QModelIndex) -> SectionNode | None:
        return self._nodes[index.internalId()] if index.isValid() else None

    def index_of(self, key: tuple, column: int = 0) -> QModelIndex:
        number = self._by_key.get(key)
        if number is None:
            return QModelIndex()
        return self.createIndex(self._row[number], column, number)

    # ------------------------------------------------------------------ Qt model

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if column not in (0, 1) or (parent.isValid() and parent.column() != 0):
            return QModelIndex()
        children = self._children.get(parent.internalId() if parent.isValid() else -1, [])
        if not 0 <= row < len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:
        if not index.isValid():
            return QModelIndex()
        parent = self._parent[index.internalId()]
        if parent < 0:
            return QModelIndex()
        return self.createIndex(self._row[parent], 0, parent)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(parent.internalId() if parent.isValid() else -1, []))

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 2

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self._children.get(index.internalId()):
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return node.title
            return str(node.count) if node.kind in ("doc", "chapter", "section") else None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole) and index.column() == 0:
            if node.kind in ("doc", "chapter", "section"):
                return f"{node.title} — {node.count} recommendations and paragraphs"
            return node.title
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return icon(_ICONS[node.kind])
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QColor(colours().muted)
        if role == IdRole:
            return node.ref
        if role == KindRole:
            return node.kind
        if role == CountRole:
            return node.count
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section in (0, 1):
            return ("Contents", "Items")[section]
        return None
