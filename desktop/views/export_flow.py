"""ExportFlow: from the export dialog (or Print / Save as PDF) to a written file, off the GUI thread.

The main window hands it what the delegate sees (the table's selection and
filter) through small callables; the flow asks the `LibraryGateway` for the
briefing on the `Worker` (its own session there), trims it to the chosen
options and writes it atomically, behind a progress dialog with Cancel. When
the file is written, the status bar offers to open it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QMessageBox, QToolButton, QWidget

from desktop.folders import last_folder, remember_folder
from desktop.gateway import LibraryGateway
from desktop.views.export_dialog import EMPTY_SELECTION, ExportChoice, ExportDialog
from desktop.views.progress import run_with_progress
from desktop.worker import Worker
from models.briefing.contents import Briefing, EmptyBriefingError, ExportCancelled
from models.briefing.output import BriefingOptions, apply_options, write_briefing_file
from models.queries.filters import RecommendationFilter


class FileNotice(QWidget):
    """ "Exported … to file.docx  [Open]" in the status bar; Open hands the file to the system."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fileNotice")
        self.label = QLabel(self)
        self.label.setObjectName("fileNoticeText")
        self.open_button = QToolButton(self)
        self.open_button.setObjectName("openExportedFile")
        self.open_button.setText("Open")
        self.open_button.setAccessibleName("Open the exported file")
        self.open_button.clicked.connect(self.open_file)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.open_button)
        self.path: Path | None = None

    def show_file(self, text: str, path: Path) -> None:
        self.path = path
        self.label.setText(text)
        self.setAccessibleName(text)
        self.show()

    def open_file(self) -> None:
        if self.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path)))


class ExportFlow(QObject):
    def __init__(
        self,
        window: QMainWindow,
        gateway: LibraryGateway,
        worker: Worker,
        *,
        selected_ids: Callable[[], list[int]],
        table_ids: Callable[[], list[int]],
        table_filter: Callable[[], RecommendationFilter],
    ) -> None:
        super().__init__(window)
        self._window, self._gateway, self._worker = window, gateway, worker
        self._selected_ids, self._table_ids, self._table_filter = selected_ids, table_ids, table_filter
        self.previous: ExportChoice | None = None
        self.dialog: ExportDialog | None = None
        self.progress = None
        self.task = None
        self.message_box: QMessageBox | None = None
        self.notice = FileNotice(window)
        window.statusBar().addWidget(self.notice)
        self.notice.hide()

    def _folder(self) -> Path:
        if self.previous is not None:
            return self.previous.destination.parent
        return last_folder("export")

    def _filter_lines(self) -> list[str]:
        return [part.line() for part in self._gateway.describe_filter(self._table_filter())]

    # ------------------------------------------------------------------ dialog

    def open_dialog(self, scope: str = "selection", collection_id: int | None = None) -> ExportDialog:
        """Show the export dialog (window-modal, not blocking); accepting it starts the export.

        Asked for the selection when nothing is selected, it opens on the filtered table instead.
        """
        if scope == "selection" and not self._selected_ids():
            scope = "filter"
        lines = self._filter_lines()
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = ExportDialog(
            selection_count=len(self._selected_ids()),
            filter_count=len(self._table_ids()),
            filter_label="; ".join(lines) or "all recommendations",
            collections=self._gateway.collections(),
            scope=scope,
            collection_id=collection_id,
            folder=self._folder(),
            previous=self.previous,
            parent=self._window,
        )
        dialog = self.dialog
        dialog.accepted.connect(lambda: self.export(dialog.choice()))
        dialog.open()
        return dialog

    # ------------------------------------------------------------------ the briefing

    def _request(self, scope: str, collection_id: int | None, collection_label: str = "") -> tuple[list[int], list[str]]:
        if scope == "selection":
            ids = self._selected_ids()
            return ids, [f"Selected: {len(ids)} recommendation{'s' if len(ids) != 1 else ''}"]
        if scope == "filter":
            return self._table_ids(), self._filter_lines() or ["All recommendations"]
        return [], [f"Collection: {collection_label}"] if collection_label else []

    def _topics(self, scope: str) -> tuple[str, ...]:
        """The topics the filtered table is narrowed to (a briefing grouped by topic shows only these)."""
        return tuple(sorted(self._table_filter().topics)) if scope == "filter" else ()

    def export(self, choice: ExportChoice) -> None:
        """Gather, trim and write the briefing ``choice`` describes, off the GUI thread."""
        self.previous = choice
        remember_folder("export", choice.destination)
        label = ""
        if choice.scope == "collection" and self.dialog is not None:
            label = self.dialog.collection_path()
        ids, filters = self._request(choice.scope, choice.collection_id, label)
        if choice.scope == "selection" and not ids:
            self._tell(EMPTY_SELECTION)
            return
        gateway = self._gateway
        topics = self._topics(choice.scope)

        def job(progress, cancelled) -> Path:
            progress(0.0, "Gathering the recommendations and the remarks behind them…")
            briefing = gateway.briefing(
                ids,
                collection_id=choice.collection_id,
                grouping=choice.grouping,
                filters=filters,
                at_a_glance=choice.options.at_a_glance,
            )
            briefing = apply_options(replace(briefing, topics=topics), choice.options)
            if cancelled():
                raise ExportCancelled()

            def written(done: int, total: int) -> None:
                progress(0.1 + 0.9 * done / max(total, 1), f"Writing recommendation {done} of {total}")

            return write_briefing_file(
                briefing, choice.destination, choice.format, per=choice.per, progress=written, cancelled=cancelled
            )

        self.task, self.progress = run_with_progress(
            self._window,
            self._worker,
            "Export",
            f"Exporting to {choice.destination.name}…",
            job,
            lambda path: self._exported(path),
            self._failed,
        )

    def briefing(self, on_ready: Callable[[Briefing], None]) -> None:
        """The briefing an export would write (selection, else the filtered table; last export's options),
        delivered to ``on_ready`` on the GUI thread; used by Print and Save as PDF."""
        selected = self._selected_ids()
        scope = "selection" if selected else "filter"
        ids, filters = self._request(scope, None)
        if not ids:
            self._tell(EMPTY_SELECTION)
            return
        grouping = self.previous.grouping if self.previous else "section"
        options = self.previous.options if self.previous else BriefingOptions()
        gateway = self._gateway
        topics = self._topics(scope)

        def job(_progress, _cancelled) -> Briefing:
            return apply_options(replace(gateway.briefing(ids, grouping=grouping, filters=filters), topics=topics), options)

        self.task = self._worker.start(job, on_ready, self._failed)

    # ------------------------------------------------------------------ outcome

    def _exported(self, path: object) -> None:
        assert isinstance(path, Path)
        self.show_written(f"Exported to {path.name}", path)

    def show_written(self, text: str, path: Path) -> None:
        self._window.statusBar().clearMessage()
        self.notice.show_file(text, path)

    def _tell(self, text: str) -> None:
        self.notice.hide()
        self._window.statusBar().showMessage(text, 10000)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ExportCancelled):
            self._tell("Export cancelled; no file was written.")
        elif isinstance(error, EmptyBriefingError):
            self._tell(str(error))
        elif isinstance(error, OSError):
            self._warn(f"The file could not be written: {error.strerror or error}.")
        else:
            self._warn(f"The export failed: {error}")

    def _warn(self, text: str) -> None:
        self._tell(text)
        box = QMessageBox(QMessageBox.Icon.Warning, "Export", text, QMessageBox.StandardButton.Ok, self._window)
        box.setObjectName("exportError")
        self.message_box = box
        box.open()
