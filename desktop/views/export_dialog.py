"""ExportDialog: what to export (scope), how (format, grouping, rows) and where, as an `ExportChoice`.

The dialog only asks; `desktop.views.export_flow` gathers and writes the
briefing off the GUI thread. Counts and collections come from the caller, so
the dialog never reads the library.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.annotations import CollectionNode
from models.briefing.output import BriefingOptions

SCOPES = ("selection", "filter", "collection")
FORMAT_LABELS = {"docx": "Word document (.docx)", "csv": "CSV spreadsheet (.csv)"}
GROUPING_LABELS = {"section": "By section", "topic": "By topic", "none": "As listed"}
PER_LABELS = {"recommendation": "One row per recommendation", "link": "One row per link to a remark"}
FILE_FILTERS = {"docx": "Word documents (*.docx)", "csv": "CSV files (*.csv)"}
EMPTY_SELECTION = "Nothing to export: the selection is empty."
PATH_ROLE = Qt.ItemDataRole.UserRole + 1  # a collection item's path


@dataclass(frozen=True)
class ExportChoice:
    format: str  # "docx" or "csv"
    scope: str  # one of SCOPES
    collection_id: int | None
    grouping: str  # "section", "topic", "none"
    options: BriefingOptions
    per: str  # CSV rows: "recommendation" or "link"
    destination: Path


def flatten(nodes: Iterable[CollectionNode], prefix: str = "") -> list[tuple[int, str, int]]:
    """(id, "Parent / Child", count) for every collection, depth first."""
    out = []
    for node in nodes:
        path = f"{prefix}{node.name}"
        out.append((node.id, path, node.count))
        out += flatten(node.children, path + " / ")
    return out


def file_stem(text: str) -> str:
    """A file name from free text: no characters file systems refuse, at most 60 characters."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", text)
    return " ".join(stem.split())[:60].strip(" .") or "Briefing"


def _briefing_stem(name: str) -> str:
    """ "Briefing - Marking", but a collection already called a briefing keeps its own name ("Briefing")."""
    return file_stem(name if "briefing" in name.casefold() else f"Briefing - {name}")


