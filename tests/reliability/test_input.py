"""What people type into search, and how they start the program."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select, text

from desktop.cli import has_display
from models.cli.commands import main
from models.db import schema
from models.db.fulltext import (
    MAX_PREFIX_TERMS,
    QuerySyntaxError,
    normalise_query,
    search,
    searched_as_plain_words,
    time_limit,
)
from models.queries.filters import RecommendationFilter, filtered_ids
from tests.reliability.conftest import cli, one_line_error

EVERYDAY = [
    "CTOC/COP/WG.6/2021/2",
    "U.S.",
    "e.g.",
    "States' obligations",
    "Article 5: marking",
    "(marking",
    '"end user',
    "marking AND",
    "NOT",
    "firearms -",
    "50%",
    "*",
    "a/b\\c",
    "†‡",
    "",
]


@pytest.mark.parametrize("typed", EVERYDAY)
def test_everyday_search_text_is_searched(typed, session):
    hits = search(session, typed)  # never a syntax error
    ids = filtered_ids(session, RecommendationFilter(text=typed))
    assert isinstance(hits, list) and isinstance(ids, list)


def test_symbols_and_colons_find_what_their_words_find(session):
    assert searched_as_plain_words("Article 5: marking")
    assert [h.id for h in search(session, "States' obligations")] == [h.id for h in search(session, "States obligations")]
    assert search(session, "marking:") and [h.id for h in search(session, "marking:")] == [
        h.id for h in search(session, "marking")
    ]
    assert not searched_as_plain_words("marking OR tracing") and not searched_as_plain_words("traff*")


def test_a_document_symbol_is_searched_as_a_phrase(session):
    assert normalise_query("CTOC/COP/WG.6/2021/2") == '"CTOC COP WG 6 2021 2"'


def test_the_number_of_prefix_terms_is_bounded(session):
    typed = " OR ".join(f"{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}*" for i in range(400))
    query = normalise_query(typed)
    assert query.count("*") == MAX_PREFIX_TERMS
    assert isinstance(search(session, typed), list)  # runs; the bench times such queries, not this test


def test_the_command_line_says_when_it_searched_plain_words(tmp_path, capsys, library_copy):
    assert main(["--db", str(library_copy), "search", "marking:"]) == 0
    captured = capsys.readouterr()
    assert "as plain words" in captured.err and "Recommendation" in captured.out


def test_a_db_in_a_missing_folder_is_refused_and_nothing_is_created(tmp_path):
    path = tmp_path / "typo" / "library.sqlite"
    error = one_line_error(cli("--db", path, "search", "marking"))
    assert "does not exist" in error and str(tmp_path / "typo") in error
    assert not (tmp_path / "typo").exists()


def test_without_a_display_the_app_says_how_to_run_it(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    error = one_line_error(cli("--db", tmp_path / "library.sqlite", env=environment))
    assert "no display" in error and "QT_QPA_PLATFORM=offscreen" in error
    assert not (tmp_path / "library.sqlite").exists()


def test_which_environments_have_a_display():
    assert has_display({"DISPLAY": ":0"}, "linux")
    assert has_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert has_display({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not has_display({}, "linux")
    assert has_display({}, "win32") and has_display({}, "darwin")


def test_a_search_running_past_its_time_limit_is_stopped_with_a_message(session):
    slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    with pytest.raises(QuerySyntaxError, match="took longer than 0.2 s"), time_limit(session, 0.2):
        session.execute(text(slow)).all()
    assert session.execute(text("SELECT 1")).scalar() == 1  # the session goes on


def test_a_prefix_finds_the_words_it_begins_though_the_index_stores_them_shorter(session):
    """ "cryptocurrencies" is stored as its stem "cryptocurr", which "cryptocurrenc*" does not begin."""
    assert normalise_query("cryptocurrenc*") == "(cryptocurrenc* OR cryptocurr*)"
    whole = {(h.kind, h.id) for h in search(session, "cryptocurrencies")}
    assert whole and {(h.kind, h.id) for h in search(session, "cryptocurrenc*")} == whole
    numbers = {
        r.number
        for r in session.scalars(
            select(schema.Recommendation).where(
                schema.Recommendation.id.in_(filtered_ids(session, RecommendationFilter(text="cryptocurrenc*")))
            )
        )
    }
    assert {"18", "22"} <= numbers
    assert normalise_query("marking*") == "marking*"  # already reaches "marking(s)", stored as "mark"
    assert normalise_query('"record keep*"') == '"record keep*"'  # a phrase stays as typed
