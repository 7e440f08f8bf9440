"""The parser on other reports of the series (tests/report_variants.py): sibling groups, layouts, wordings."""

from __future__ import annotations

import datetime as dt

import pytest

from models.parse import records
from models.parse.parser import parse_report
from tests import report_variants as rv
from tests import variants


@pytest.fixture(scope="module")
def trafficking(report_text) -> records.Report:
    return parse_report(rv.trafficking_2022(report_text))


def _names(report: records.Report) -> list[tuple[str, str]]:
    return [(p.name, p.kind) for p in report.participants]


def test_sibling_group_title_place_and_dates(trafficking):
    assert trafficking.title == (
        "Report on the meeting of the Working Group on Trafficking in Persons held in Geneva from 6 to 8 July 2022"
    )
    assert (trafficking.place, trafficking.start_date, trafficking.end_date) == (
        "Geneva",
        dt.date(2022, 7, 6),
        dt.date(2022, 7, 8),
    )


def test_sibling_group_numbered_recommendations_under_lettered_sections(trafficking, parsed_report):
    assert [s.label for s in trafficking.sections] == [s.label for s in parsed_report.sections]
    assert [r.number for r in trafficking.recommendations] == list(range(6, 6 + rv.RECOMMENDATIONS))
    for new, old in zip(trafficking.recommendations, parsed_report.recommendations):
        assert new.section == old.section
        assert new.text == old.text.replace("Working Group on Firearms", "Working Group on Trafficking in Persons")
        assert new.subitems == old.subitems
    assert len(trafficking.paragraphs) == len(parsed_report.paragraphs) + rv.RECOMMENDATIONS


def test_sibling_group_attendance_in_other_words(trafficking, parsed_report):
    assert _names(trafficking) == _names(parsed_report)
    assert [(s.agenda_item, s.name, s.capacity) for s in trafficking.statements] == [
        (s.agenda_item, s.name, s.capacity) for s in parsed_report.statements
    ]


@pytest.mark.parametrize(
    "layout",
    [
        lambda text: variants.add_page_furniture(
            variants.rewrap(text, 70), symbol="CTOC/COP/WG.4/2022/3", job_number="V.22-01234"
        ),
        lambda text: variants.crlf(
            variants.add_page_furniture(
                variants.rewrap(text, 100), every=38, symbol="CTOC/COP/WG.4/2022/3", job_number="V.22-01234"
            )
        ),
    ],
    ids=["70 columns, hyphenated, headers and footers", "100 columns, CRLF"],
)
def test_sibling_group_with_running_headers_footers_and_hyphenation(report_text, trafficking, layout):
    report = parse_report(layout(rv.trafficking_2022(report_text)))
    assert report.symbol == "CTOC/COP/WG.4/2022/3"
    assert report.recommendations == trafficking.recommendations
    assert report.paragraphs == trafficking.paragraphs
    assert report.participants == trafficking.participants


def test_fewer_sections(report_text, parsed_report):
    report = parse_report(rv.drop_last_recommendation_section(report_text))
    labels = [s.label for s in report.sections]
    assert "II.D" not in labels and "III.D" in labels
    assert len(report.recommendations) == len([r for r in parsed_report.recommendations if r.section != "II.D"])
    assert report.paragraphs == parsed_report.paragraphs


def test_more_sections(report_text, parsed_report):
    report = parse_report(rv.split_first_recommendation_section(report_text, 3, "Cooperation and information exchange"))
    assert [(s.label, s.title) for s in report.sections if s.parent == "II"][:2] == [
        ("II.A", "General recommendations"),
        ("II.B", "Cooperation and information exchange"),
    ]
    assert [s.label for s in report.sections if s.parent == "II"] == ["II.A", "II.B", "II.C", "II.D", "II.E"]
    assert [(r.number, r.section) for r in report.recommendations[:4]] == [(1, "II.A"), (2, "II.A"), (3, "II.B"), (4, "II.B")]
    assert [r.text for r in report.recommendations] == [r.text for r in parsed_report.recommendations]


@pytest.mark.parametrize("kind", sorted(rv.ATTENDANCE_WORDINGS))
def test_each_attendance_wording(report_text, parsed_report, kind):
    old, new = rv.ATTENDANCE_WORDINGS[kind]
    import re

    text = re.sub(r"\s+".join(map(re.escape, old.split())), new, report_text)
    assert text != report_text
    assert _names(parse_report(text)) == _names(parsed_report)


def test_statements_are_not_taken_for_attendance(parsed_report):
    assert not any(p.kind == records.PARTY and p.name.startswith("Under") for p in parsed_report.participants)


def test_revised_report_keeps_its_structure(report_text, parsed_report):
    report = parse_report(rv.firearms_2022(report_text))
    assert report.start_date == dt.date(2022, 5, 3)
    assert len(report.recommendations) == rv.RECOMMENDATIONS
    assert report.recommendations[20].text == rv.NEW_RECOMMENDATIONS[21]
    assert report.recommendations[0] == parsed_report.recommendations[0]
