"""The "At a glance" section of a Word briefing: the Overview's matrices as shaded tables.

Each matrix (`models.queries.overview.Matrix`) becomes a heading and one or more tables: a row
per topic, a column per group (State, section, year), every number printed and its cell shaded
by its share of the table's largest, the same scale as the Overview pane.

The tables fit a portrait page of A4 or Letter, whichever the document uses, in ``FONT_PT``
text: a column is never narrower than the longest word it holds, so no name is broken
mid-word; a label too long for a column header (a section's title) is shown by its key
("II.B") with the keys spelled out above the table; columns that do not fit go to a further
table with the same first column. Rows never split across pages (w:cantSplit) and the header
row repeats on each page (w:tblHeader). Widths are estimated with `text_points`, a
deliberately generous per-character width, since the fonts a reader's Word substitutes for
the template's are unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor, Twips
from docx.table import Table

from models.queries.overview import Axis, Matrix

HEADING = "At a glance"
TOPIC_HEADER = "Topic"
ACCENT = (0x2F, 0x5D, 0x8A)  # the explorer's accent colour
LIGHTEST, STRONGEST = 0.14, 0.85  # as the Overview pane
VALUE_WORDS = {
    "remarks": "Each number counts the distinct remarks by the column's speakers behind the row's recommendations.",
    "recommendations": "Each number counts the row's recommendations in the column.",
}

FONT_PT = 8  # the tables' text
CELL_MARGIN_TWIPS = 57  # left and right padding in a cell (about 1 mm; Table Grid's own is 108)
SLACK_PT = 2.0  # spare room in every column, for rounding in the reader's layout
A4_WIDTH = Emu(7560310)  # 210 mm: no table is wider than an A4 page allows, even in a Letter document
HEADER_LINES = 4  # a column header may wrap onto this many lines before its column widens
TOPIC_LINES = 2  # the same for a topic's name in the first column
TOPIC_SHARE = 0.32  # the first column's most of the table's width (beyond its longest word)

_NARROW = frozenset("ijlI.,:;'!|")
_SLIM = frozenset("ftr()[]-/ J")
_WIDE = frozenset("mwMW@%")


def text_points(text: str, size_pt: float = FONT_PT) -> float:
    """A generous width of ``text`` in points: at least its width in DejaVu Sans or Serif, bold or not."""
    ems = 0.0
    for ch in text:
        if ch in _NARROW:
            ems += 0.48
        elif ch in _SLIM:
            ems += 0.56
        elif ch in _WIDE:
            ems += 1.13
        elif ch.isascii() and ch.isupper():
            ems += 0.95
        elif ch.isascii():
            ems += 0.74
        else:
            ems += 1.0
    return ems * size_pt


def longest_word_points(text: str) -> float:
    return max((text_points(word) for word in text.split()), default=0.0)


def header_text(axis: Axis) -> str:
    """What a column's header shows: its key when the label is longer and spelled out in the key above."""
    return axis.key if abbreviated(axis) else axis.label


def abbreviated(axis: Axis) -> bool:
    return bool(axis.key) and len(axis.key) < len(axis.label) and axis.label.startswith(axis.key)


def column_points(label: str, numbers: Sequence[int]) -> float:
    """The width a column needs, padding excluded: its longest word, its label on at most ``HEADER_LINES``
    lines, its widest number."""
    widest = max([text_points(str(n)) for n in numbers] + [longest_word_points(label), text_points(label) / HEADER_LINES])
    return widest + SLACK_PT


def topic_points(labels: Sequence[str], usable: float) -> float:
    """The first column's width, padding excluded: every topic's longest word, and its name on at most
    ``TOPIC_LINES`` lines unless that would take more than ``TOPIC_SHARE`` of the table."""
    words = max([longest_word_points(label) for label in labels] + [text_points(TOPIC_HEADER)])
    lines = max((text_points(label) / TOPIC_LINES for label in labels), default=0.0)
    return max(words, min(lines, TOPIC_SHARE * usable)) + SLACK_PT


def usable_points(document: DocxDocument) -> float:
    """The text width of the document's first section, on A4 if its paper is wider."""
    section = document.sections[0]
    width = min(section.page_width or A4_WIDTH, A4_WIDTH) - (section.left_margin or 0) - (section.right_margin or 0)
    return Emu(width).pt


