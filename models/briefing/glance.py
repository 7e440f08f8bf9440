"""The "At a glance" section of a Word briefing: the Overview's matrices as shaded tables.

Each matrix (`models.queries.overview.Matrix`) becomes a heading and a table: a row per
topic, a column per group (State, section, year), every number printed and its
cell shaded by its share of the table's largest, the same scale as the Overview
pane. Wide matrices are split into tables of at most ``COLUMNS_PER_TABLE`` columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

from models.queries.overview import Matrix

HEADING = "At a glance"
COLUMNS_PER_TABLE = 8
ACCENT = (0x2F, 0x5D, 0x8A)  # the explorer's accent colour
LIGHTEST, STRONGEST = 0.14, 0.85  # as the Overview pane
VALUE_WORDS = {
    "remarks": "Each number counts the distinct remarks by the column's speakers behind the row's recommendations.",
    "recommendations": "Each number counts the row's recommendations in the column.",
}


def shade(share: float) -> tuple[str, bool]:
    """(fill as RRGGBB, whether the text should be white) for a number's share of the largest."""
    weight = LIGHTEST + (STRONGEST - LIGHTEST) * max(0.0, min(1.0, share))
    fill = "".join(f"{round(255 + (c - 255) * weight):02X}" for c in ACCENT)
    return fill, weight > 0.5


def write_at_a_glance(document: DocxDocument, paragraph: Callable[[str, str | None], object], matrices: Sequence[Matrix]) -> None:
    """Append the section to ``document``; ``paragraph(text, style)`` appends a styled paragraph."""
    paragraph(HEADING, "Heading 1")
    for matrix in matrices:
        for text, style in ((matrix.title, "Heading 2"), (VALUE_WORDS[matrix.value], None)):
            paragraph(text, style).get_or_add_pPr().append(OxmlElement("w:keepNext"))  # stays with its table
        grid, largest = matrix.grid(), matrix.maximum()
        for start in range(0, len(matrix.columns), COLUMNS_PER_TABLE):
            columns = range(start, min(start + COLUMNS_PER_TABLE, len(matrix.columns)))
            table = document.add_table(rows=len(matrix.rows) + 1, cols=len(columns) + 1)
            table.style = document.styles["Table Grid"]
            table.cell(0, 0).text = "Topic"
            for n, column in enumerate(columns, start=1):
                table.cell(0, n).text = matrix.columns[column].label
            for r, axis in enumerate(matrix.rows, start=1):
                table.cell(r, 0).text = axis.label
                for n, column in enumerate(columns, start=1):
                    number = grid[r - 1][column]
                    cell = table.cell(r, n)
                    cell.text = str(number)
                    if number:
                        fill, white = shade(number / largest if largest else 0.0)
                        shading = OxmlElement("w:shd")
                        shading.set(qn("w:val"), "clear")
                        shading.set(qn("w:color"), "auto")
                        shading.set(qn("w:fill"), fill)
                        cell._tc.get_or_add_tcPr().append(shading)
                        if white:
                            cell.paragraphs[0].runs[0].font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated on each page
            paragraph("", None)
