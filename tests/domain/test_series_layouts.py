"""Every layout of the series, imported and compared with the shipped report item by item.

Each variant is made from the shipped text by `tests.report_variants` and
imported by the same pipeline as a delegate's file. The comparison is on what
the delegate reads: the recommendations (with their sections), the deliberation
paragraphs, the speaker of every remark of every paragraph, and the links shown.
"""

from __future__ import annotations

import re

import pytest

from models.build.ingest import ingest_text
from models.db.library import open_library
from tests import report_variants as rv
from tests.series import Observed, masked, normaliser, observe

MARGIN = 0.02  # a link within this of the display threshold may go either way when the report's words change


def imported(tmp_path_factory, text: str, normal=masked) -> Observed:
    library = open_library(tmp_path_factory.mktemp("series") / "library.sqlite")
    try:
        with library.begin() as session:
            document = ingest_text(session, text, source_name="variant.txt", source_hash="variant")
            return observe(session, document.key, normal)
    finally:
        library.close()


@pytest.fixture(scope="module")
def shipped(tmp_path_factory, report_text) -> Observed:
    return imported(tmp_path_factory, report_text)


def run_on_older_layout(raw: str) -> str:
    """The older layout with "1. General recommendations 6. The United Nations ..." on one line."""
    text = rv.numbered_recommendations(rv.subsection_headings(raw))
    text = rv.run_on_first_subheading(text)
    assert re.search(r"(?m)^ 1\. General recommendations 6\. The United Nations", text)
    text = rv.retitle_chapter(text, "Recommendations", "Recommendations adopted by the Working Group")
    return rv.page_debris(text)


SAME_CONTENT = {
    "numbered recommendations, sub-sub-headings, page debris": rv.older_layout,
    "the same, a sub-heading run on into the first recommendation": run_on_older_layout,
    "chapter 'Conclusions and recommendations'": lambda raw: rv.retitle_chapter(
        raw, "Recommendations", "Conclusions and recommendations"
    ),
    "deliberations before recommendations": rv.deliberations_first,
    "deliberations first, numbered recommendations, page debris with a draft symbol": lambda raw: rv.older_layout(
        rv.deliberations_first(raw), draft="CTOC/COP/WG.6/2010/L.1"
    ),
}


@pytest.fixture(scope="module", params=sorted(SAME_CONTENT))
def same_content(request, tmp_path_factory, report_text) -> tuple[str, Observed]:
    return request.param, imported(tmp_path_factory, SAME_CONTENT[request.param](report_text))


def test_a_layout_changes_nothing_the_delegate_reads(same_content, shipped):
    _name, variant = same_content
    assert variant.recommendations == shipped.recommendations
    assert variant.paragraphs == shipped.paragraphs
    assert variant.speakers == shipped.speakers
    assert variant.links == pytest.approx(shipped.links)


def test_the_older_layout_has_numbered_sub_sections_and_no_page_debris(report_text, parsed_report):
    from models.parse.parser import parse_report

    report = parse_report(run_on_older_layout(report_text))
    subsections = [(s.label, s.parent, s.title) for s in report.sections if s.label.count(".") == 2]
    assert subsections == [
        ("II.A.1", "II.A", "General recommendations"),
        (
            "II.A.2",
            "II.A",
            "Recommendations on reducing illicit financial and arms flows to achieve target 16.4 of "
            "the Sustainable Development Goals",
        ),
        ("II.A.3", "II.A", "Recommendations on the application of the Firearms Protocol in the context of diversion"),
    ]
    assert [r.number for r in report.recommendations] == list(range(6, 6 + rv.RECOMMENDATIONS))
    texts = [r.text for r in report.recommendations] + [p.text for p in report.paragraphs]
    assert not [t for t in texts if re.search(r"V\.10-50502|\*1050502\*|\(E\)|WG\.6/2010/3|\s\d{1,2}$", t)]
    assert [r.text for r in report.recommendations] == [r.text for r in parsed_report.recommendations]


def test_a_report_without_a_panel_has_anonymous_speakers_and_named_states(tmp_path_factory, report_text, shipped):
    variant = imported(tmp_path_factory, rv.without_panel(report_text), lambda text: masked(rv.anonymous_again(text)))
    dropped = {text for _, text in shipped.paragraphs if re.match("|".join(rv.PANEL_PARAGRAPHS), text)}
    assert len(dropped) == 10
    assert variant.recommendations == shipped.recommendations
    assert variant.paragraphs == tuple(p for p in shipped.paragraphs if p[1] not in dropped)
    expected = {}
    for text, remarks in shipped.speakers.items():
        if text in dropped:
            continue
        state = next((speaker for opening, speaker in rv.NAMED_STATES.items() if text.startswith(opening)), None)
        if state:
            name = re.sub(r"^The (?:representative of|observer for the) ", "", state)
            remarks = (("delegation", name), *remarks[1:])
        expected[text] = remarks
    assert variant.speakers == expected
    assert not any(kind == "panellist" for remarks in variant.speakers.values() for kind, _ in remarks)
    assert all(paragraph not in dropped for _, paragraph in variant.links)
    # a link does not depend on the panel being there: each one to a paragraph that is still there stays
    assert {pair for pair in shipped.links if pair[1] not in dropped} <= set(variant.links)


@pytest.mark.parametrize("group", sorted(rv.GROUPS))
def test_reports_of_the_other_working_groups(tmp_path_factory, report_text, shipped, group):
    variant = imported(tmp_path_factory, rv.group_report(report_text, group), normaliser(group))
    own = rv.GROUP_RECOMMENDATIONS[group]
    assert variant.recommendations[: len(shipped.recommendations)] == shipped.recommendations
    assert [text for _, text in variant.recommendations[len(shipped.recommendations) :]] == [masked(t) for t in own]
    assert variant.paragraphs == shipped.paragraphs
    assert variant.speakers == shipped.speakers
    # The group's name changes the report's word weights: links may appear (the name is shared by a few
    # recommendations and remarks), and a link at the edge of the display threshold (0.15) may drop below
    # it; no link the shipped report shows with a margin is lost.
    lost = {pair: score for pair, score in shipped.links.items() if pair not in variant.links}
    assert all(score < 0.15 + MARGIN for score in lost.values()), lost
    assert len(lost) <= 1
    for text, topics in own.items():
        assert topics <= variant.topics[masked(text)], text
