"""PixmapCellDelegate: a cell drawn once into a pixmap per content, size, font and look, then copied.

A table shows the same few cells on every screen (topic combinations, a recommendation's preview):
laying them out at every paint was most of a repaint. Subclasses say what a cell holds
(`content`), its inset (`margin`), what else its drawing depends on (`look`, e.g. the text
colour) and how to draw it (`render`). The background (selection, alternate rows, focus) is
drawn by the style from the view's own option, so no role of the model is asked for it.
"""

from __future__ import annotations

from collections.abc import Hashable

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget


class PixmapCellDelegate(QStyledItemDelegate):
    pixmaps_kept = 256  # drawn cells kept; all are dropped when full (a screen needs a few dozen)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pixmaps: dict[tuple, QPixmap] = {}

    def content(self, index: QModelIndex) -> Hashable:
        """What the cell shows; empty: the background only."""
        raise NotImplementedError

    def margin(self, style: QStyle, widget: QWidget | None) -> int:
        """The inset of the drawing from the cell's left and right edges."""
        return 0

    def look(self, option: QStyleOptionViewItem) -> Hashable:
        """What else than content, size and font the drawing depends on (a colour, the palette)."""
        return None

    def render(self, content: Hashable, option: QStyleOptionViewItem, width: int, height: int, ratio: float) -> QPixmap:
        raise NotImplementedError

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        content = self.content(index)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, QStyleOptionViewItem(option), painter, widget)
        inset = self.margin(style, widget)
        rect = option.rect.adjusted(inset, 0, -inset, 0)
        if not content or rect.width() <= 0 or rect.height() <= 0:
            return
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        key = (content, rect.width(), rect.height(), option.font.key(), ratio, self.look(option))
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            if len(self._pixmaps) >= self.pixmaps_kept:
                self._pixmaps.clear()
            pixmap = self._pixmaps[key] = self.render(content, option, rect.width(), rect.height(), ratio)
        painter.drawPixmap(rect.topLeft(), pixmap)
