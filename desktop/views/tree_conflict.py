"""TreeConflictBar: a collection or tag edit that someone else's change made stale, shown in the sidebar.

When a rename, move, reorder or delete is refused because a colleague changed
the collection or tag since the sidebar showed it (`StaleEditError` from
`AnnotationOps.stale`), the bar names who changed it and its name and place now;
the sidebar already shows theirs. "Keep theirs" dismisses the bar; "Replace
with mine" makes the refused edit after all (`AnnotationOps.replace_theirs`, an
undo step of its own). An edit of a collection or tag someone deleted can only
be dismissed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.annotation_ops import AnnotationOps
from desktop.views.html import escape
from models.annotations import StaleEditError

NODE_KINDS = ("collection", "tag")


class TreeConflictBar(QFrame):
    def __init__(self, ops: AnnotationOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.error: StaleEditError | None = None
        self.setObjectName("collectionConflict")
        self.setAccessibleName("Someone else changed this collection or tag")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel(self)
        self.text.setObjectName("collectionConflictText")
        self.text.setWordWrap(True)
        self.keep = QPushButton("Keep theirs", self)
        self.keep.setObjectName("keepTheirCollectionButton")
        self.keep.setAccessibleName("Keep the other person's collection or tag as it is now")
        self.keep.clicked.connect(self.keep_theirs)
        self.replace = QPushButton("Replace with mine", self)
        self.replace.setObjectName("replaceTheirCollectionButton")
        self.replace.setAccessibleName("Make your change over the other person's")
        self.replace.clicked.connect(self.replace_theirs)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.keep)
        buttons.addWidget(self.replace)
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 3, 6, 3)
        column.setSpacing(3)
        column.addWidget(self.text)
        column.addLayout(buttons)
        self.hide()
        ops.stale.connect(self.show_refusal)

    def show_refusal(self, error: StaleEditError) -> None:
        if error.what not in NODE_KINDS or error.node_id is None:
            return
        self.error = error
        if error.current is None:
            self.text.setText(f"<b>{escape(str(error))}</b>")
            self.keep.setText("OK")
            self.replace.hide()
        else:
            self.text.setText(f"<b>{escape(str(error))}</b><br>Their {error.what}: “{escape(error.current)}”")
            self.keep.setText("Keep theirs")
            self.replace.show()
        self.show()

    def keep_theirs(self) -> None:
        self.error = None
        self.ops.forget_refusal()
        self.hide()

    def replace_theirs(self) -> None:
        self.error = None
        self.hide()
        self.ops.replace_theirs()
