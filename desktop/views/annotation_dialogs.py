"""Keyboard paths for every drag: pick a collection, a tag, or a paragraph/remark to link.

`choose` shows a filterable list and returns the chosen option's value, or, when
``allow_new`` is set and the typed text matches nothing, ("new", text). The
main window calls these through the module (tests replace `choose`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from models.annotations import PATH_SEPARATOR, drops
from models.queries.remarks import ReportView

NEW = "new"


class ChooserDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, title: str, prompt: str, options: Sequence[tuple[str, object]], allow_new: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("chooserDialog")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(520, 420)
        self.allow_new = allow_new
        self.filter = QLineEdit(self)
        self.filter.setObjectName("chooserFilter")
        self.filter.setAccessibleName("Type to filter" + (f", or to name a new {allow_new}" if allow_new else ""))
        self.filter.setPlaceholderText("Type to filter" + (f" or to name a new {allow_new}" if allow_new else ""))
        self.list = QListWidget(self)
        self.list.setObjectName("chooserList")
        self.list.setAccessibleName(prompt)
        for label, value in options:
            item = QListWidgetItem(label, self.list)
            item.setData(Qt.ItemDataRole.UserRole, value)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self.accept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt, self))
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _filter(self, text: str) -> None:
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = text.casefold() not in item.text().casefold()
            item.setHidden(hidden)
            if not hidden and first is None:
                first = row
        if first is not None:
            self.list.setCurrentRow(first)
        else:
            self.list.setCurrentRow(-1)

    def value(self) -> object:
        item = self.list.currentItem()
        if item is not None and not item.isHidden():
            return item.data(Qt.ItemDataRole.UserRole)
        text = self.filter.text().strip()
        return (NEW, text) if self.allow_new and text else None


def choose(
    parent: QWidget | None, title: str, prompt: str, options: Sequence[tuple[str, object]], allow_new: str | None = None
) -> object:
    dialog = ChooserDialog(parent, title, prompt, options, allow_new)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def tree_options(nodes: Sequence, leave_out: int | None = None, prefix: str = "") -> list[tuple[str, int]]:
    """(path, id) of every collection or tag of ``nodes``, depth first ("Firearms / Marking"); the
    node ``leave_out`` and what it holds are left out (where a node may not be moved into itself)."""
    found = []
    for node in nodes:
        if node.id == leave_out:
            continue
        path = prefix + node.name
        found.append((path, node.id))
        found.extend(tree_options(node.children, leave_out, path + PATH_SEPARATOR))
    return found


def link_options(report: ReportView) -> list[tuple[str, drops.DropPayload]]:
    """Every paragraph of the report that has remarks, and each of them, as options for "Link to…"."""
    options = []
    for block in report.blocks:
        if block.kind != "paragraph" or not block.remarks:
            continue
        number = int(block.label)
        text = " ".join(block.text.split())
        options.append(
            (f"¶ {number} — {text[:90]}", drops.DropPayload(drops.PARAGRAPH, document_key=report.document_key, paragraph=number))
        )
        if len(block.remarks) > 1:
            for position, start, end in block.remarks:
                part = " ".join(block.text[start:end].split())
                options.append(
                    (
                        f"    ¶ {number}, remark {position + 1}: {part[:80]}",
                        drops.DropPayload(
                            drops.REMARK, document_key=report.document_key, paragraph=number, remark_position=position
                        ),
                    )
                )
    return options


KEEP_OPEN, COPY_AND_CLOSE, CLOSE_ANYWAY = "keep", "copy", "close"


def confirm_losing_notes(parent: QWidget | None, unsaved: dict) -> str:
    """The window is closing with notes the library could not take: keep it open (the default),
    copy the notes to the clipboard and close, or close without them. Returns one of the three."""
    numbers = ", ".join(key.number for key in unsaved)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Notes not saved",
        f"Your note{'s' if len(unsaved) > 1 else ''} on recommendation{'s' if len(unsaved) > 1 else ''} {numbers} "
        "could not be saved: the library cannot be written to right now.",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setObjectName("unsavedNotes")
    box.setInformativeText("Keep the window open and the notes are saved as soon as the library can be written to again.")
    keep = box.addButton("Keep Open", QMessageBox.ButtonRole.RejectRole)
    copy = box.addButton("Copy Notes and Close", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Close Without Saving", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    clicked = box.clickedButton()
    if clicked is keep or clicked is None:
        return KEEP_OPEN
    if clicked is copy:
        QApplication.clipboard().setText("\n\n".join(f"Recommendation {key.number}: {text}" for key, text in unsaved.items()))
        return COPY_AND_CLOSE
    return CLOSE_ANYWAY
