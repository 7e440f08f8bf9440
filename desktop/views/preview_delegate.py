"""PreviewDelegate: a recommendation's text as a preview of a few lines, laid out once per text and width.

Qt's own delegate wraps and elides the whole text (up to 400 characters) at every paint; a fresh
screen of rows spent most of its repaint there. This delegate lays each text out once for a
column width, font and colour, draws it into a pixmap (`PixmapCellDelegate`, as the topic chips are), and
afterwards only copies it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPixmap, QTextLayout, QTextOption
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QWidget

from desktop.theme import colours
from desktop.views.pixmap_delegate import PixmapCellDelegate

PIXMAPS_KEPT = 256  # drawn previews kept (rows times widths and colours): a screen shows a dozen, about 80 KB each


def preview_lines(text: str, font: QFont, width: float, height: float) -> list[str]:
    """The lines of ``text`` that fit ``width`` x ``height`` in ``font``, the last one elided ("…") when
    text is left over: what Qt's own delegate shows with word wrap and right elision."""
    metrics = QFontMetricsF(font)
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    lines: list[tuple[int, int]] = []
    used = 0.0
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        if lines and used + metrics.lineSpacing() > height:
            break
        used += metrics.lineSpacing()
        lines.append((line.textStart(), line.textLength()))
    layout.endLayout()
    if not lines:
        return []
    shown = [text[start : start + length].rstrip() for start, length in lines]
    last_start = lines[-1][0]
    if last_start + lines[-1][1] < len(text):  # more text than lines: the last line ends in "…"
        shown[-1] = metrics.elidedText(text[last_start:], Qt.TextElideMode.ElideRight, width)
    return shown


class PreviewDelegate(PixmapCellDelegate):
    """Draws a cell's display text as wrapped lines, from a pixmap kept per (text, size, colour, font)."""

    pixmaps_kept = PIXMAPS_KEPT

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._margin: int | None = None

    def content(self, index: QModelIndex) -> str:
        return index.data() or ""

    def margin(self, style: QStyle, widget: QWidget | None) -> int:
        if self._margin is None:  # the text's inset, as Qt's own delegate draws it
            self._margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        return self._margin

    def look(self, option: QStyleOptionViewItem) -> str:
        return colours().on_selection if option.state & QStyle.StateFlag.State_Selected else colours().text

    def render(self, content: str, option: QStyleOptionViewItem, width: int, height: int, ratio: float) -> QPixmap:
        return _preview_pixmap(content, option.font, width, height, QColor(self.look(option)), ratio)


def _preview_pixmap(text: str, font: QFont, width: int, height: int, colour: QColor, ratio: float) -> QPixmap:
    """The preview's lines, centred vertically, on a transparent pixmap of the cell's text area."""
    pixmap = QPixmap(max(1, round(width * ratio)), max(1, round(height * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    lines = preview_lines(text, font, width, height)
    step = QFontMetricsF(font).lineSpacing()
    painter = QPainter(pixmap)
    painter.setFont(font)
    painter.setPen(colour)
    y = (height - step * len(lines)) / 2
    for line in lines:
        painter.drawText(QRectF(0, y, width, step), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)
        y += step
    painter.end()
    return pixmap
