"""LinkKeys: a rich-text pane that is one Tab stop, whose links are walked with the arrow keys.

QTextBrowser makes Tab walk every link (21 stops in the details, 116 in the reader). With this
mixin Tab and Shift+Tab leave the pane; Down and Up move to the next and previous link (Enter
follows it); Page Up/Down and Home/End still scroll.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTextBrowser, QWidget


class LinkKeys:
    """Mix in before QTextBrowser: ``class DetailPane(LinkKeys, QTextBrowser)``."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)  # leave the pane: no stop per link

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() == Qt.KeyboardModifier.NoModifier and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            if QTextBrowser.focusNextPrevChild(self, event.key() == Qt.Key.Key_Down):  # the next link, if any
                event.accept()
                return
        super().keyPressEvent(event)