class ExportDialog(QDialog):
    def __init__(
        self,
        *,
        selection_count: int,
        filter_count: int,
        filter_label: str,
        collections: tuple[CollectionNode, ...],
        scope: str = "selection",
        collection_id: int | None = None,
        folder: Path,
        previous: ExportChoice | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setAccessibleName("Export a briefing")
        self.setWindowTitle("Export")
        self._counts = {"selection": selection_count, "filter": filter_count}
        self._filter_label = filter_label
        self._collections = flatten(collections)
        self._folder = folder
        self._auto_destination = True

        self.format = self._combo("exportFormat", "Format", FORMAT_LABELS)
        self.scope = QComboBox(self)
        self.scope.setObjectName("exportScope")
        self.scope.setAccessibleName("What to export")
        self.scope.addItem(f"Current selection ({selection_count})", "selection")
        self.scope.addItem(f"The filtered table ({filter_count})", "filter")
        self.scope.addItem("A collection", "collection")
        self.collection = QComboBox(self)
        self.collection.setObjectName("exportCollection")
        self.collection.setAccessibleName("Collection to export")
        for cid, path, count in self._collections:
            self.collection.addItem(f"{path} ({count})", cid)
            self.collection.setItemData(self.collection.count() - 1, path, PATH_ROLE)
        self.grouping = self._combo("exportGrouping", "Grouping", GROUPING_LABELS)
        self.include_remarks = self._check("includeRemarks", "Remarks behind each recommendation")
        self.include_annotations = self._check("includeAnnotations", "Notes, positions and priorities")
        self.include_subitems = self._check("includeSubitems", "Sub-items")
        self.at_a_glance = self._check("atAGlance", "At a glance: topics by group, State, section, year (Word)")
        self.at_a_glance.setChecked(False)
        self.per = self._combo("csvRows", "CSV rows", PER_LABELS)
        self.destination = QLineEdit(self)
        self.destination.setObjectName("exportDestination")
        self.destination.setAccessibleName("File to write")
        self.destination.textEdited.connect(self._destination_edited)
        self.destination.textChanged.connect(self._show_folder)
        self.destination.setMinimumWidth(self.fontMetrics().horizontalAdvance("x" * 56))
        self.folder = QLabel(self)
        self.folder.setObjectName("exportFolder")
        self.folder.setAccessibleName("Folder the file is written to")
        self.folder.setWordWrap(True)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        browse = QPushButton("Choose…", self)
        browse.setObjectName("exportBrowse")
        browse.setAccessibleName("Choose the file to write")
        browse.clicked.connect(self.choose_destination)
        self.message = QLabel(self)
        self.message.setObjectName("exportMessage")
        self.message.setAccessibleName("Export message")
        self.message.setWordWrap(True)
        self.message.setProperty("role", "error")

        include = QVBoxLayout()
        for box in (self.include_remarks, self.include_annotations, self.include_subitems, self.at_a_glance):
            include.addWidget(box)
        where = QVBoxLayout()
        line = QHBoxLayout()
        line.addWidget(self.destination, 1)
        line.addWidget(browse)
        where.addLayout(line)
        where.addWidget(self.folder)
        form = QFormLayout()
        # labels with their buddies: the mnemonic is underlined, never shown as a literal "&"
        for text, field, row in (
            ("&Format:", self.format, self.format),
            ("&Export:", self.scope, self.scope),
            ("C&ollection:", self.collection, self.collection),
            ("&Grouping:", self.grouping, self.grouping),
            ("Include:", self.include_remarks, include),
            ("CSV &rows:", self.per, self.per),
            ("&Save to:", self.destination, where),
        ):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        if previous is not None:
            self._select(self.format, previous.format)
            self._select(self.grouping, previous.grouping)
            self._select(self.per, previous.per)
            self.include_remarks.setChecked(previous.options.remarks)
            self.include_annotations.setChecked(previous.options.annotations)
            self.include_subitems.setChecked(previous.options.subitems)
            self.at_a_glance.setChecked(previous.options.at_a_glance)
        self._select(self.scope, scope if scope in SCOPES else "selection")
        if collection_id is not None:
            self._select(self.collection, collection_id)
        for combo in (self.format, self.scope, self.collection):
            combo.currentIndexChanged.connect(self._update)
        self._update()

    # ------------------------------------------------------------------ building

    def _combo(self, name: str, accessible: str, labels: dict[str, str]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        for value, label in labels.items():
            combo.addItem(label, value)
        return combo

    def _check(self, name: str, text: str) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setObjectName(name)
        box.setAccessibleName(text)
        box.setChecked(True)
        return box

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    # ------------------------------------------------------------------ state

    def set_scope(self, scope: str, collection_id: int | None = None) -> None:
        self._select(self.scope, scope)
        if collection_id is not None:
            self._select(self.collection, collection_id)

    def _count(self) -> int:
        scope = self.scope.currentData()
        if scope == "collection":
            index = self.collection.currentIndex()
            return self._collections[index][2] if index >= 0 else 0
        return self._counts[scope]

    def collection_path(self) -> str:
        """The chosen collection's path ("Parent / Child"), from its item data (never its display text)."""
        return self.collection.currentData(PATH_ROLE) or ""

    def _default_stem(self) -> str:
        scope = self.scope.currentData()
        if scope == "selection":
            return "Briefing - selected recommendations"
        if scope == "filter":
            return file_stem(f"Briefing - {self._filter_label or 'all recommendations'}")
        return _briefing_stem(self.collection_path() or "collection")

    def _show_folder(self, text: str) -> None:
        folder = Path(text.strip()).expanduser().parent if text.strip() else None
        self.folder.setText(f"In {folder}" if folder is not None else "")
        self.destination.setToolTip(text)
        self.destination.setCursorPosition(0)  # the start of the path is shown; the folder below, whole

    def _update(self) -> None:
        fmt = self.format.currentData()
        scope = self.scope.currentData()
        self.collection.setEnabled(scope == "collection")
        self.per.setEnabled(fmt == "csv")
        self.grouping.setEnabled(fmt == "docx")
        self.at_a_glance.setEnabled(fmt == "docx")
        if self._auto_destination:
            self.destination.setText(str(self._folder / f"{self._default_stem()}.{fmt}"))
        else:
            current = Path(self.destination.text())
            if current.suffix.lower() in (".docx", ".csv") and current.suffix.lower() != f".{fmt}":
                self.destination.setText(str(current.with_suffix(f".{fmt}")))
        empty = {
            "selection": EMPTY_SELECTION,
            "filter": "Nothing to export: no recommendation matches the filters.",
            "collection": "Nothing to export: the collection is empty."
            if self._collections
            else "Nothing to export: there is no collection yet.",
        }
        message = empty[scope] if self._count() == 0 else ""
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.export_button.setEnabled(not message)

    def _destination_edited(self, _text: str) -> None:
        self._auto_destination = False

    def choose_destination(self) -> None:
        fmt = self.format.currentData()
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.destination.text(), FILE_FILTERS[fmt])
        if path:
            if not path.lower().endswith(f".{fmt}"):
                path += f".{fmt}"
            self._auto_destination = False
            self.destination.setText(path)

    def accept(self) -> None:
        if not self.export_button.isEnabled():
            return
        if not self.destination.text().strip():
            self.message.setText("Choose a file to write.")
            self.message.setVisible(True)
            return
        super().accept()

    def choice(self) -> ExportChoice:
        fmt = self.format.currentData()
        destination = Path(self.destination.text().strip()).expanduser()
        if destination.suffix.lower() != f".{fmt}":
            destination = destination.with_name(destination.name + f".{fmt}")
        return ExportChoice(
            format=fmt,
            scope=self.scope.currentData(),
            collection_id=self.collection.currentData() if self.scope.currentData() == "collection" else None,
            grouping=self.grouping.currentData(),
            options=BriefingOptions(
                remarks=self.include_remarks.isChecked(),
                annotations=self.include_annotations.isChecked(),
                subitems=self.include_subitems.isChecked(),
                at_a_glance=self.at_a_glance.isChecked() and fmt == "docx",
            ),
            per=self.per.currentData(),
            destination=destination,
        )
