"""AnnotationPanel: the delegate's marks on the recommendation shown in the details.

A position selector, a priority flag, a highlight button (colours the text
selected in the recommendation, via `highlightRequested`), where the
recommendation is filed, and the note editor (`noteEditor`). The note is saved
as the delegate types: 500 ms after the last keystroke, and at once when the
editor loses focus or another recommendation is shown; each save is one
transaction, and one typing burst is one "Edit note" undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QMenu, QPlainTextEdit, QSizePolicy,
                               QToolButton, QVBoxLayout, QWidget)

from desktop.annotation_ops import POSITION_LABELS, AnnotationOps
from desktop.theme import USER_HIGHLIGHTS, colours
from desktop.views.html import escape
from models.annotations import POSITIONS, RecommendationAnnotations, RecommendationKey

NOTE_DELAY_MS = 500
NOTE_MAX_LINES = 8
HIGHLIGHT_COLOURS = tuple((name, light) for name, light, _dark in USER_HIGHLIGHTS)  # (name, light value)


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class AnnotationPanel(QWidget):
    highlightRequested = Signal(str)  # colour name: highlight the selection in the recommendation text
    clearHighlightsRequested = Signal()

    def __init__(self, ops: AnnotationOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationPanel")
        self.ops = ops
        self.key: RecommendationKey | None = None
        self._loading = False
        self._pending = False  # typed text not saved yet

        self.position = QComboBox(self)
        self.position.setObjectName("positionSelector")
        self.position.setAccessibleName("Your delegation's position on this recommendation")
        self.position.addItem("No position", None)
        for value in POSITIONS:
            self.position.addItem(POSITION_LABELS[value], value)
        self.position.currentIndexChanged.connect(self._position_changed)
        self.priority = QCheckBox("★ Priority", self)
        self.priority.setObjectName("priorityFlag")
        self.priority.setAccessibleName("Priority for your delegation")
        self.priority.toggled.connect(self._priority_changed)
        self.highlight = QToolButton(self)
        self.highlight.setObjectName("highlightButton")
        self.highlight.setText("Highlight")
        self.highlight.setAccessibleName("Highlight the selected words of the recommendation")
        self.highlight.setToolTip("Select words in the recommendation text above, then pick a colour")
        self.highlight.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self.highlight)
        for name, _value in HIGHLIGHT_COLOURS:
            menu.addAction(_swatch(colours().user[name]), name.title(), lambda n=name: self.highlightRequested.emit(n))
        menu.addSeparator()
        menu.addAction("Remove highlights in the selection", self.clearHighlightsRequested.emit)
        self.highlight.setMenu(menu)
        self.highlight.clicked.connect(lambda: self.highlightRequested.emit(HIGHLIGHT_COLOURS[0][0]))
        self.filed = QLabel(self)
        self.filed.setObjectName("annotationMembership")
        self.filed.setWordWrap(True)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("noteEditor")
        self.note.setAccessibleName("Your note on this recommendation (saved as you type)")
        self.note.setPlaceholderText("Your note (saved as you type)")
        self.note.setTabChangesFocus(True)  # Tab leaves the note; the note never holds tab characters
        self.note.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.note.textChanged.connect(self._note_typed)
        self.note.textChanged.connect(self._fit_note)
        self.note.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit_note())
        self.note.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTE_DELAY_MS)
        self._timer.timeout.connect(self.save_note)

        self.filed.setWordWrap(False)
        self.filed.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.position)
        row.addWidget(self.priority)
        row.addWidget(self.highlight)
        row.addWidget(self.filed, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self._fit_note()
        self.set_recommendation(None, None)

    def _fit_note(self) -> None:
        """The note grows with its text, from one line up to NOTE_MAX_LINES, then scrolls."""
        line = self.note.fontMetrics().lineSpacing()
        lines = max(1, min(NOTE_MAX_LINES, round(self.note.document().size().height())))
        margins = self.note.contentsMargins()
        height = lines * line + 2 * round(self.note.document().documentMargin()) + margins.top() + margins.bottom() + 2
        if self.note.height() != height:
            self.note.setFixedHeight(height)

    def set_read_only(self) -> None:
        """The library cannot be written: the marks are shown, not edited."""
        for widget in (self.position, self.priority, self.highlight):
            widget.setEnabled(False)
        self.note.setReadOnly(True)
        self.note.setPlaceholderText("No note (this library is read-only)")

    # ------------------------------------------------------------------ showing

    def set_recommendation(self, key: RecommendationKey | None, annotations: RecommendationAnnotations | None) -> None:
        """Show another recommendation's marks (saving the note being typed first)."""
        if key != self.key:
            self.save_note()
            self.ops.end_note_burst()
        self.key = key
        self.setEnabled(key is not None)
        self.setVisible(key is not None)  # a speaker's or a State's page has no marks
        self.show_annotations(annotations)

    def show_annotations(self, annotations: RecommendationAnnotations | None) -> None:
        self._loading = True
        try:
            note = annotations.note if annotations else ""
            if self.note.toPlainText() != note and not self._pending:
                self.note.setPlainText(note)
            self.position.setCurrentIndex(max(0, self.position.findData(annotations.position if annotations else None)))
            self.priority.setChecked(bool(annotations and annotations.priority))
            parts = []
            if annotations and annotations.collections:
                parts.append("In " + ", ".join(escape(c.path) for c in annotations.collections))
            if annotations and annotations.tags:
                parts.append("Tags: " + ", ".join(escape(t.path) for t in annotations.tags))
            self.filed.setText(f'<span style="color:{colours().muted};">{" · ".join(parts) or "Not in a collection"}</span>')
        finally:
            self._loading = False

    # ------------------------------------------------------------------ changes

    def _position_changed(self, _index: int) -> None:
        if not self._loading and self.key is not None:
            self.ops.set_position([self.key], self.position.currentData())

    def _priority_changed(self, on: bool) -> None:
        if not self._loading and self.key is not None:
            self.ops.set_priority([self.key], on)

    def _note_typed(self) -> None:
        if not self._loading and self.key is not None:
            self._pending = True
            self._timer.start()

    def save_note(self) -> None:
        """Save the note now if typing left it unsaved (one transaction)."""
        self._timer.stop()
        if not self._pending:
            return
        self._pending = False
        if self.key is not None:
            self.ops.save_note(self.key, self.note.toPlainText())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.note and event.type() == QEvent.Type.FocusOut:
            self.save_note()
            self.ops.end_note_burst()
        return super().eventFilter(watched, event)
