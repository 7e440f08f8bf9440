"""AnnotationPanel: the delegate's marks on the recommendation shown in the details.

A position selector, a priority flag, a highlight button (colours the text
selected in the recommendation, via `highlightRequested`), where the
recommendation is filed, and the note editor (`noteEditor`). The note is saved
as the delegate types: 500 ms after the last keystroke, and at once when the
editor loses focus or another recommendation is shown; each save is one
transaction, and one typing burst is one "Edit note" undo step.

In a shared library each save names the note's version the editor showed: when
someone else changed the note meanwhile, nothing is saved, the typed text stays in
the editor, and a bar (`noteConflict`) shows the other person's text with "Keep
theirs" and "Replace with mine". Who last wrote the note and the position, and
when, is shown under the editor (`annotationAuthors`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.annotation_ops import AnnotationOps
from desktop.theme import USER_HIGHLIGHTS, colours
from desktop.views.html import escape
from models.annotations import POSITION_LABELS, POSITIONS, RecommendationAnnotations, RecommendationKey, StaleEditError

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
        self.note_version: int | None = None  # the version of the note the editor shows (0: none)
        self.position_version: int | None = None
        self._conflict: StaleEditError | None = None
        self.read_only_reason = ""  # set when the user's role may not annotate (shared library)

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
        self.authors = QLabel(self)
        self.authors.setObjectName("annotationAuthors")
        self.authors.setAccessibleName("Who last changed the note and the position")
        self.authors.setFixedHeight(self.authors.fontMetrics().height() + 2)  # its text never moves the table
        self.conflict = QFrame(self)
        self.conflict.setObjectName("noteConflict")
        self.conflict.setAccessibleName("Someone else changed this note")
        self.conflict.setFrameShape(QFrame.Shape.StyledPanel)
        self.conflict_text = QLabel(self.conflict)
        self.conflict_text.setObjectName("noteConflictText")
        self.conflict_text.setWordWrap(True)
        self.keep_theirs = QPushButton("Keep theirs", self.conflict)
        self.keep_theirs.setObjectName("keepTheirsButton")
        self.keep_theirs.setAccessibleName("Keep the other person's note and drop yours")
        self.keep_theirs.clicked.connect(self.keep_their_note)
        self.replace_theirs = QPushButton("Replace with mine", self.conflict)
        self.replace_theirs.setObjectName("replaceWithMineButton")
        self.replace_theirs.setAccessibleName("Replace the other person's note with yours")
        self.replace_theirs.clicked.connect(self.replace_their_note)
        bar = QHBoxLayout(self.conflict)
        bar.setContentsMargins(6, 3, 6, 3)
        bar.addWidget(self.conflict_text, 1)
        bar.addWidget(self.keep_theirs)
        bar.addWidget(self.replace_theirs)
        self.conflict.hide()
        ops.stale.connect(self._stale)

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
        layout.addWidget(self.conflict)
        layout.addWidget(self.note)
        layout.addWidget(self.authors)
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
            self._clear_conflict()
            self.note_version = self.position_version = None
        self.key = key
        self.setEnabled(key is not None and not self.read_only_reason)
        self.setVisible(key is not None)  # a speaker's or a State's page has no marks
        self.show_annotations(annotations)

    def show_annotations(self, annotations: RecommendationAnnotations | None) -> None:
        self._loading = True
        try:
            note = annotations.note if annotations else ""
            if not self._pending and self._conflict is None:
                if self.note.toPlainText() != note:
                    self._replace_note_text(note)
                self.note_version = annotations.note_version if annotations else None
            self.position_version = annotations.position_version if annotations else None
            self.position.setCurrentIndex(max(0, self.position.findData(annotations.position if annotations else None)))
            authors = self._authors_text(annotations)
            if authors != self.authors.text():  # a new text would lay the panel out (and the table) again
                self.authors.setText(authors)
            self.priority.setChecked(bool(annotations and annotations.priority))
            parts = []
            if annotations and annotations.collections:
                parts.append("In " + ", ".join(escape(c.path) for c in annotations.collections))
            if annotations and annotations.tags:
                parts.append("Tags: " + ", ".join(escape(t.path) for t in annotations.tags))
            self.filed.setText(f'<span style="color:{colours().muted};">{" · ".join(parts) or "Not in a collection"}</span>')
        finally:
            self._loading = False

    @staticmethod
    def _authors_text(annotations: RecommendationAnnotations | None) -> str:
        if annotations is None:
            return ""
        parts = []
        for what, author, updated in (
            ("Note", annotations.note_author, annotations.note_updated),
            ("Position", annotations.position_author, annotations.position_updated),
        ):
            if updated:
                when = updated.replace("T", " ")[:16]
                parts.append(f"{what} by {escape(author)}, {when} UTC" if author else f"{what}: {when} UTC")
        return f'<span style="color:{colours().muted};">{" · ".join(parts)}</span>' if parts else ""

    # ------------------------------------------------------------------ changes

    def _position_changed(self, _index: int) -> None:
        if not self._loading and self.key is not None:
            seen = None if self.position_version is None else [(self.key, self.position_version)]
            self.ops.set_position([self.key], self.position.currentData(), seen)

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
        if self.key is not None and self._conflict is None:
            done = self.ops.save_note(self.key, self.note.toPlainText(), self.note_version)
            if done is not None and done.versions:
                self.note_version = done.versions[0]
            elif done is None and self.ops.note_unsaved:
                self._pending = True  # kept in the editor; saved by the next keystroke or reconnection

    def _replace_note_text(self, note: str) -> None:
        """Show ``note`` (another recommendation's, or a colleague's newer one) where the caret stays
        where the delegate would type next: at the end if it was there, else where it was."""
        cursor = self.note.textCursor()
        at_end = cursor.atEnd()
        position = cursor.position()
        self.note.setPlainText(note)
        cursor = self.note.textCursor()
        if at_end:
            cursor.movePosition(QTextCursor.MoveOperation.End)
        else:
            cursor.setPosition(min(position, self.note.document().characterCount() - 1))
        self.note.setTextCursor(cursor)

    def unsaved_text(self) -> str | None:
        """The note in the editor, if it is not in the library: typed and not saved yet, or kept
        beside someone else's newer note (a conflict not settled); None when it is saved."""
        if self.key is None or not (self._pending or self._conflict is not None):
            return None
        return self.note.toPlainText()

    # ------------------------------------------------------------------ someone else changed the note

    def _stale(self, error: StaleEditError) -> None:
        if error.what == "position" and error.key == self.key:
            self.position_version = error.version
            self._loading = True
            self.position.setCurrentIndex(max(0, self.position.findData(error.current)))
            self._loading = False
            return
        if error.what != "note" or error.key != self.key:
            return
        self._conflict = error
        self._pending = True  # the typed text stays in the editor, unsaved
        theirs = error.current if error.current is not None else "(they removed the note)"
        self.conflict_text.setText(f"<b>{escape(str(error))}</b><br>Their note: {escape(theirs)}")
        self.conflict.show()

    def _clear_conflict(self) -> None:
        self._conflict = None
        self.conflict.hide()

    def keep_their_note(self) -> None:
        """Drop the typed text: the editor shows the other person's note."""
        error = self._conflict
        if error is None:
            return
        self._clear_conflict()
        self._pending = False
        self._loading = True
        self.note.setPlainText(error.current or "")
        self.note.moveCursor(QTextCursor.MoveOperation.End)
        self._loading = False
        self.note_version = error.version

    def replace_their_note(self) -> None:
        """Save the typed text over the other person's note, now that it has been seen."""
        error = self._conflict
        if error is None:
            return
        self._clear_conflict()
        self.note_version = error.version
        self._pending = True
        self.save_note()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note and event.type() == QEvent.Type.FocusOut:
            self.save_note()
            self.ops.end_note_burst()
        return super().eventFilter(watched, event)
