"""Drag and drop feedback: a compact drag image, the drop target highlighted, a notice with Undo after the drop.

* `drag_pixmap("2 recommendations")`: a small rounded label instead of Qt's picture of the dragged
  rows (690 px wide, it covered the place to drop them).
* `DropTargetHighlighter` on an item view: the item under a drag is drawn framed in the accent colour
  while the drag is over it, so the delegate sees where the recommendations will go.
* `DropNotice`: "Added 2 recommendations to Briefing  [Undo]" in the status bar after a drop.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
)

from desktop.theme import colours

NOTICE_MS = 10000


def drag_pixmap(text: str, widget: QWidget) -> QPixmap:
    """A compact label for a drag: the accent colour, the label's text, at the widget's pixel ratio."""
    font = widget.font()
    metrics = QFontMetrics(font)
    width, height = metrics.horizontalAdvance(text) + 24, metrics.height() + 12
    ratio = widget.devicePixelRatioF()
    pixmap = QPixmap(round(width * ratio), round(height * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = colours()
    painter.setBrush(QColor(c.accent))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(0, 0, width, height), height / 2, height / 2)
    painter.setPen(QColor(c.on_accent))
    painter.setFont(font)
    painter.drawText(QRect(0, 0, width, height), int(Qt.AlignmentFlag.AlignCenter), text)
    painter.end()
    return pixmap


class _DropFrame(QWidget):
    """A frame over the row under a drag, drawn on top of the view's viewport (no delegate per cell:
    the cells keep Qt's own painting, which a repaint of the table depends on for its speed)."""

    def __init__(self, highlighter: DropTargetHighlighter) -> None:
        super().__init__(highlighter.view.viewport())
        self._highlighter = highlighter
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def paintEvent(self, _event) -> None:
        target, view = self._highlighter.target, self._highlighter.view
        if not target.isValid():
            return
        rect = view.visualRect(QModelIndex(target))
        rect = QRect(0, rect.top(), self.width(), rect.height())  # the whole row
        painter = QPainter(self)
        painter.setPen(QPen(QColor(colours().accent), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.end()


class DropTargetHighlighter(QObject):
    """Frames the row under a drag in ``view`` (the whole row, while the drag is over it)."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view
        self.target = QPersistentModelIndex()
        self.frame = _DropFrame(self)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.DragMove:
            index = self.view.indexAt(event.position().toPoint())
            target = QPersistentModelIndex(index) if index.isValid() else QPersistentModelIndex()
            if target != self.target:
                self.target = target
                self._show()
        elif kind in (QEvent.Type.DragLeave, QEvent.Type.Drop):
            self.target = QPersistentModelIndex()
            self._show()
        return False

    def _show(self) -> None:
        self.frame.setGeometry(self.view.viewport().rect())
        self.frame.setVisible(self.target.isValid())
        self.frame.raise_()
        self.frame.update()


class DropNotice(QWidget):
    """ "Added 2 recommendations to Briefing  [Undo]" in the status bar, for a few seconds after a drop."""

    def __init__(self, undo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropNotice")
        self.label = QLabel(self)
        self.label.setObjectName("dropNoticeText")
        self.undo_button = QToolButton(self)
        self.undo_button.setObjectName("dropNoticeUndo")
        self.undo_button.setText("Undo")
        self.undo_button.setAccessibleName("Undo the drop")
        self.undo_button.clicked.connect(lambda: (undo(), self.hide()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.undo_button)
        self._timer = QTimer(self, singleShot=True, interval=NOTICE_MS)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleName(text)
        self.show()
        self._timer.start()
