"""The briefing as HTML (print and PDF), include options, file writing, and the clipboard table: text alone."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace

import pytest

from models.briefing.contents import (
    Briefing,
    BriefingItem,
    BriefingLink,
    BriefingRemark,
    EmptyBriefingError,
    ExportCancelled,
    SubItemAnnotations,
)
from models.briefing.html import briefing_html, recommendations_table_html, recommendations_text
from models.briefing.output import BriefingOptions, apply_options, write_briefing_file
from models.queries.corpus import RecommendationRow, TopicChip

REMARK = BriefingRemark(
    speaker="Miguel Angel Fuentes Peniza",
    group="Latin American and Caribbean States",
    paragraph=9,
    text="Online sales <of> parts & components were a growing concern.",
    score=0.8,
    source="automatic",
)
ITEM_18 = BriefingItem(
    document_key="wg/2021",
    number="18",
    section="II.B",
    section_title="Online trafficking",
    text="States should monitor online sales.",
    topics=(("new_technologies", "New technologies"),),
    position="support",
    note="Raise at the side event",
    priority=True,
    remarks=(REMARK,),
)
ITEM_47 = BriefingItem(
    document_key="wg/2021",
    number="47",
    section="II.C",
    section_title="Cooperation",
    text="States should:",
    subitems=(("47a", "Share data;"), ("47b", "Train officers.")),
)


def briefing(*items: BriefingItem, grouping: str = "section") -> Briefing:
    return Briefing(
        title="Briefing",
        meeting="Working Group on Firearms",
        symbol="CTOC/COP/WG.6/2021/4",
        generated=dt.date(2024, 5, 2),
        filters=("Search: online",),
        grouping=grouping,
        items=items,
    )


def test_html_has_the_headings_attributions_and_annotations_of_the_word_export():
    html = briefing_html(briefing(ITEM_18, ITEM_47))
    assert "<h1>Briefing</h1>" in html
    assert "Working Group on Firearms — CTOC/COP/WG.6/2021/4 — 2 May 2024" in html
    assert "<h2>II.B. Online trafficking</h2>" in html and "<h2>II.C. Cooperation</h2>" in html
    assert "<h3>Recommendation 18</h3>" in html
    assert "<b>Miguel Angel Fuentes Peniza, Latin American and Caribbean States (para. 9):</b>" in html
    assert "Online sales &lt;of&gt; parts &amp; components" in html  # escaped
    assert "<b>Position:</b> Support" in html and "<b>Note:</b> Raise at the side event" in html
    assert "<li>(a) Share data;</li>" in html and "<li>(b) Train officers.</li>" in html
    assert "<b>Selection:</b> Search: online" in html


def test_html_grouped_by_topic_names_the_section_under_each_item():
    html = briefing_html(briefing(ITEM_18, ITEM_47, grouping="topic"))
    assert html.index("<h2>New technologies</h2>") < html.index("<h2>Other recommendations</h2>")
    assert "<b>Section:</b> II.B. Online trafficking" in html


def test_options_leave_out_remarks_annotations_and_sub_items():
    full = briefing(replace(ITEM_18, links=(BriefingLink("18", REMARK),)), ITEM_47)
    assert apply_options(full, BriefingOptions()) is full
    bare = apply_options(full, BriefingOptions(remarks=False, annotations=False, subitems=False))
    first, second = bare.items
    assert first.remarks == () and first.links == () and first.note is None and first.position is None and not first.priority
    assert second.subitems == ()
    assert first.text == ITEM_18.text and first.topics == ITEM_18.topics
    html = briefing_html(bare)
    assert "para. 9" not in html and "Note:" not in html and "Share data" not in html


ITEM_47_ANNOTATED = replace(
    ITEM_47, subitem_annotations=(SubItemAnnotations("47b", position="oppose", note="Too costly & slow"),), selected=("47b",)
)


def test_html_puts_a_sub_items_annotations_under_it_and_marks_the_selected_one():
    html = briefing_html(briefing(ITEM_47_ANNOTATED))
    assert "<b>Selected:</b> sub-item (b) only (in bold)" in html
    assert "<li><b>(b) Train officers.</b><br><b>Position (b):</b> Oppose<br><b>Note (b):</b> Too costly &amp; slow</li>" in html
    assert "<li>(a) Share data;</li>" in html


def test_options_leave_out_a_sub_items_annotations_with_the_annotations_or_the_sub_items():
    value = briefing(ITEM_47_ANNOTATED)
    (without_annotations,) = apply_options(value, BriefingOptions(annotations=False)).items
    assert without_annotations.subitem_annotations == () and without_annotations.selected == ("47b",)
    (without_subitems,) = apply_options(value, BriefingOptions(subitems=False)).items
    assert without_subitems.subitem_annotations == () and without_subitems.selected == ()
    assert "Selected:" not in briefing_html(apply_options(value, BriefingOptions(subitems=False)))


def test_write_csv_file_per_link_and_cancel_leaves_no_file(tmp_path):
    path = write_briefing_file(briefing(ITEM_18, ITEM_47), tmp_path / "b.csv", "csv", per="link")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [(r["recommendation"], r["paragraph"]) for r in rows] == [("18", "9")]
    with pytest.raises(ExportCancelled):
        write_briefing_file(briefing(ITEM_18), tmp_path / "c.csv", "csv", cancelled=lambda: True)
    with pytest.raises(ExportCancelled):
        write_briefing_file(briefing(ITEM_18), tmp_path / "c.docx", "docx", cancelled=lambda: True)
    with pytest.raises(EmptyBriefingError):
        write_briefing_file(briefing(), tmp_path / "d.csv", "csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.csv"]


def test_clipboard_table_and_tab_separated_text():
    chips = (TopicChip("new_technologies", "New technologies", 3), TopicChip("gender", "Gender", 5))
    row = RecommendationRow(
        id=1,
        document_id=1,
        number="18",
        section_label="II.B",
        section_title="Online",
        text="States should\tmonitor <online> sales.",
        topics=chips,
        remark_count=1,
        speaker_count=1,
        sub_item_count=0,
    )
    rows = [row, replace(row, id=2, number="44", topics=())]
    html = recommendations_table_html(rows)
    assert "<th>Number</th><th>Recommendation</th><th>Topics</th>" in html
    assert "<td>18</td><td>States should\tmonitor &lt;online&gt; sales.</td><td>New technologies; Gender</td>" in html
    text = recommendations_text(rows)
    assert text.splitlines() == [
        "Number\tRecommendation\tTopics",
        "18\tStates should monitor <online> sales.\tNew technologies; Gender",
        "44\tStates should monitor <online> sales.\t",
    ]
