"""The explorer on a library larger than one screen of matches: a search shows its first screen,
then every match (pytest-qt).

The shipped report has 47 recommendations, fewer than a first screen, so these tests use a
synthetic library of three reports made from its sentences (`models.bench.synth`), and a smaller
first screen so that the rest of the matches arrives after it.
"""

from __future__ import annotations

import shutil
import threading

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLineEdit

from desktop import filtering
from desktop.app import create_main_window
from models.bench.synth import synthesize
from models.db.library import open_library
from models.queries.filters import RecommendationFilter, filtered_ids

QUERY = "firearms"
FIRST_SCREEN = 30  # more rows than the table shows, fewer than the matches


@pytest.fixture(scope="module")
def three_reports(tmp_path_factory):
    return synthesize(tmp_path_factory.mktemp("synth") / "three.sqlite", 3, seed=7).path


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, three_reports):  # settings in a temporary folder: tests/gui/conftest.py
    monkeypatch.setattr(filtering, "FIRST_SCREEN_ROWS", FIRST_SCREEN)
    path = tmp_path / "library.sqlite"
    shutil.copyfile(three_reports, path)
    win = create_main_window(path)
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.filter_settled)
    # start-up idle work (the Overview's facts, read on the worker after the first paint) is done first:
    # these tests watch what one search costs, not what it shares the machine with
    qtbot.waitUntil(lambda: win.overview_gateway.ready and not win.worker.busy(), timeout=20000)
    yield win
    win.close()
    win.library.close()


@pytest.fixture
def expected(three_reports):
    library = open_library(three_reports)
    try:
        with library.begin() as session:
            return filtered_ids(session, RecommendationFilter(text=QUERY))
    finally:
        library.close()


def test_the_first_screen_comes_first_then_every_match_keeping_the_selection(qtbot, window, expected):
    assert len(expected) > FIRST_SCREEN
    stages = []

    def applied(complete: bool) -> None:
        stages.append((complete, window.table_model.ids()))
        if not complete:  # the delegate picks a row before the rest of the matches has arrived
            window.table.selectRow(2)

    window.filterApplied.connect(applied)
    window.findChild(QLineEdit, "searchField").setText(QUERY)
    qtbot.waitUntil(lambda: bool(stages) and stages[-1][0])
    assert stages == [(False, expected[:FIRST_SCREEN]), (True, expected)]
    assert window.table.selected_ids() == [expected[2]]
    window.table.scrollToBottom()
    table = window.table
    qtbot.waitUntil(lambda: table.rowAt(table.viewport().height() - 1) == len(expected) - 1)
    assert table.model().row_data(len(expected) - 1).id == expected[-1]


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _obj, event) -> bool:
        self.count += event.type() == QEvent.Type.Paint
        return False


def test_the_rest_of_the_matches_does_not_repaint_the_rows_in_view(qtbot, window, expected):
    paints, first_shown, complete = _Paints(), [], []
    window.table.viewport().installEventFilter(paints)
    window.filterApplied.connect(lambda done: (complete if done else first_shown).append(paints.count))
    first_painted, listing = threading.Event(), window.gateway.filtered_ids
    window.gateway.filtered_ids = lambda *args: (first_painted.wait(10), listing(*args))[1]  # on the worker
    window.findChild(QLineEdit, "searchField").setText(QUERY)
    qtbot.waitUntil(lambda: bool(first_shown) and paints.count > first_shown[0])
    painted = -1
    while painted != paints.count:  # the first screen's paints are over (a baseline before the rest arrives)
        painted = paints.count
        qtbot.wait(100)
    first_painted.set()
    qtbot.waitUntil(lambda: bool(complete))
    qtbot.wait(100)
    assert len(window.table_model.ids()) == len(expected) and window.table.verticalScrollBar().maximum() > 0
    assert paints.count == painted
