"""The briefing writers (Word and CSV), fed with text from the 2021 firearms working-group report."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
import zipfile
from dataclasses import replace

import docx
import pytest
from docx.oxml.ns import qn

from models.briefing.contents import (
    Briefing,
    BriefingItem,
    BriefingLink,
    BriefingRemark,
    EmptyBriefingError,
    ExportCancelled,
    SeeAlso,
    group_items,
)
from models.briefing.spreadsheet import LINK_COLUMNS, RECOMMENDATION_COLUMNS, write_briefing_csv
from models.briefing.word import write_docx
from models.csvio import read_csv

SECTION_B = (
    "Recommendations on reducing illicit financial and arms flows to achieve target 16.4 of the Sustainable Development Goals"
)
SECTION_D = "Recommendations based on the follow-up to the results of the previous meetings of the Working Group on Firearms"

RECOMMENDATION_18 = (
    "Acknowledging that illicit firearms are occasionally purchased on the darknet and paid for with "
    "cryptocurrencies, States are invited to promote, adopt, improve and implement existing applicable "
    "international obligations and standards for the regulation of all kinds of assets to prevent illicit "
    "firearms trafficking."
)
PARAGRAPH_9 = (
    "The representative of the Group of Western European and other States delivered a presentation on the use "
    "of cryptocurrencies as a means of payment in illicit firearms trafficking, including the purchase of "
    "weapons from the darknet and the laundering of proceeds of crime."
)
PARAGRAPH_15 = (
    "One speaker stressed the importance of making more use of the possibility of civil or non-conviction-based "
    "asset forfeiture and recommended that those States that had relevant legislation on asset forfeiture "
    "consider its application in investigations related to illicit firearms trafficking."
)
RECOMMENDATION_15 = (
    "States should establish, as appropriate, national strategies and standing operational procedures on "
    "inter-institutional coordination among arms control, customs and law-enforcement authorities, prosecutors "
    "and financial intelligence units for effective investigations into illicit firearms trafficking and related crimes."
)
RECOMMENDATION_47 = "Possible topics for consideration by the Working Group in its future sessions:"
SUBITEMS_47 = (
    (
        "47a",
        "Addressing and mainstreaming gender perspectives in preventing and countering the illicit "
        "manufacturing of and trafficking in firearms, their parts and components and ammunition;",
    ),
    (
        "47b",
        "Promoting victim-centred approaches in the area of preventing and countering illicit manufacturing "
        "of and trafficking in firearms, their parts and components and ammunition;",
    ),
    (
        "47k",
        "Supporting the establishment of national firearms focal points to act as liaisons between States "
        "and to foster international cooperation (article 13 of the Firearms Protocol) and capacity-building.",
    ),
)

FUENTES = BriefingRemark(
    "Miguel Angel Fuentes Peniza", "Group of Western European and other States", 9, PARAGRAPH_9, 0.82, "automatic"
)
ONE_SPEAKER = BriefingRemark("one speaker", None, 15, PARAGRAPH_15, 1.0, "curated")
NON_LATIN_NOTE = "Arabic توصية; Cyrillic рекомендация; Chinese 建议"
FORMULA_NOTES = ("=SUM(A1)", "+1", "-x", "@x")


def item_18(**changes) -> BriefingItem:
    fields = dict(
        document_key="wg-firearms-2021",
        number="18",
        section="II.B",
        section_title=SECTION_B,
        text=RECOMMENDATION_18,
        topics=(("finance", "Illicit financial flows"), ("online", "Darknet and online trade")),
        position="support",
        note=NON_LATIN_NOTE,
        priority=True,
        remarks=(FUENTES,),
    )
    return BriefingItem(**{**fields, **changes})


def item_15(**changes) -> BriefingItem:
    fields = dict(
        document_key="wg-firearms-2021",
        number="15",
        section="II.B",
        section_title=SECTION_B,
        text=RECOMMENDATION_15,
        topics=(("finance", "Illicit financial flows"),),
        position="needs_instructions",
        note="=SUM(A1)",
        remarks=(ONE_SPEAKER,),
    )
    return BriefingItem(**{**fields, **changes})


def item_47(**changes) -> BriefingItem:
    fields = dict(
        document_key="wg-firearms-2021",
        number="47",
        section="II.D",
        section_title=SECTION_D,
        text=RECOMMENDATION_47,
        subitems=SUBITEMS_47,
    )
    return BriefingItem(**{**fields, **changes})


def briefing(*items: BriefingItem, grouping: str = "section") -> Briefing:
    return Briefing(
        title="Briefing: Working Group on Firearms",
        meeting="Working Group on Firearms, Vienna, 10\u201312 May 2021",
        symbol="CTOC/COP/WG.6/2021/4",
        generated=datetime.date(2024, 5, 2),
        filters=("Topic: Illicit financial flows", "Position: any"),
        grouping=grouping,
        items=items,
    )


def paragraphs(path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def instructions(element) -> list[str]:
    return [node.text.strip() for node in element.iter(qn("w:instrText"))]


# --- grouping -------------------------------------------------------------------------------------------


def test_section_grouping_keeps_first_appearance_order():
    groups = group_items(briefing(item_47(), item_18(), item_15()))
    assert [(heading, [i.number for i in items]) for heading, items in groups] == [
        (f"II.D. {SECTION_D}", ["47"]),
        (f"II.B. {SECTION_B}", ["18", "15"]),
    ]


def outline_of(groups) -> list[tuple[str, list[str]]]:
    """(heading, ["18", "see 18"]) per group: an item in full by its number, a cross-reference as "see N"."""
    return [
        (heading, [f"see {e.item.number}" if isinstance(e, SeeAlso) else e.number for e in entries])
        for heading, entries in groups
    ]


def test_topic_grouping_prints_an_item_once_and_refers_to_it_under_its_other_topics():
    groups = group_items(briefing(item_47(), item_18(), item_15(), grouping="topic"))
    assert outline_of(groups) == [
        ("Illicit financial flows", ["18", "15"]),
        ("Darknet and online trade", ["see 18"]),
        ("Other recommendations", ["47"]),
    ]
    assert groups[1][1][0].line() == "Recommendation 18 \u2014 see under Illicit financial flows"


def test_topic_grouping_of_selected_topics_has_only_their_headings():
    selected = replace(briefing(item_18(), item_15(), grouping="topic"), topics=("online",))
    assert outline_of(group_items(selected)) == [("Darknet and online trade", ["18"]), ("Other recommendations", ["15"])]


def test_no_grouping_keeps_the_given_order_and_unknown_grouping_is_refused():
    assert [[i.number for i in items] for _, items in group_items(briefing(item_47(), item_15(), grouping="none"))] == [
        ["47", "15"]
    ]
    with pytest.raises(ValueError, match="grouping"):
        group_items(briefing(item_18(), grouping="chapter"))


# --- Word -----------------------------------------------------------------------------------------------


def test_docx_holds_headings_text_subitems_and_quoted_remarks(tmp_path):
    dest = tmp_path / "briefing.docx"
    write_docx(briefing(item_18(), item_15(), item_47()), dest)
    content = paragraphs(dest)
    texts = [text for _, text in content]

    assert content[0] == ("Title", "Briefing: Working Group on Firearms")
    assert "CTOC/COP/WG.6/2021/4" in texts[1] and "10\u201312 May 2021" in texts[1] and "2 May 2024" in texts[1]
    assert "Topic: Illicit financial flows; Position: any" in texts[2]

    assert [t for s, t in content if s == "Heading 1"] == [f"II.B. {SECTION_B}", f"II.D. {SECTION_D}"]
    assert [t for s, t in content if s == "Heading 2"] == ["Recommendation 18", "Recommendation 15", "Recommendation 47"]
    start = content.index(("Heading 2", "Recommendation 18"))
    assert RECOMMENDATION_18 in texts[start : content.index(("Heading 2", "Recommendation 15"))]
    assert "Topics: Illicit financial flows; Darknet and online trade" in texts
    assert "Position: Support" in texts and "Position: Needs instructions" in texts
    assert f"Note: {NON_LATIN_NOTE}" in texts
    assert "Note: =SUM(A1)" in texts

    assert [t for s, t in content if s == "List Bullet"] == [f"({label[-1]}) {text}" for label, text in SUBITEMS_47]
    quotes = [t for s, t in content if s == "Quote"]
    assert quotes == [
        f"Miguel Angel Fuentes Peniza, Group of Western European and other States (para. 9): {PARAGRAPH_9}",
        f"one speaker (para. 15): {PARAGRAPH_15}",
    ]
    assert "para. 9" in quotes[0]


def test_docx_opens_with_its_contents_filled_and_page_x_of_y_in_the_footer(tmp_path):
    dest = tmp_path / "briefing.docx"
    write_docx(briefing(item_18(), item_15(), item_47()), dest)
    document = docx.Document(str(dest))

    toc = [i for i in instructions(document.element.body) if i.startswith("TOC")]
    assert toc == ['TOC \\o "1-2" \\h \\z \\u']
    texts = [p.text for p in document.paragraphs]
    assert "Right-click to update the table of contents" not in texts
    # the field's result is already the list: each heading, in order, linked to a bookmark on its heading
    entries = [(p.style.name, p.text) for p in document.paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    headings = [
        (p.style.name.replace("Heading", "TOC"), p.text)
        for p in document.paragraphs
        if p.style.name in ("Heading 1", "Heading 2")
    ]
    assert entries == headings and ("TOC 2", "Recommendation 47") in entries
    body = document.element.body
    anchors = body.xpath(".//w:hyperlink/@w:anchor")
    bookmarks = body.xpath(".//w:bookmarkStart/@w:name")
    assert anchors == bookmarks and len(anchors) == len(headings)
    assert texts.index("Contents") < texts.index(entries[0][1]) < texts.index("Recommendation 18", texts.index("Contents") + 2)

    footer = document.sections[0].footer
    assert instructions(footer._element) == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[0].text == "Page 1 of 1"


def test_docx_topic_grouping_prints_an_item_once_and_a_line_under_its_other_topics(tmp_path):
    dest = tmp_path / "briefing.docx"
    write_docx(briefing(item_18(), item_47(), grouping="topic"), dest)
    content = paragraphs(dest)
    outline = [t for s, t in content if s in ("Heading 1", "Heading 2")]
    assert outline == [
        "Illicit financial flows",
        "Recommendation 18",
        "Darknet and online trade",
        "Other recommendations",
        "Recommendation 47",
    ]
    texts = [t for _, t in content]
    darknet = content.index(("Heading 1", "Darknet and online trade"))
    assert texts[darknet + 1] == "Recommendation 18 \u2014 see under Illicit financial flows"
    assert texts.count(RECOMMENDATION_18) == 1
    assert f"Section: II.B. {SECTION_B}" in [t for _, t in content]


def test_docx_drops_characters_xml_forbids(tmp_path):
    dirty = "Recommen\x00da\x07tion\x0b \x0c\x1ftext\ufffe\uffff\ud800 end"
    remark = BriefingRemark(
        "Miguel\x01 Angel Fuentes Peniza",
        "Group\x1b of Western European and other States",
        9,
        "cryptocurrencies\x08 and\tthe darknet",
        0.5,
        "automatic",
    )
    dest = tmp_path / "dirty.docx"
    write_docx(briefing(item_18(text=dirty, note="note\x0e\udfff", remarks=(remark,))), dest)

    texts = [t for _, t in paragraphs(dest)]
    assert "Recommendation\n \ntext end" in texts  # a vertical tab and a form feed: line breaks
    assert "Note: note" in texts
    assert (
        "Miguel Angel Fuentes Peniza, Group of Western European and other States (para. 9): cryptocurrencies and\tthe darknet"
    ) in texts


def test_docx_line_breaks_become_breaks_not_lost(tmp_path):
    dest = tmp_path / "breaks.docx"
    write_docx(briefing(item_18(note="first line\nsecond line\x0bpasted from Word\x0cnext page")), dest)
    assert "Note: first line\nsecond line\npasted from Word\nnext page" in [t for _, t in paragraphs(dest)]


def test_progress_is_reported_per_item(tmp_path):
    calls = []
    write_docx(
        briefing(item_18(), item_15(), item_47()), tmp_path / "b.docx", progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_cancelling_leaves_no_file(tmp_path):
    dest = tmp_path / "cancelled.docx"
    calls = []
    with pytest.raises(ExportCancelled):
        write_docx(
            briefing(item_18(), item_15(), item_47()),
            dest,
            progress=lambda done, total: calls.append(done),
            cancelled=lambda: len(calls) >= 1,
        )
    assert calls == [1]
    assert list(tmp_path.iterdir()) == []


def test_cancelling_keeps_an_existing_file_untouched(tmp_path):
    dest = tmp_path / "briefing.docx"
    dest.write_bytes(b"previous briefing")
    with pytest.raises(ExportCancelled):
        write_docx(briefing(item_18()), dest, cancelled=lambda: True)
    assert dest.read_bytes() == b"previous briefing"
    assert list(tmp_path.iterdir()) == [dest]


def test_writing_replaces_an_existing_file_and_leaves_no_temporary(tmp_path):
    dest = tmp_path / "briefing.docx"
    dest.write_bytes(b"previous briefing")
    write_docx(briefing(item_18()), dest)
    assert zipfile.is_zipfile(dest)
    assert list(tmp_path.iterdir()) == [dest]


def test_docx_to_a_binary_stream():
    stream = io.BytesIO()
    write_docx(briefing(item_47()), stream)
    stream.seek(0)
    assert "Recommendation 47" in [p.text for p in docx.Document(stream).paragraphs]


def test_empty_briefing_is_refused(tmp_path):
    dest = tmp_path / "empty.docx"
    with pytest.raises(EmptyBriefingError, match="Nothing to export: the selection is empty."):
        write_docx(briefing(), dest)
    assert not dest.exists()
    assert issubclass(EmptyBriefingError, ValueError)
    with pytest.raises(EmptyBriefingError):
        write_briefing_csv(briefing(), io.StringIO())


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice not installed")
def test_libreoffice_converts_the_docx_to_pdf(tmp_path):
    source = tmp_path / "briefing.docx"
    write_docx(briefing(item_18(), item_15(), item_47(), grouping="topic"), source)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "briefing.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


# --- CSV ------------------------------------------------------------------------------------------------


def formula_items() -> list[BriefingItem]:
    return [item_15(number=str(60 + n), note=note) for n, note in enumerate(FORMULA_NOTES)]


def write_csv_file(tmp_path, value: Briefing, per: str):
    path = tmp_path / f"{per}.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        count = write_briefing_csv(value, stream, per=per)
    return path, count


def test_csv_per_recommendation_round_trip(tmp_path):
    value = briefing(item_18(), item_47(), *formula_items())
    path, count = write_csv_file(tmp_path, value, "recommendation")
    assert count == 6
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    with open(path, encoding="utf-8-sig", newline="") as stream:
        raw = list(csv.reader(stream))
    assert tuple(raw[0]) == RECOMMENDATION_COLUMNS
    first = ("document", "number", "section", "text", "subitems", "topics", "position", "priority", "note", "remarks")
    assert tuple(raw[0][:12]) == (*first, "speakers", "paragraphs")  # new columns go at the end
    rows = [dict(zip(raw[0], row)) for row in raw[1:]]
    assert rows[0] == {
        "document": "wg-firearms-2021",
        "number": "18",
        "section": "II.B",
        "text": RECOMMENDATION_18,
        "subitems": "",
        "topics": "finance;online",
        "position": "support",
        "priority": "yes",
        "note": NON_LATIN_NOTE,
        "remarks": "1",
        "speakers": "Miguel Angel Fuentes Peniza",
        "paragraphs": "9",
        "subitem_positions": "",
        "subitem_priorities": "",
        "subitem_notes": "",
        "selected": "",
    }
    assert rows[1]["subitems"].splitlines() == [f"({label[-1]}) {text}" for label, text in SUBITEMS_47]
    assert rows[1]["remarks"] == "0" and rows[1]["position"] == "" and rows[1]["priority"] == "no"
    # Formula-like cells are guarded for spreadsheets ...
    assert [row["note"] for row in rows[2:]] == [f"'{note}" for note in FORMULA_NOTES]

    # ... and read_csv gives back exactly what was typed.
    with open(path, encoding="utf-8", newline="") as stream:
        back = read_csv(stream)
    assert [row["note"] for row in back] == [NON_LATIN_NOTE, "", *FORMULA_NOTES]
    assert back[1]["subitems"].splitlines()[0].startswith("(a) Addressing and mainstreaming gender")


def test_csv_speakers_and_paragraphs_are_joined(tmp_path):
    two = item_18(remarks=(ONE_SPEAKER, FUENTES, FUENTES))
    path, _ = write_csv_file(tmp_path, briefing(two), "recommendation")
    with open(path, encoding="utf-8", newline="") as stream:
        (row,) = read_csv(stream)
    assert row["remarks"] == "3"
    assert row["speakers"] == "one speaker;Miguel Angel Fuentes Peniza"
    assert row["paragraphs"] == "9;15"


def test_csv_per_link_round_trip(tmp_path):
    value = briefing(item_18(), item_15(remarks=(BriefingRemark("@x", None, 15, "-x says =SUM(A1)", 0.5, "curated"),)), item_47())
    path, count = write_csv_file(tmp_path, value, "link")
    assert count == 2  # recommendation 47 has no remark
    with open(path, encoding="utf-8-sig", newline="") as stream:
        raw = list(csv.reader(stream))
    assert tuple(raw[0]) == LINK_COLUMNS
    assert raw[1] == [
        "wg-firearms-2021",
        "18",
        "9",
        "Miguel Angel Fuentes Peniza",
        "Group of Western European and other States",
        "0.820",
        "automatic",
        PARAGRAPH_9,
    ]
    assert raw[2][3] == "'@x" and raw[2][7] == "'-x says =SUM(A1)"
    with open(path, encoding="utf-8", newline="") as stream:
        back = read_csv(stream)
    assert back[1] == {
        "document": "wg-firearms-2021",
        "recommendation": "15",
        "paragraph": "15",
        "speaker": "@x",
        "group": "",
        "score": "0.500",
        "source": "curated",
        "remark": "-x says =SUM(A1)",
    }


def test_csv_per_link_names_the_sub_item_of_each_link_and_per_recommendation_counts_remarks_once(tmp_path):
    shared = replace(FUENTES, score=0.3)
    links = (BriefingLink("47", ONE_SPEAKER), BriefingLink("47d", FUENTES), BriefingLink("47f", shared))
    value = briefing(item_47(remarks=(FUENTES, ONE_SPEAKER), links=links))
    path, count = write_csv_file(tmp_path, value, "link")
    with open(path, encoding="utf-8", newline="") as stream:
        rows = read_csv(stream)
    assert count == 3
    assert [(r["recommendation"], r["paragraph"], r["score"]) for r in rows] == [
        ("47", "15", "1.000"),
        ("47d", "9", "0.820"),
        ("47f", "9", "0.300"),
    ]
    path, _ = write_csv_file(tmp_path, value, "recommendation")
    with open(path, encoding="utf-8", newline="") as stream:
        (row,) = read_csv(stream)
    assert (row["remarks"], row["paragraphs"]) == ("2", "9;15")


def test_csv_non_latin_text_round_trips(tmp_path):
    remark = BriefingRemark("Мария Иванова", "مجموعة الدول العربية", 12, "建议 рекомендация توصية", 0.7, "automatic")
    path, _ = write_csv_file(tmp_path, briefing(item_18(remarks=(remark,))), "link")
    with open(path, encoding="utf-8-sig", newline="") as stream:
        (row,) = list(csv.DictReader(stream))
    assert (row["speaker"], row["group"], row["remark"]) == (remark.speaker, remark.group, remark.text)


def test_csv_unknown_layout_is_refused():
    with pytest.raises(ValueError, match="layout"):
        write_briefing_csv(briefing(item_18()), io.StringIO(), per="paragraph")
