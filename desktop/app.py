"""Application start-up: `create_main_window` for tests and tools, `run` for the command line."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.mainwindow import MainWindow
from models.library import LibraryError, open_library

ORGANIZATION = "Xref Explorer"
APPLICATION = "Xref Explorer"


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    return app


def create_main_window(db_path: Path | str | None = None) -> MainWindow:
    """Open the library at ``db_path`` (None: the user's library) and return the shown main window.

    Does not enter the event loop. Raises `LibraryError` for a file that is not a usable library.
    """
    application()
    library = open_library(Path(db_path) if db_path is not None else None)
    window = MainWindow(library)
    window.show()
    _settle_heap()
    return window


_heap_settled = False


def _settle_heap() -> None:
    """Once per process, after the first window is built: what start-up made (the Qt bindings,
    SQLAlchemy's mappers, that window) lives until the end, so the garbage collector stops
    walking it. A full collection then takes well under a millisecond instead of about 75: no
    pause while the delegate types."""
    global _heap_settled
    if not _heap_settled:
        _heap_settled = True
        gc.freeze()


def run(db_path: Path | None = None) -> int:
    app = application()
    try:
        window = create_main_window(db_path)
    except LibraryError as error:
        QMessageBox.critical(None, APPLICATION, str(error))
        return 1
    status = app.exec()
    window.library.close()
    return status
