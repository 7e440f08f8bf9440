"""Two writers at once: command-line imports and merges, and the window, against one library."""

from __future__ import annotations

import sqlite3
import threading
import time

from PySide6.QtWidgets import QPlainTextEdit

from models import annotations as a
from models.db.library import open_library
from tests.reliability.conftest import REPORT, start_cli


def _documents(path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT key FROM document")}
    finally:
        connection.close()


def test_two_imports_at_once_both_land(tmp_path, report_variant, report_variant_b):
    path = tmp_path / "library.sqlite"
    open_library(path).close()
    first = start_cli("--db", path, "import", REPORT, report_variant)
    second = start_cli("--db", path, "import", report_variant_b)
    for process in (first, second):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert "Traceback" not in err
    assert _documents(path) == {
        "working-group-on-firearms/2021-05-10",
        "working-group-on-firearms/2022-05-03",
        "working-group-on-trafficking-in-persons/2022-07-06",
    }


def test_a_merge_during_an_import_waits_its_turn(library_copy, tmp_path, report_variant):
    annotations = tmp_path / "colleague.csv"
    annotations.write_text(
        "document,recommendation,kind,value,collection,tag,note,position,updated\r\n"
        "working-group-on-firearms/2021-05-10,18,note,,,,From a colleague,,2026-01-02T10:00:00Z\r\n",
        encoding="utf-8",
    )
    importing = start_cli("--db", library_copy, "import", report_variant)
    merging = start_cli("--db", library_copy, "merge", annotations)
    for process in (importing, merging):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    library = open_library(library_copy)
    try:
        with library.begin() as session:
            note = a.recommendation_annotations(session, ("working-group-on-firearms/2021-05-10", "18")).note
    finally:
        library.close()
    assert note == "From a colleague"
    assert "working-group-on-firearms/2022-05-03" in _documents(library_copy)


def _hold_write_lock(path, seconds: float, started: threading.Event) -> None:
    """Another program writing: the write lock held for ``seconds``."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    started.set()
    time.sleep(seconds)
    connection.execute("COMMIT")
    connection.close()


def _type_while_another_program_writes(qtbot, win, path, number: str, text: str, seconds: float):
    """Open recommendation ``number`` and type ``text`` in its note while another program holds the
    library's write lock for ``seconds``; returns that program's thread and the note editor."""
    from tests.gui.driving import click_row

    click_row(qtbot, win, number)
    started = threading.Event()
    writer = threading.Thread(target=_hold_write_lock, args=(path, seconds, started))
    writer.start()
    started.wait()
    editor = win.findChild(QPlainTextEdit, "noteEditor")
    editor.setFocus()
    qtbot.keyClicks(editor, text)
    return writer, editor


def _note(path, number: str) -> str | None:
    connection = sqlite3.connect(path)
    try:
        row = connection.execute("SELECT text FROM user_note WHERE number = ?", (number,)).fetchone()
        return row[0] if row else None
    finally:
        connection.close()


def test_a_note_typed_while_another_program_writes_is_stored(qtbot, window, db_path):
    from tests.gui.driving import click_row

    started = threading.Event()
    writer = threading.Thread(target=_hold_write_lock, args=(db_path, 1.0, started))
    click_row(qtbot, window, "18")
    writer.start()
    started.wait()
    editor = window.findChild(QPlainTextEdit, "noteEditor")
    editor.setFocus()
    qtbot.keyClicks(editor, "Ask the capital")
    window.annotations.panel.save_note()  # waits for the lock (busy timeout), then stores
    writer.join()
    assert _note(db_path, "18") == "Ask the capital"


def test_a_note_refused_by_a_busy_library_is_kept_and_retried(qtbot, db_path, monkeypatch):
    from desktop.app import create_main_window
    from tests.gui.driving import close_window as _close

    monkeypatch.setattr("models.db.library.BUSY_TIMEOUT_MS", 200)  # give up quickly, as after 5 s
    win = create_main_window(db_path)
    try:
        qtbot.waitExposed(win)
        writer, editor = _type_while_another_program_writes(qtbot, win, db_path, "18", "Kept", 1.5)
        win.annotations.panel.save_note()
        assert _note(db_path, "18") is None
        assert "not saved yet" in win.statusBar().currentMessage()
        assert win.annotations.ops.unsaved_notes
        writer.join()
        qtbot.waitUntil(lambda: _note(db_path, "18") == "Kept", timeout=5000)
        assert not win.annotations.ops.unsaved_notes
        assert editor.toPlainText() == "Kept"
    finally:
        _close(win)


def test_notes_saved_in_the_window_during_a_command_line_import_are_all_stored(qtbot, window, db_path, report_variant):
    from tests.gui.driving import click_row

    importing = start_cli("--db", db_path, "import", report_variant)
    click_row(qtbot, window, "18")
    editor = window.findChild(QPlainTextEdit, "noteEditor")
    editor.setFocus()
    saves = 0
    while importing.poll() is None and saves < 200:  # save as the delegate types, all through the import
        qtbot.keyClicks(editor, "x")
        window.annotations.panel.save_note()
        saves += 1
        qtbot.wait(20)
    out, err = importing.communicate(timeout=300)
    assert importing.returncode == 0, err
    qtbot.waitUntil(lambda: not window.annotations.ops.unsaved_notes, timeout=10000)
    assert _note(db_path, "18") == editor.toPlainText() == "x" * saves
    assert "working-group-on-firearms/2022-05-03" in _documents(db_path)


def test_closing_the_window_saves_a_note_just_typed_and_asks_before_losing_one_it_cannot_save(qtbot, db_path, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from desktop.app import create_main_window
    from desktop.views import annotation_dialogs
    from tests.gui.driving import click_row

    monkeypatch.setattr("models.db.library.BUSY_TIMEOUT_MS", 200)
    asked = []
    answer = annotation_dialogs.KEEP_OPEN
    monkeypatch.setattr(annotation_dialogs, "confirm_losing_notes", lambda parent, unsaved: asked.append(unsaved) or answer)
    win = create_main_window(db_path)
    qtbot.waitExposed(win)
    click_row(qtbot, win, "18")
    editor = win.findChild(QPlainTextEdit, "noteEditor")
    editor.setFocus()
    qtbot.keyClicks(editor, "Typed")  # closed at once, before the save that follows a pause in typing
    win.close()
    assert _note(db_path, "18") == "Typed" and not asked and not win.isVisible()
    win.library.close()

    win = create_main_window(db_path)
    qtbot.waitExposed(win)
    writer, editor = _type_while_another_program_writes(qtbot, win, db_path, "19", "Kept", 4.0)
    win.close()  # another program still writes: the note cannot be saved, so the window asks
    assert asked and [(key.number, text) for key, text in asked[-1].items()] == [("19", "Kept")]
    assert win.isVisible() and editor.toPlainText() == "Kept"  # kept open: nothing lost
    answer = annotation_dialogs.COPY_AND_CLOSE
    QApplication.clipboard().clear()
    win.close()
    assert not win.isVisible()
    writer.join()
    win.library.close()
    assert _note(db_path, "19") is None


def test_the_question_before_losing_notes_keeps_the_window_by_default_and_can_copy_them(qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.views import annotation_dialogs

    unsaved = {a.RecommendationKey("wg", "18"): "Raise with capital", a.RecommendationKey("wg", "47f"): "Ask Mexico"}

    def press(label: str | None) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and "18, 47f" in box.text()
        button = next(b for b in box.buttons() if b.text() == label) if label else None
        if button is not None:
            button.click()
        else:
            box.reject()  # Esc: the escape button is Keep Open

    for label, expected in (
        (None, annotation_dialogs.KEEP_OPEN),
        ("Keep Open", annotation_dialogs.KEEP_OPEN),
        ("Close Without Saving", annotation_dialogs.CLOSE_ANYWAY),
        ("Copy Notes and Close", annotation_dialogs.COPY_AND_CLOSE),
    ):
        QTimer.singleShot(0, lambda label=label: press(label))
        assert annotation_dialogs.confirm_losing_notes(None, unsaved) == expected
    assert QApplication.clipboard().text() == "Recommendation 18: Raise with capital\n\nRecommendation 47f: Ask Mexico"
