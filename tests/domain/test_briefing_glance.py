"""The "At a glance" tables of a Word briefing of the shipped report: readable on a portrait A4 or Letter page."""

from __future__ import annotations

import shutil

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Twips

from models.briefing.glance import A4_WIDTH, FONT_PT, split_columns, text_points
from models.cli.commands import main
from models.paths import EMBEDDED_CORPUS
from tests.font_metrics import fonts, widest_points

TOPICS = 16  # topics in the shipped report
STATES = ["Colombia", "European Union", "Italy", "Mexico", "Nigeria", "Serbia", "Spain"]


@pytest.fixture(scope="module")
def glance(tmp_path_factory):
    folder = tmp_path_factory.mktemp("glance")
    db, dest = folder / "library.sqlite", folder / "glance.docx"
    shutil.copyfile(EMBEDDED_CORPUS, db)
    assert main(["--db", str(db), "export", "briefing", "--format", "docx", "--at-a-glance", "-o", str(dest)]) == 0
    return docx.Document(str(dest))


def cell_text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(qn("w:t")))


def test_rows_never_split_across_pages_and_the_header_row_repeats(glance):
    assert glance.tables
    for table in glance.tables:
        rows = table._tbl.findall(qn("w:tr"))
        assert len(rows) == TOPICS + 1
        for n, row in enumerate(rows):
            properties = row.find(qn("w:trPr"))
            assert properties is not None and properties.find(qn("w:cantSplit")) is not None
            assert (properties.find(qn("w:tblHeader")) is not None) == (n == 0)


def test_tables_fit_a_portrait_a4_or_letter_page_with_fixed_widths(glance):
    section = glance.sections[0]
    usable = min(section.page_width, A4_WIDTH) - section.left_margin - section.right_margin
    for table in glance.tables:
        tbl = table._tbl
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        grid = [int(col.get(qn("w:w"))) for col in tbl.tblGrid.findall(qn("w:gridCol"))]
        assert Twips(sum(grid)) <= usable
        assert int(tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == sum(grid)
        for row in tbl.findall(qn("w:tr")):
            assert [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in row.findall(qn("w:tc"))] == grid


def test_no_word_in_a_header_or_a_topic_name_is_wider_than_its_column(glance):
    assert fonts(), "the DejaVu fonts LibreOffice uses here"
    checked = 0
    for table in glance.tables:
        tbl = table._tbl
        margins = tbl.tblPr.find(qn("w:tblCellMar"))
        padding = sum(Twips(int(margins.find(qn(f"w:{side}")).get(qn("w:w")))).pt for side in ("left", "right"))
        grid = [Twips(int(col.get(qn("w:w")))).pt for col in tbl.tblGrid.findall(qn("w:gridCol"))]
        rows = tbl.findall(qn("w:tr"))
        cells = [(tc, grid[n]) for n, tc in enumerate(rows[0].findall(qn("w:tc")))]
        cells += [(row.findall(qn("w:tc"))[0], grid[0]) for row in rows[1:]]
        for tc, width in cells:
            assert [int(sz.get(qn("w:val"))) for sz in tc.iter(qn("w:sz"))] == [2 * FONT_PT]
            for word in cell_text(tc).split():
                assert widest_points(word, FONT_PT) <= width - padding, (word, width)
                checked += 1
    assert checked > 3 * TOPICS


def test_long_section_titles_are_keyed_and_every_column_is_shown_once(glance):
    headers = [cell_text(tc) for table in glance.tables for tc in table._tbl.findall(qn("w:tr"))[0].findall(qn("w:tc"))[1:]]
    assert [h for h in headers if h in STATES] == STATES
    assert [h for h in headers if h.startswith("II.")] == ["II.A", "II.B", "II.C", "II.D"]
    texts = [p.text for p in glance.paragraphs]
    assert "II.A: General recommendations" in "\n".join(texts)
    assert any(line.startswith("II.B: Recommendations on reducing illicit financial") for t in texts for line in t.split("\n"))


def test_the_width_estimate_is_never_below_the_real_fonts():
    sample = "Capacity-building Marking, tracing and record-keeping WMwm Group of Latin American States II.B 1234567890"
    for word in sample.split():
        assert text_points(word, FONT_PT) >= widest_points(word, FONT_PT)


def test_columns_are_shared_out_evenly_over_as_few_tables_as_fit():
    assert split_columns([10.0] * 7, 45.0) == [range(0, 4), range(4, 7)]
    assert split_columns([10.0] * 4, 45.0) == [range(0, 4)]
    assert split_columns([50.0, 10.0], 45.0) == [range(0, 1), range(1, 2)]
    assert split_columns([], 45.0) == []
