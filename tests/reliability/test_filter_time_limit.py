"""The window's filter queries are bounded in time like the search: a filter stopped at the limit says
so in the filter bar, and the table keeps its rows and goes on working (pytest-qt, offscreen).

The limit is lowered to nothing for the heavy filter (eight two-letter prefixes on a synthetic library
of 100 reports: every one of its queries runs far past SQLite's first progress check), so that the
test does not depend on the machine's speed.
"""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from sqlalchemy import text

from desktop.app import create_main_window
from desktop.filtering import FIRST_SCREEN_ROWS, TOO_SLOW
from desktop.views.filter_bar import COUNT_STOPPED_NOTE
from models.bench.synth import synthesize
from models.db import fulltext
from models.db.library import open_library
from models.queries.filters import RecommendationFilter, filtered_ids, first_matching_ids, topic_counts
from tests.gui.driving import close_window

HEAVY = "st* OR co* OR re* OR pr* OR in* OR de* OR ma* OR tr*"


@pytest.fixture(scope="module")
def hundred_reports(tmp_path_factory):
    return synthesize(tmp_path_factory.mktemp("synth") / "hundred.sqlite", 100, seed=3).path


@pytest.fixture
def library_path(tmp_path, hundred_reports):
    path = tmp_path / "library.sqlite"
    shutil.copyfile(hundred_reports, path)
    return path


def _each_stopped(library, queries, message: str, *, documents: int) -> None:
    """Each query, in a transaction of its own, is stopped at the (lowered) limit with ``message``, and
    its session goes on: it still reads the library's ``documents``."""
    for query in queries:
        with library.begin() as session:
            with pytest.raises(fulltext.QueryTooSlow, match=message):
                query(session)
            assert session.execute(text("SELECT count(*) FROM document")).scalar() == documents  # goes on


def test_every_filter_query_is_stopped_at_the_limit(library_path, monkeypatch):
    library = open_library(library_path)
    heavy = RecommendationFilter(text=HEAVY, topics=frozenset({"marking"}))
    try:
        with library.begin() as session:
            assert len(filtered_ids(session, heavy)) > 100  # the filter finds something when given time
        monkeypatch.setattr(fulltext, "QUERY_SECONDS", 0.0)
        queries = (
            lambda s: filtered_ids(s, heavy, "topics", True),
            lambda s: topic_counts(s, heavy),
            lambda s: first_matching_ids(s, HEAVY, 2000),
        )
        _each_stopped(library, queries, "took longer than 0 s and was stopped", documents=100)
    finally:
        library.close()


def _column(window, sort_key: str) -> int:
    return next(i for i, column in enumerate(window.table_model.columns) if column.sort_key == sort_key)


def first_screen(path) -> list[int]:
    library = open_library(path)
    try:
        with library.begin() as session:
            return first_matching_ids(session, HEAVY, FIRST_SCREEN_ROWS)[0]
    finally:
        library.close()


@pytest.fixture
def window(qtbot, library_path):
    """The main window on the library, settled: its filter shown, its counts and Overview done."""
    window = create_main_window(library_path)
    try:
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.filter_settled)
        qtbot.waitUntil(lambda: window.overview_gateway.ready and not window.worker.busy(), timeout=20000)
        yield window
    finally:
        close_window(window)


def test_the_window_says_a_filter_took_too_long_and_stays_usable(qtbot, window, library_path, monkeypatch):
    everything = window.table_model.ids()
    message = window.findChild(QLabel, "searchMessage")
    search = window.findChild(QLineEdit, "searchField")

    monkeypatch.setattr(fulltext, "QUERY_SECONDS", 0.0)
    search.setText(HEAVY)
    qtbot.waitUntil(lambda: window.filter_settled and message.isVisible(), timeout=10000)
    assert message.text() == TOO_SLOW
    # the table keeps what it showed, or the first screen of matches that came before the full list was
    # stopped; its count does not promise that the rest is coming
    shown = window.table_model.ids()
    assert shown == everything or shown == first_screen(library_path)
    assert "counting" not in window.findChild(QLabel, "matchCount").text()
    if shown != everything:  # sorting asks for the whole list again: stopped too, the rows keep their order
        window.table_model.sort(_column(window, "text"))
        assert window.table_model.ids() == shown and window.table_model.sort_key == ("number", False)

    monkeypatch.setattr(fulltext, "QUERY_SECONDS", 3.0)
    search.setText("firearms")
    qtbot.waitUntil(lambda: window.filter_settled and window.table_model.ids() != everything, timeout=10000)
    assert window.table_model.ids() and not message.isVisible()
    window.table.selectRow(0)
    assert window.table.selected_ids() == window.table_model.ids()[:1]


def test_a_stopped_topic_count_shows_no_stale_numbers(qtbot, window, monkeypatch):
    """The matches arrive but their topic count is stopped: the chips drop their numbers and say why."""
    chips = {chip.property("topicKey"): chip for chip in window.findChildren(QPushButton, "topicChip")}
    marking = chips["marking"]
    qtbot.waitUntil(lambda: marking.text().split()[-1].isdigit(), timeout=10000)  # counted at start
    everything = window.table_model.ids()

    def stop_counting_once_shown(f, ids, complete):  # the matches are in: what comes next is their count
        if complete and ids != everything:
            monkeypatch.setattr(fulltext, "QUERY_SECONDS", 0.0)

    window.filtering.shown.connect(stop_counting_once_shown)
    window.findChild(QLineEdit, "searchField").setText("firearms")
    qtbot.waitUntil(lambda: window.filter_settled and window.table_model.ids() != everything, timeout=10000)
    qtbot.waitUntil(lambda: marking.text() == "Marking", timeout=10000)
    assert all(not chip.text()[-1].isdigit() for chip in chips.values())
    assert marking.isEnabled() and "count not available" in marking.accessibleName()
    assert COUNT_STOPPED_NOTE in marking.toolTip() and marking.toolTip().startswith("Marking")
    assert not window.findChild(QLabel, "searchMessage").isVisible()  # the matches themselves are right

    window.filtering.shown.disconnect(stop_counting_once_shown)
    monkeypatch.setattr(fulltext, "QUERY_SECONDS", 3.0)
    window.findChild(QLineEdit, "searchField").setText("firearms marking")
    qtbot.waitUntil(lambda: marking.text().split()[-1].isdigit(), timeout=10000)
    assert COUNT_STOPPED_NOTE not in marking.toolTip() and "matching" in marking.accessibleName()


def test_on_a_server_the_filter_queries_are_stopped_at_the_limit(pg_cluster, pg_corpus_template, monkeypatch):
    """PostgreSQL's ``statement_timeout`` (1 ms: the least it takes) stops the table's full list and the
    topic counts of a heavy filter on the shipped report; the session goes on."""
    from tests.conftest import new_pg_library_url

    library = open_library(new_pg_library_url(pg_cluster, pg_corpus_template))
    heavy = RecommendationFilter(text=HEAVY, topics=frozenset({"marking"}))
    try:
        with library.begin() as session:
            assert filtered_ids(session, heavy, "topics", True) and topic_counts(session, heavy)
        monkeypatch.setattr(fulltext, "QUERY_SECONDS", 0.001)
        queries = (lambda s: filtered_ids(s, heavy, "topics", True), lambda s: topic_counts(s, heavy))
        _each_stopped(library, queries, "was stopped", documents=1)
    finally:
        library.close()
