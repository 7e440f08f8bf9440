"""Keyboard paths for every drag: pick a collection, a tag, or a paragraph/remark to link.

`choose` shows a filterable list and returns the chosen option's value, or, when
``allow_new`` is set and the typed text matches nothing, ("new", text). The
main window calls these through the module (tests replace `choose`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from models.annotations import drops
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
