"""ChangedByDelegate: a collection's or tag's name, then who last changed it, muted ("· Ana, 2 Dec").

Paints `ChangedRole` after the item's own text, in the palette's muted colour (the
selection's text colour on a selected row); the suffix gives way first when the
column is narrow. Items without it are painted as usual.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.itemmodels.roles import ChangedRole
from desktop.theme import colours

MIN_SUFFIX = 24  # pixels: below this the suffix is left out rather than shown as "…"


class ChangedByDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        changed = index.data(ChangedRole)
        if not changed:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        name, item.text = item.text, ""
        widget = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, widget).adjusted(2, 0, -2, 0)
        metrics = item.fontMetrics
        suffix = f"  · {changed}"
        name_width = min(metrics.horizontalAdvance(name), rect.width())
        room = rect.width() - name_width
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        text = item.palette.color(item.palette.ColorRole.HighlightedText if selected else item.palette.ColorRole.Text)
        painter.save()
        painter.setFont(item.font)
        painter.setPen(text)
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.drawText(rect, align, metrics.elidedText(name, Qt.TextElideMode.ElideRight, rect.width()))
        if room >= MIN_SUFFIX:
            painter.setPen(text if selected else QColor(colours().muted))
            shown = metrics.elidedText(suffix, Qt.TextElideMode.ElideRight, room)
            painter.drawText(rect.adjusted(name_width, 0, 0, 0), align, shown)
        painter.restore()
