"""Recommendations recurring across reports: links between the shipped report and a revised 2022 report."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.build.importing import import_reports
from models.build.recurrence import DELETE, EQUAL, INSERT, THRESHOLD, recurrences, word_diff
from models.db import schema
from tests import report_variants

FIREARMS_2021 = "working-group-on-firearms/2021-05-10"
FIREARMS_2022 = "working-group-on-firearms/2022-05-03"


@pytest.fixture
def both(library, tmp_path, report_text):
    """The shipped library plus the 2022 report, imported."""
    path = tmp_path / "wg-firearms-2022.txt"
    path.write_text(report_variants.firearms_2022(report_text), encoding="utf-8")
    result = import_reports(library, [path])
    assert result.failed == ()
    return library, result.imported[0]


def _ids(session, key: str) -> dict[str, int]:
    rows = session.execute(
        select(schema.Recommendation.number, schema.Recommendation.id)
        .join(schema.Document, schema.Document.id == schema.Recommendation.document_id)
        .where(schema.Document.key == key)
    )
    return dict(rows.all())


def test_repeated_recommendations_link_to_their_first_appearance(both):
    library, imported = both
    assert imported.recurrences >= len(report_variants.REPEATED)
    with library.begin() as session:
        new, old = _ids(session, FIREARMS_2022), _ids(session, FIREARMS_2021)
        for number in report_variants.REPEATED:
            (row,) = recurrences(session, new[str(number)])
            assert (row.other_document_key, row.other_number, row.other_id) == (FIREARMS_2021, str(number), old[str(number)])
            assert row.score == pytest.approx(1.0) and row.identical and row.earlier


def test_revised_recommendations_link_with_a_lower_score_and_a_diff(both):
    library, _ = both
    with library.begin() as session:
        new = _ids(session, FIREARMS_2022)
        for number in report_variants.REVISED:
            (row,) = recurrences(session, new[str(number)])
            assert row.other_number == str(number)
            assert THRESHOLD <= row.score < 1 and not row.identical
            text = session.get(schema.Recommendation, new[str(number)]).text
            diff = word_diff(row.other_text, text)
            assert {op for op, _ in diff} == {EQUAL, DELETE, INSERT}
            assert diff[-1][0] == INSERT and diff[-1][1].endswith("report on progress at the next meeting of the Working Group.")
            assert " ".join(t for op, t in diff if op != DELETE) == " ".join(text.split())


def test_new_recommendations_recur_nowhere(both):
    library, _ = both
    with library.begin() as session:
        new = _ids(session, FIREARMS_2022)
        for number in report_variants.NEW_RECOMMENDATIONS:
            assert recurrences(session, new[str(number)]) == []


def test_links_are_stored_both_ways_and_sub_items_link_to_sub_items(both):
    library, _ = both
    with library.begin() as session:
        new, old = _ids(session, FIREARMS_2022), _ids(session, FIREARMS_2021)
        (row,) = recurrences(session, old["1"])
        assert (row.other_document_key, row.other_number, row.earlier) == (FIREARMS_2022, "1", False)
        assert [r.other_number for r in recurrences(session, new["47a"])] == ["47a"]
        pairs = session.execute(select(schema.Recurrence.recommendation_id, schema.Recurrence.other_id)).all()
        assert set(pairs) == {(b, a) for a, b in pairs}


def test_replacing_a_report_replaces_its_links(both, tmp_path):
    library, _ = both
    with library.begin() as session:
        count = session.scalar(select(func.count(schema.Recurrence.id)))
    path = tmp_path / "wg-firearms-2022.txt"
    (again,) = import_reports(library, [path], replace=True).imported
    assert again.replaced
    with library.begin() as session:
        assert session.scalar(select(func.count(schema.Recurrence.id))) == count
        ids = set(session.scalars(select(schema.Recommendation.id)))
        assert all(r.recommendation_id in ids and r.other_id in ids for r in session.scalars(select(schema.Recurrence)))


def test_a_single_report_has_no_recurrences(session):
    assert session.scalar(select(func.count(schema.Recurrence.id))) == 0


# --- word diff -----------------------------------------------------------------------------------


def test_word_diff_identical():
    assert word_diff("States should act.", "States  should act.") == [(EQUAL, "States should act.")]


def test_word_diff_replacement_insert_and_delete():
    old = "States should consider marking firearms at import."
    new = "States are encouraged to consider marking firearms and ammunition."
    assert word_diff(old, new) == [
        (EQUAL, "States"),
        (DELETE, "should"),
        (INSERT, "are encouraged to"),
        (EQUAL, "consider marking firearms"),
        (DELETE, "at import."),
        (INSERT, "and ammunition."),
    ]


@pytest.mark.parametrize(("old", "new"), [("", "New text."), ("Old text.", ""), ("a b c d", "b x d e")])
def test_word_diff_rebuilds_both_texts(old, new):
    diff = word_diff(old, new)
    assert " ".join(t for op, t in diff if op != INSERT) == old
    assert " ".join(t for op, t in diff if op != DELETE) == new