def split_columns(widths: Sequence[float], room: float) -> list[range]:
    """Consecutive column ranges, each fitting ``room`` (a column wider than it stands alone), as few
    tables as possible with their columns shared out evenly."""
    if not widths:
        return []
    greedy, used = 1, 0.0
    for width in widths:
        if used and used + width > room:
            greedy, used = greedy + 1, 0.0
        used += width
    for tables in range(greedy, len(widths) + 1):
        size, extra = divmod(len(widths), tables)
        ranges, start = [], 0
        for n in range(tables):
            end = start + size + (1 if n < extra else 0)
            ranges.append(range(start, end))
            start = end
        if all(len(r) == 1 or sum(widths[i] for i in r) <= room for r in ranges):
            return ranges
    return [range(i, i + 1) for i in range(len(widths))]


def shade(share: float) -> tuple[str, bool]:
    """(fill as RRGGBB, whether the text should be white) for a number's share of the largest."""
    weight = LIGHTEST + (STRONGEST - LIGHTEST) * max(0.0, min(1.0, share))
    fill = "".join(f"{round(255 + (c - 255) * weight):02X}" for c in ACCENT)
    return fill, weight > 0.5


def write_at_a_glance(document: DocxDocument, paragraph: Callable[[str, str | None], object], matrices: Sequence[Matrix]) -> None:
    """Append the section to ``document``; ``paragraph(text, style)`` appends a styled paragraph."""
    paragraph(HEADING, "Heading 1")
    usable = usable_points(document)
    padding = 2 * Twips(CELL_MARGIN_TWIPS).pt
    for matrix in matrices:
        keys = [f"{axis.key}: {axis.label[len(axis.key) :].strip()}" for axis in matrix.columns if abbreviated(axis)]
        lines = [(matrix.title, "Heading 2"), (VALUE_WORDS[matrix.value], None)]
        if keys:
            lines.append(("\n".join(keys), None))
        for text, style in lines:
            paragraph(text, style).get_or_add_pPr().append(OxmlElement("w:keepNext"))  # stays with its table
        grid, largest = matrix.grid(), matrix.maximum()
        first = topic_points([axis.label for axis in matrix.rows], usable) + padding
        widths = [column_points(header_text(axis), [row[c] for row in grid]) + padding for c, axis in enumerate(matrix.columns)]
        for columns in split_columns(widths, usable - first):
            table = document.add_table(rows=len(matrix.rows) + 1, cols=len(columns) + 1)
            table.style = document.styles["Table Grid"]
            _layout(table, [first] + [widths[c] for c in columns])
            _text(table.cell(0, 0), TOPIC_HEADER, bold=True)
            for n, column in enumerate(columns, start=1):
                _text(table.cell(0, n), header_text(matrix.columns[column]), bold=True)
            for r, axis in enumerate(matrix.rows, start=1):
                _text(table.cell(r, 0), axis.label)
                for n, column in enumerate(columns, start=1):
                    number = grid[r - 1][column]
                    cell = table.cell(r, n)
                    fill, white = shade(number / largest if largest else 0.0)
                    _text(cell, str(number), white=bool(number) and white)
                    if number:
                        shading = OxmlElement("w:shd")
                        shading.set(qn("w:val"), "clear")
                        shading.set(qn("w:color"), "auto")
                        shading.set(qn("w:fill"), fill)
                        cell._tc.get_or_add_tcPr().append(shading)
            for r, row in enumerate(table.rows):
                properties = row._tr.get_or_add_trPr()
                properties.append(OxmlElement("w:cantSplit"))  # a row stays on one page
                if r == 0:
                    properties.append(OxmlElement("w:tblHeader"))  # repeated on each page
                    for cell in row.cells:
                        cell.paragraphs[0]._p.get_or_add_pPr().append(OxmlElement("w:keepNext"))  # with the first row
            paragraph("", None)


def _layout(table: Table, points: Sequence[float]) -> None:
    """Fixed column widths (grid, every cell, the table) and narrow cell padding, so Word and LibreOffice
    lay the table out as measured rather than by its content."""
    table.autofit = False
    properties = table._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        properties.append(width)
    width.set(qn("w:w"), str(sum(round(Pt(p).twips) for p in points)))
    width.set(qn("w:type"), "dxa")
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    layout = properties.find(qn("w:tblLayout"))
    layout.addnext(margins)  # tblLayout, then tblCellMar, as the schema orders them
    for n, column in enumerate(table.columns):
        column.width = Pt(points[n])
        for cell in column.cells:
            cell.width = Pt(points[n])


def _text(cell, text: str, *, bold: bool = False, white: bool = False) -> None:
    run = cell.paragraphs[0].add_run(text)
    run.font.size = Pt(FONT_PT)
    if bold:
        run.bold = True
    if white:
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
