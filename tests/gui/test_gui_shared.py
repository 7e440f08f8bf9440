"""Two members on one library, in the explorer window (SQLite file and PostgreSQL server).

The window is one member's app; a second `Library` on the same database is the colleague.
Their change must never be overwritten unseen: the typed note stays in the editor, the
colleague's text is shown, and the delegate keeps it or replaces it.
"""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QPushButton

from desktop.app import create_main_window
from models import annotations as a
from models.paths import EMBEDDED_CORPUS
from tests.gui.driving import click_row, colleague_on, key_of
from tests.gui.driving import close_window as _close


@pytest.fixture
def location(tmp_path, engine_name, request):
    if engine_name == "postgresql":
        from tests.conftest import new_pg_library_url

        return new_pg_library_url(request.getfixturevalue("pg_cluster"), request.getfixturevalue("pg_corpus_template"))
    path = tmp_path / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    return path


@pytest.fixture
def window(qtbot, location):
    win = create_main_window(location)
    win.library.author = "anna"
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.reader.report is not None)
    yield win
    _close(win)


@pytest.fixture
def colleague(location):
    with colleague_on(location) as act:
        yield act


def _type_note(qtbot, window, text: str) -> QPlainTextEdit:
    editor = window.findChild(QPlainTextEdit, "noteEditor")
    editor.setFocus()
    qtbot.keyClicks(editor, text)
    return editor


def test_a_note_changed_meanwhile_is_not_overwritten_and_can_be_replaced(qtbot, window, colleague):
    click_row(qtbot, window, "18")
    key = key_of(window, "18")
    colleague(a.set_note, key, "Ben: capital says no")
    editor = _type_note(qtbot, window, "Anna: support")
    conflict = window.findChild(QFrame, "noteConflict")
    qtbot.waitUntil(conflict.isVisible, timeout=3000)
    assert "Ben: capital says no" in window.findChild(QLabel, "noteConflictText").text()
    assert "ben changed it" in window.findChild(QLabel, "noteConflictText").text()
    assert editor.toPlainText() == "Anna: support"  # the edit that could not be saved stays
    assert colleague(a.recommendation_annotations, key).note == "Ben: capital says no"
    qtbot.mouseClick(window.findChild(QPushButton, "replaceWithMineButton"), qtbot_left())
    saved = colleague(a.recommendation_annotations, key)
    assert (saved.note, saved.note_author) == ("Anna: support", "anna")
    assert not conflict.isVisible()
    qtbot.waitUntil(lambda: "Note by anna" in window.findChild(QLabel, "annotationAuthors").text(), timeout=3000)


def test_keeping_their_note_drops_the_typed_text(qtbot, window, colleague):
    click_row(qtbot, window, "20")
    key = key_of(window, "20")
    colleague(a.set_note, key, "Ben's note")
    editor = _type_note(qtbot, window, "mine")
    qtbot.waitUntil(window.findChild(QFrame, "noteConflict").isVisible, timeout=3000)
    qtbot.mouseClick(window.findChild(QPushButton, "keepTheirsButton"), qtbot_left())
    assert editor.toPlainText() == "Ben's note"
    assert colleague(a.recommendation_annotations, key).note == "Ben's note"
    # typing on goes on from their note, with its version: saved normally
    _type_note(qtbot, window, " + Anna")
    qtbot.waitUntil(lambda: colleague(a.recommendation_annotations, key).note == "Ben's note + Anna", timeout=3000)


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_file_menu_opens_a_shared_library_and_preferences_name_the_author(qtbot, tmp_path, request, monkeypatch):
    """File > Open Shared Library… opens the server's library in a new window; the Preferences
    name is recorded on annotations instead of the login name."""
    from desktop import shared_library
    from tests.conftest import new_pg_library_url

    url = new_pg_library_url(request.getfixturevalue("pg_cluster"), request.getfixturevalue("pg_corpus_template"))
    path = tmp_path / "mine.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    first = create_main_window(path)
    try:
        texts = [action.text() for action in first.file_menu.actions()]
        assert texts[0] == "Open &Shared Library…" and "&Preferences…" in texts
        shared_library.edit_display_name(first, "Anna (mission)")
        assert first.library.author == "Anna (mission)"
        other = shared_library.open_shared_library(first, url)
        assert other is not None and other.library.shared and other.library.author == "Anna (mission)"
        assert other.findChild(QLabel, "connectionStatus") is not None
        warnings = []
        monkeypatch.setattr(shared_library.QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
        assert shared_library.open_shared_library(first, "postgresql+psycopg://nobody@/absent?host=/nonexistent") is None
        assert len(warnings) == 1 and "Cannot open the shared library" in warnings[0]
        qtbot.waitUntil(lambda: other.reader.report is not None)
        _close(other)
        shared_library.edit_display_name(first, "")
        assert first.library.author == first._login_author
    finally:
        _close(first)
