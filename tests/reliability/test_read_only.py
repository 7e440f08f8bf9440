"""A library that cannot be written (read-only media, a file the user may only read) opens read-only."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from desktop.app import create_main_window
from models.db.library import ReadOnlyLibraryError, open_library
from models.paths import EMBEDDED_CORPUS
from tests.gui.driving import close_window as _close
from tests.reliability.conftest import REPORT, cli, digest, one_line_error


@pytest.fixture
def read_only_library(tmp_path):
    """A user's library (WAL mode, closed cleanly) on read-only media: a read-only bind mount of a folder."""
    source, media = tmp_path / "source", tmp_path / "media"
    source.mkdir()
    media.mkdir()
    path = source / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    open_library(path).close()
    shutil.copyfile(REPORT, source / "report.txt")
    (source / "notes.csv").write_text(
        "document,recommendation,kind,value,collection,tag,note,position,updated\r\n", encoding="utf-8"
    )
    mounted = subprocess.run(["mount", "--bind", str(source), str(media)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("needs a read-only bind mount (root, mount): " + mounted.stderr.decode().strip())
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(media)], check=True, capture_output=True)
        assert not os.access(media, os.W_OK)
        yield media / "library.sqlite"
    finally:
        subprocess.run(["umount", str(media)], check=True)


def test_reading_commands_work_and_writing_ones_say_why(read_only_library):
    before = digest(read_only_library)
    found = cli("--db", read_only_library, "search", "marking")
    assert found.returncode == 0, found.stderr
    assert "Recommendation" in found.stdout
    exported = cli("--db", read_only_library, "export", "recommendations", "--format", "csv")
    assert exported.returncode == 0 and exported.stdout.count("\n") > 47
    assert cli("--db", read_only_library, "check").returncode == 0
    for command in (["import", read_only_library.parent / "report.txt"], ["merge", read_only_library.parent / "notes.csv"]):
        error = one_line_error(cli("--db", read_only_library, *command))
        assert "read-only" in error and "nothing was changed" in error and "read-only media" in error
    assert digest(read_only_library) == before
    assert sorted(p.name for p in read_only_library.parent.iterdir()) == ["library.sqlite", "notes.csv", "report.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file it may read")
def test_a_read_only_file_in_a_writable_folder(shared_dir):
    path = shared_dir / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    open_library(path).close()
    path.chmod(0o444)
    shared_dir.chmod(0o777)
    error = one_line_error(cli("--db", path, "import", REPORT))
    assert "you may only read this file" in error
    assert cli("--db", path, "search", "tracing").returncode == 0


def test_the_window_shows_a_banner_and_editing_is_off(qtbot, tmp_path):
    path = tmp_path / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    library = open_library(path, read_only=True)  # as for a file on read-only media
    assert library.read_only
    with pytest.raises(ReadOnlyLibraryError), library.write():
        pass
    library.close()
    from desktop.mainwindow import MainWindow

    window = MainWindow(open_library(path, read_only=True))
    window.show()
    try:
        qtbot.waitExposed(window)
        banner = window.findChild(QLabel, "readOnlyBanner")
        assert banner is not None and banner.isVisible() and "Read-only library" in banner.text()
        window.table.selectRow(0)
        window._update_actions()
        for name in ("add_to_collection", "tag", "toggle_priority", "new_collection", "import"):
            assert not window.actions_[name].isEnabled(), name
        assert window.actions_["export"].isEnabled()
        assert window.findChild(QPlainTextEdit, "noteEditor").isReadOnly()
        assert window.table_model.rowCount() == 47  # browsing works
    finally:
        _close(window)


def test_a_writable_library_has_no_banner(qtbot, tmp_path):
    path = tmp_path / "library.sqlite"
    shutil.copyfile(EMBEDDED_CORPUS, path)
    window = create_main_window(path)
    try:
        assert window.findChild(QLabel, "readOnlyBanner") is None
    finally:
        _close(window)
