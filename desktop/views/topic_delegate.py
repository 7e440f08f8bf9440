"""TopicChipDelegate: paints a cell's topics (`TopicsRole`) as small rounded labels."""

from __future__ import annotations

import math

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QFontMetricsF, QPainter, QPixmap
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QWidget

from desktop.itemmodels.roles import TopicsRole
from desktop.theme import colours, topic_colours
from desktop.views.pixmap_delegate import PixmapCellDelegate

PAD_X, PAD_Y, GAP = 6, 2, 4
PIXMAPS_KEPT = 512  # rendered chip rows kept (topic combinations times column widths)


def short_label(label: str) -> str:
    """Chips show the first part of a long topic label ("Marking, tracing and record-keeping" -> "Marking")."""
    for separator in (",", " and "):
        if separator in label and len(label) > 18:
            return label.split(separator)[0].strip()
    return label


class TopicChipDelegate(PixmapCellDelegate):
    """Chips are drawn once per (topics, cell size, font) into a pixmap and then copied: a table
    shows the same few combinations of topics on every screen."""

    pixmaps_kept = PIXMAPS_KEPT

    def content(self, index: QModelIndex) -> tuple:
        return tuple(index.data(TopicsRole) or ())

    def margin(self, style: QStyle, widget: QWidget | None) -> int:
        return 4

    def look(self, option: QStyleOptionViewItem) -> bool:
        return colours().dark

    def render(self, content: tuple, option: QStyleOptionViewItem, width: int, height: int, ratio: float) -> QPixmap:
        return _chips_pixmap(content, width, height, option.font, ratio)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        metrics = QFontMetrics(option.font)
        return QSize(hint.width(), max(hint.height(), metrics.height() + 2 * PAD_Y + 6))


def _chips_pixmap(chips: tuple, width: int, height: int, cell_font: QFont, ratio: float) -> QPixmap:
    """The chips of one cell, left to right on a transparent pixmap; "+n" for those that do not fit."""
    pixmap = QPixmap(max(1, round(width * ratio)), max(1, round(height * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont(cell_font)
    font.setPointSizeF(max(8.5, font.pointSizeF() * 0.93))  # readable: about the cell's own size
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    chip_height = metrics.height() + 2 * PAD_Y
    x, y = 0.0, (height - chip_height) / 2
    for number, chip in enumerate(chips):
        text = short_label(chip.label)
        chip_width = math.ceil(metrics.horizontalAdvance(text)) + 2 * PAD_X + 1  # whole pixels: fits, never elided
        if x + chip_width > width and number > 0:
            painter.setPen(QColor(colours().muted))
            painter.drawText(
                QRectF(x, y, max(0.0, width - x), chip_height), int(Qt.AlignmentFlag.AlignVCenter), f"+{len(chips) - number}"
            )
            break
        background, foreground = topic_colours(chip.position)
        chip_rect = QRectF(x, y, min(chip_width, width - x), chip_height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(chip_rect, chip_height / 2, chip_height / 2)
        painter.setPen(foreground)
        elided = (
            text
            if chip_rect.width() >= chip_width
            else metrics.elidedText(text, Qt.TextElideMode.ElideRight, chip_rect.width() - 2 * PAD_X)
        )
        painter.drawText(chip_rect, int(Qt.AlignmentFlag.AlignCenter), elided)
        x += chip_width + GAP
    painter.end()
    return pixmap
