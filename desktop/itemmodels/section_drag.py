"""SectionTreeModel whose recommendation nodes drag like table rows (onto collections, tags, other programs).

Kept apart from the read-only `SectionTreeModel`: this adapter adds only the
drag side (`flags`, `mimeTypes`, `mimeData`), fetching the dragged rows through
the gateway so that the payload is the same as the table's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QMimeData, QModelIndex, Qt

from desktop.itemmodels.mime import MIME_TYPES, recommendations_mime
from desktop.itemmodels.section_tree import LoadChildren, SectionTreeModel
from models.annotations import drops
from models.queries.corpus import RecommendationRow, SectionNode

RowsOf = Callable[[Sequence[int]], dict[int, RecommendationRow]]


class DraggableSectionTreeModel(SectionTreeModel):
    def __init__(self, nodes: list[SectionNode], rows_of: RowsOf, parent=None, load_children: LoadChildren | None = None) -> None:
        super().__init__(nodes, parent, load_children)
        self._rows_of = rows_of

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        node = self.node(index)
        if node is not None and node.kind == "recommendation":
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return list(MIME_TYPES)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData | None:
        ids = list(dict.fromkeys(n.ref for i in indexes if (n := self.node(i)) and n.kind == "recommendation"))
        if not ids:
            return None
        found = self._rows_of(ids)
        rows = [found[i] for i in ids if i in found]
        return recommendations_mime(drops.DropPayload(drops.RECOMMENDATIONS, keys=tuple(r.key for r in rows)), rows)
