"""Fixtures of the GUI tests: settings in a temporary folder, a copy of the embedded corpus, the
main window on it (pytest-qt, offscreen)."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QSettings

from desktop.app import create_main_window
from models.db.library import open_library
from models.paths import EMBEDDED_CORPUS
from tests.gui.driving import close_window


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    return path


@pytest.fixture
def reference(db_path):
    """A separate read session on the same copy, for expected values."""
    library = open_library(db_path)
    with library.begin() as session:
        yield session
    library.close()


@pytest.fixture
def window(qtbot, db_path):
    win = create_main_window(db_path)
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.reader.report is not None)
    yield win
    close_window(win)
