"""Plain text of a Word (DOCX) document, laid out as the parser reads a PDF extraction.

One line per paragraph, in body order. Numbers and letters that Word generates
for numbered lists ("1.", "(a)", "IV.") are written out, because the report's
structure is in them. Tables are flattened: each cell's paragraphs become lines,
row by row. Headers, footers and comments are left out.
"""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn

_BULLET = "bullet"


def _roman(number: int) -> str:
    out = ""
    for value, numeral in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while number >= value:
            out, number = out + numeral, number - value
    return out


def _letters(number: int) -> str:
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _format(number: int, fmt: str) -> str:
    return {
        "decimal": str(number),
        "lowerLetter": _letters(number),
        "upperLetter": _letters(number).upper(),
        "lowerRoman": _roman(number),
        "upperRoman": _roman(number).upper(),
        "decimalZero": f"{number:02d}",
    }.get(fmt, str(number))


class _Numbering:
    """Word's list numbering: counters per abstract list, labels from each level's pattern ("%1.", "(%2)")."""

    def __init__(self, document) -> None:
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError):
            root = None
        self.nums: dict[str, str] = {}
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        if root is not None:
            for num in root.findall(qn("w:num")):
                abstract = num.find(qn("w:abstractNumId"))
                if abstract is not None:
                    self.nums[num.get(qn("w:numId"))] = abstract.get(qn("w:val"))
            for abstract in root.findall(qn("w:abstractNum")):
                abstract_id = abstract.get(qn("w:abstractNumId"))
                for level in abstract.findall(qn("w:lvl")):
                    fmt = level.find(qn("w:numFmt"))
                    text = level.find(qn("w:lvlText"))
                    start = level.find(qn("w:start"))
                    self.levels[(abstract_id, level.get(qn("w:ilvl")))] = (
                        fmt.get(qn("w:val")) if fmt is not None else "decimal",
                        text.get(qn("w:val")) if text is not None else "",
                        int(start.get(qn("w:val"))) if start is not None else 1,
                    )
        self.counters: dict[str, dict[int, int]] = {}

    def label(self, paragraph) -> str:
        num_id, level = _num_pr(paragraph)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return ""
        abstract = self.nums[num_id]
        counters = self.counters.setdefault(abstract, {})
        fmt, pattern, start = self.levels.get((abstract, str(level)), ("decimal", f"%{level + 1}.", 1))
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt == _BULLET or fmt == "none":
            return ""
        label = pattern
        for index in range(level + 1):
            level_fmt, _, level_start = self.levels.get((abstract, str(index)), ("decimal", "", 1))
            label = label.replace(f"%{index + 1}", _format(counters.get(index, level_start), level_fmt))
        return label


def _num_pr(paragraph) -> tuple[str | None, int]:
    """numId and level of a paragraph's list, from the paragraph or its style chain."""
    sources = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        sources.append(style.element.pPr)
        style = style.base_style
    num_id, level = None, None
    for ppr in sources:
        numpr = ppr.numPr if ppr is not None else None
        if numpr is None:
            continue
        if num_id is None and numpr.numId is not None:
            num_id = str(numpr.numId.val)
        if level is None and numpr.ilvl is not None:
            level = int(numpr.ilvl.val)
    return num_id, level or 0


def docx_text(data: bytes) -> str:
    """The document's text; raises zipfile.BadZipFile, KeyError or ValueError for a damaged file."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(data))
    numbering = _Numbering(document)
    lines: list[str] = []

    def paragraph_line(paragraph: Paragraph) -> None:
        label = numbering.label(paragraph)
        text = paragraph.text
        lines.append(f"{label} {text}" if label and text.strip() else text)

    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph_line(Paragraph(element, document))
        elif element.tag == qn("w:tbl"):
            seen = set()  # a merged cell is listed once per grid column it spans
            for row in Table(element, document).rows:
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.add(cell._tc)
                    for paragraph in cell.paragraphs:
                        paragraph_line(paragraph)
    return "\n".join(lines)
