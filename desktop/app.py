"""Application start-up: `create_main_window` for tests and tools, `run` for the command line."""

from __future__ import annotations

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
    return window


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
