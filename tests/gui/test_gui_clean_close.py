"""Closing the window closes the library cleanly, so the next start of a large library skips the
integrity check that a library left open (a crash) gets."""

from __future__ import annotations

from desktop.app import create_main_window
from models.db.library_safety import needs_quick_check


def _sidecars(path):
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(f"{path.name}-"))


def test_closing_the_window_leaves_no_write_ahead_log(qtbot, db_path, monkeypatch):
    window = create_main_window(db_path)
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.reader.report is not None)
    assert _sidecars(db_path), "an open library in write-ahead mode has its log beside it"
    window.close()
    assert _sidecars(db_path) == []
    # A large library closed this way opens without the quick check; one left open would get it.
    monkeypatch.setattr("models.db.library_safety.QUICK_CHECK_ALWAYS_BELOW", 0)
    assert not needs_quick_check(db_path)
