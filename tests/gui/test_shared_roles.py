"""Who may do what in a shared library: `admin init`, `admin grant`, and the app disabling the rest."""

from __future__ import annotations

import itertools
from contextlib import contextmanager

import psycopg
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from desktop.app import create_main_window
from models import annotations as a
from models.build.ingest import REPORTS_DIR
from models.cli.commands import main
from models.db.library import LibraryError, open_library
from tests.conftest import new_pg_library_url
from tests.gui.driving import click_row, key_of
from tests.gui.driving import close_window as _close

_names = itertools.count(1)
KEY = ("working-group-on-firearms/2021-05-10", "18")


@pytest.fixture
def shared(pg_cluster, pg_corpus_template, capsys):
    """A library after `admin init`, and a function making login roles of each level."""
    url = new_pg_library_url(pg_cluster, pg_corpus_template)
    assert main(["--db", url, "admin", "init"]) == 0
    assert "xref_reader" in capsys.readouterr().out

    def member(level: str) -> str:
        name = f"{level}_{next(_names)}"
        with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as connection:
            connection.execute(f'CREATE ROLE "{name}" LOGIN')
        assert main(["--db", url, "admin", "grant", name, level]) == 0
        return url.replace("postgres@", f"{name}@")

    return url, member


@contextmanager
def window_of(qtbot, url: str):
    """The explorer window of the member whose library URL is ``url``, shown; closed afterwards."""
    window = create_main_window(url)
    try:
        qtbot.waitExposed(window)
        yield window
    finally:
        _close(window)


def role_of(url: str) -> str:
    return url.split("://", 1)[1].split("@", 1)[0]


def act(url, action, *args):
    library = open_library(url)
    try:
        with library.begin() as session:
            return action(session, *args)
    finally:
        library.close()


def test_an_editor_annotates_but_does_not_import(shared, capsys):
    url, member = shared
    editor = member("editor")
    act(editor, a.set_note, KEY, "From the editor")
    assert act(url, a.recommendation_annotations, KEY).note_author.startswith("editor_")
    assert main(["--db", editor, "import", "--replace", str(sorted(REPORTS_DIR.glob("*.txt"))[0])]) == 1
    assert "may not" in capsys.readouterr().err


def test_a_reader_browses_and_exports_but_may_not_annotate(shared, capsys):
    url, member = shared
    reader = member("reader")
    assert main(["--db", reader, "export", "recommendations", "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\n") > 47
    with pytest.raises(LibraryError, match="may not make this change"):
        act(reader, a.set_note, KEY, "not allowed")
    assert act(url, a.recommendation_annotations, KEY).note == ""


def test_the_window_disables_what_a_reader_may_not_do(qtbot, shared):
    _url, member = shared
    window = create_main_window(member("reader"))
    try:
        qtbot.waitExposed(window)
        import_action, note_action = window.actions_["import"], window.actions_["edit_note"]
        assert not import_action.isEnabled() and "may not import" in import_action.toolTip()
        assert not note_action.isEnabled() and "editor" in note_action.toolTip()
        panel = window.findChild(QWidget, "annotationPanel")
        window.show_recommendation(18)
        assert not panel.isEnabled() and "may not annotate" in panel.toolTip()
    finally:
        _close(window)


def test_a_refusal_names_the_database_role_not_the_name_set_in_preferences(shared):
    _url, member = shared
    reader = member("reader")
    library = open_library(reader)
    library.author = "Anna (mission)"  # File › Preferences
    try:
        with pytest.raises(LibraryError) as refused, library.begin() as session:
            a.set_note(session, KEY, "not allowed")
    finally:
        library.close()
    assert f"Your database role ({role_of(reader)}) may not make this change" in str(refused.value)
    assert "Anna" not in str(refused.value)


def test_a_member_demoted_while_the_app_is_open_is_told_the_note_cannot_be_saved(qtbot, shared):
    url, member = shared
    editor = member("editor")
    with window_of(qtbot, editor) as window:
        window.library.author = "Anna (mission)"
        click_row(qtbot, window, "18")
        key = key_of(window, "18")
        assert main(["--db", url, "admin", "grant", role_of(editor), "reader"]) == 0  # demoted meanwhile
        note = window.findChild(QPlainTextEdit, "noteEditor")
        note.setFocus()
        qtbot.keyClicks(note, "Support")
        bar = window.statusBar()
        qtbot.waitUntil(lambda: "cannot be saved" in bar.currentMessage(), timeout=5000)
        message = bar.currentMessage()
        assert f"recommendation 18 cannot be saved: your database role ({role_of(editor)}) may not annotate" in message
        assert "not saved yet" not in message and "Anna" not in message and "\n" not in message
        assert note.toPlainText() == "Support"  # kept in the editor
        ops = window.annotations.ops
        assert not ops.note_unsaved and not ops.unsaved_notes  # no save is promised or retried
        assert act(url, a.recommendation_annotations, key).note == ""


def _file_mime(path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


def test_a_report_dropped_by_a_member_who_may_not_import_is_refused_up_front(qtbot, shared, tmp_path):
    _url, member = shared
    with window_of(qtbot, member("editor")) as window:
        report = tmp_path / "report.txt"
        report.write_text("not read", encoding="utf-8")
        mime = _file_mime(report)  # the events do not own their mime data: keep it alive
        point, copy = window.rect().center(), Qt.DropAction.CopyAction
        buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        enter = QDragEnterEvent(point, copy, mime, buttons, keys)
        QApplication.sendEvent(window, enter)
        reason = window.actions_["import"].toolTip()
        assert not enter.isAccepted() and "may not import reports" in reason
        assert window.statusBar().currentMessage() == reason
        window.statusBar().clearMessage()
        drop = QDropEvent(QPointF(point), copy, mime, buttons, keys)
        window.dropEvent(drop)  # a drop delivered all the same is refused too, before reading the file
        assert not drop.isAccepted() and window.statusBar().currentMessage() == reason
        assert window.import_flow.task is None and not window.import_flow.prepared
        assert window.import_flow.message_box is None


def test_an_import_the_server_refuses_names_the_file_in_its_message(qtbot, shared):
    _url, member = shared
    editor = member("editor")
    with window_of(qtbot, editor) as window:
        report = sorted(REPORTS_DIR.glob("*.txt"))[0]
        window.import_flow.import_files([report], replace=True)  # as from a drop let through before this check
        qtbot.waitUntil(lambda: window.import_flow.message_box is not None, timeout=120000)
        box = window.import_flow.message_box
        assert box.text() == "This file could not be imported:"
        assert box.informativeText().startswith(f"{report.name}: Your database role ({role_of(editor)}) may not")
