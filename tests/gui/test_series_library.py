"""A library of several reports of the series: contents, recurrences, filters and groups of reports.

The shipped 2021 report, the same report in the older layout as the 2019 meeting,
the 2022 report (recommendations revised and new) and the 2022 report of the
Working Group on Trafficking in Persons.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop.views.filter_bar import FilterBar
from models.build.importing import import_reports
from models.build.recurrence import recurrences
from models.db import schema
from models.queries import corpus as queries
from models.queries.filters import RecommendationFilter, filtered_ids, topic_counts
from tests import report_variants as rv

FIREARMS = "Working Group on Firearms"


@pytest.fixture
def series(library, tmp_path, report_text):
    files = {
        "wg-firearms-2019.txt": rv.move_meeting(rv.older_layout(report_text), "Vienna", (16, 17, 18), "July", 2019),
        "wg-firearms-2022.txt": rv.firearms_2022(report_text),
        "wg-tip-2022.txt": rv.group_report(report_text, "Trafficking in Persons"),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = import_reports(library, [tmp_path / name for name in files])
    assert result.failed == ()
    with library.begin() as session:
        yield session


def test_the_library_holds_each_report_with_its_group_and_year(series):
    rows = queries.documents(series)
    assert [(row.group, row.year) for row in rows] == [
        (FIREARMS, 2021),
        (FIREARMS, 2019),
        (FIREARMS, 2022),
        ("Working Group on Trafficking in Persons", 2022),
    ]
    nodes = queries.document_nodes(series)
    assert [node.count for node in nodes] == [47 + 57, 47 + 104, 47 + 57, 49 + 57]
    older = {node.key: node for node in queries.document_tree(series, rows[1].id)}
    general = next(node for node in older.values() if node.title == "II.A.1. General recommendations")
    assert older[general.parent].title == "II.A. Recommendations on the substantive agenda items"
    assert older[older[general.parent].parent].title == "II. Recommendations adopted by the Working Group"
    assert general.count == 4 + 4  # recommendations 6-9, each also listed as its numbered paragraph


def test_a_recommendation_recurs_in_every_report_that_repeats_it(series):
    rows = {row.year if row.group == FIREARMS else "tip": row for row in queries.documents(series)}
    numbers = {
        key: dict(
            series.execute(
                select(schema.Recommendation.number, schema.Recommendation.id).where(schema.Recommendation.document_id == row.id)
            ).all()
        )
        for key, row in rows.items()
    }
    first = rv.REPEATED[0]
    in_2022 = recurrences(series, numbers[2022][str(first)])
    assert {(r.other_document_key, r.other_number) for r in in_2022} >= {
        (rows[2021].key, str(first)),
        (rows[2019].key, str(first + 5)),
    }
    assert all(r.identical for r in in_2022 if r.other_document_key in (rows[2021].key, rows[2019].key))
    revised = recurrences(series, numbers[2022][str(rv.REVISED[0])])
    assert {(r.other_document_key, r.identical) for r in revised} >= {(rows[2021].key, False), (rows[2019].key, False)}


def test_filters_work_over_all_reports_and_over_groups_of_them(series, qtbot):
    rows = queries.documents(series)
    bar = FilterBar(queries.topics(series), queries.speakers(series), queries.origins(series), rows)
    qtbot.addWidget(bar)
    offered = [bar.document.itemText(i) for i in range(bar.document.count())]
    assert offered[:3] == ["All documents", "Firearms: all 3 reports", "2022: all 2 reports"]
    assert offered[3:] == ["Firearms 2021", "Firearms 2019", "Firearms 2022", "Trafficking in Persons 2022"]

    everything = filtered_ids(series, bar.filter())
    assert len(everything) == 47 * 3 + 49
    bar.document.setCurrentIndex(1)
    firearms = bar.filter()
    assert firearms.document_ids == tuple(row.id for row in rows if row.group == FIREARMS)
    assert len(filtered_ids(series, firearms)) == 47 * 3
    bar.document.setCurrentIndex(2)
    assert len(filtered_ids(series, bar.filter())) == 47 + 49

    with_topic = RecommendationFilter(topics=frozenset({"victims"}))
    victims = filtered_ids(series, with_topic)
    tip = next(row.id for row in rows if row.group != FIREARMS)
    owners = set(series.scalars(select(schema.Recommendation.document_id).where(schema.Recommendation.id.in_(victims))))
    assert tip in owners and topic_counts(series, with_topic)["victims"] == len(victims)

    bar.set_filter(firearms)
    assert bar.document.currentIndex() == 1 and bar.filter() == firearms
