"""TopicChipDelegate: paints a cell's topics (`TopicsRole`) as small rounded labels."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.itemmodels.roles import TopicsRole
from desktop.theme import MUTED, topic_colours

PAD_X, PAD_Y, GAP = 6, 2, 4


def short_label(label: str) -> str:
    """Chips show the first part of a long topic label ("Marking, tracing and record-keeping" -> "Marking")."""
    for separator in (",", " and "):
        if separator in label and len(label) > 18:
            return label.split(separator)[0].strip()
    return label


class TopicChipDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        chips = index.data(TopicsRole) or ()
        background_option = QStyleOptionViewItem(option)
        self.initStyleOption(background_option, index)
        background_option.text = ""
        widget = background_option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background_option, painter, widget)
        if not chips:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(option.font)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.86))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        rect = option.rect.adjusted(4, 0, -4, 0)
        height = metrics.height() + 2 * PAD_Y
        x, y = float(rect.left()), rect.top() + (rect.height() - height) / 2
        for number, chip in enumerate(chips):
            text = short_label(chip.label)
            width = metrics.horizontalAdvance(text) + 2 * PAD_X
            if x + width > rect.right() and number > 0:
                painter.setPen(QColor(MUTED))
                painter.drawText(QRectF(x, y, max(0.0, rect.right() - x), height),
                                 int(Qt.AlignmentFlag.AlignVCenter), f"+{len(chips) - number}")
                break
            background, foreground = topic_colours(chip.position)
            chip_rect = QRectF(x, y, min(width, rect.right() - x), height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(background)
            painter.drawRoundedRect(chip_rect, height / 2, height / 2)
            painter.setPen(foreground)
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(chip_rect.width()) - 2 * PAD_X)
            painter.drawText(chip_rect, int(Qt.AlignmentFlag.AlignCenter), elided)
            x += width + GAP
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        metrics = QFontMetrics(option.font)
        return QSize(hint.width(), max(hint.height(), metrics.height() + 2 * PAD_Y + 6))
