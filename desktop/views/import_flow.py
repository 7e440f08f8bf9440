"""ImportFlow: report files (chosen or dropped) into the library, off the GUI thread.

Runs `LibraryGateway.import_reports` on the `Worker` behind a progress dialog
with Cancel (the file in progress is rolled back; files finished before stay).
Afterwards the main window refreshes (``on_changed``); failures are listed in
one calm message box, and a duplicate report offers "Replace", which imports
those files again with ``replace=True``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from desktop.folders import last_folder, remember_folder
from desktop.gateway import LibraryGateway
from desktop.views.progress import run_with_progress
from desktop.worker import Worker
from models.build.importing import ImportCancelled, ImportFailure, ImportResult, describe

EXTENSIONS = (".pdf", ".docx", ".txt")
FILE_FILTER = "Reports (*.pdf *.docx *.txt);;PDF files (*.pdf);;Word documents (*.docx);;Text files (*.txt)"


def report_paths(mime: QMimeData) -> list[Path]:
    """The local files with a report extension among the dropped URLs."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.suffix.lower() in EXTENSIONS]


def _naming_the_file(failure: ImportFailure) -> str:
    """The failure's message, led by the file's name unless it names the file already (a refusal of the
    library itself, such as the role's rights or a lost server, does not)."""
    name = failure.path.name
    return failure.message if name in failure.message else f"{name}: {failure.message}"


class ImportFlow(QObject):
    def __init__(
        self, window: QMainWindow, gateway: LibraryGateway, worker: Worker, on_changed: Callable[[ImportResult], None]
    ) -> None:
        super().__init__(window)
        self._window, self._gateway, self._worker = window, gateway, worker
        self._on_changed = on_changed
        self.message_box: QMessageBox | None = None
        self.progress = None
        self.task = None
        self.last_result: ImportResult | None = None
        self.prepared = False

    def prepare(self) -> None:
        """Once per session, when an import is coming (the dialog opens, files are dragged over the
        window): the worker loads what the import needs while the delegate picks the files."""
        if not self.prepared:
            self.prepared = True
            self._worker.submit(self._gateway.prepare_import, lambda _result: None, lambda _error: None)

    def choose_files(self) -> None:
        self.prepare()
        paths, _ = QFileDialog.getOpenFileNames(self._window, "Import reports", str(last_folder("import")), FILE_FILTER)
        if paths:
            remember_folder("import", paths[0])
        if paths:
            self.import_files(paths)

    def running(self) -> bool:
        return self.task is not None and not self.task.finished

    def import_files(self, paths: Iterable[Path | str], *, replace: bool = False) -> None:
        paths = [Path(p) for p in paths]
        if not paths:
            return
        if self.running():
            self._window.statusBar().showMessage("An import is already running; wait for it to finish.", 8000)
            return
        gateway = self._gateway

        def job(progress, cancelled) -> ImportResult:
            return gateway.import_reports(
                paths, replace=replace, progress=lambda step, fraction: progress(fraction, step), cancelled=cancelled
            )

        what = paths[0].name if len(paths) == 1 else f"{len(paths)} files"
        self.task, self.progress = run_with_progress(
            self._window, self._worker, "Import", f"Importing {what}…", job, self._done, self._failed
        )

    # ------------------------------------------------------------------ outcome

    def _done(self, result: object) -> None:
        assert isinstance(result, ImportResult)
        self._finish(result)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ImportCancelled):
            done = error.result
            kept = f"; {len(done.imported)} file(s) finished before stay imported" if done.imported else ""
            self._finish(done, cancelled=f"Import cancelled{kept}.")
        else:
            self._on_changed(ImportResult())  # files finished before it may be in the library
            self._show_box("Import", f"The import stopped: {error}", [])

    def _finish(self, result: ImportResult, cancelled: str = "") -> None:
        self.last_result = result
        if result.imported:
            self._on_changed(result)
        lines = [describe(report) for report in result.imported]
        status = cancelled or ("; ".join(lines) if lines else "Nothing was imported.")
        self._window.statusBar().showMessage(status, 15000)
        if result.failed:
            self._report_failures(result)

    def _report_failures(self, result: ImportResult) -> None:
        failed = result.failed
        duplicates = [failure.path for failure in failed if failure.duplicate_of]
        count = len(failed)
        heading = "This file could not be imported:" if count == 1 else f"These {count} files could not be imported:"
        details = [_naming_the_file(failure) for failure in failed]
        if result.imported:
            done = len(result.imported)
            details.append(f"{done} other file{'s were' if done != 1 else ' was'} imported.")
        if duplicates:
            details.append(
                "Replace the report already in the library with this file? Your notes, positions and collections are kept."
            )
        self._show_box("Import", heading, details, duplicates)

    def _show_box(self, title: str, heading: str, details: Sequence[str], duplicates: Sequence[Path] = ()) -> None:
        box = QMessageBox(self._window)
        box.setObjectName("importMessage")
        box.setAccessibleName("Import result")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(title)
        box.setText(heading)
        box.setInformativeText("\n\n".join(details))
        if duplicates:
            replace = box.addButton("Replace", QMessageBox.ButtonRole.AcceptRole)
            replace.setObjectName("importReplace")
            box.addButton("Keep the existing report", QMessageBox.ButtonRole.RejectRole)
            replace.clicked.connect(lambda: self.import_files(duplicates, replace=True))
        else:
            box.addButton(QMessageBox.StandardButton.Close)
        self.message_box = box
        box.open()
