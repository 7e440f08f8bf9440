"""Structure of a meeting report: `parse_report(text) -> records.Report`.

Pure: text in, frozen records out (no Qt, no database). The text is the raw
extraction of a report of the series (chapters "I. Introduction", lettered
sections, numbered paragraphs, "Recommendation N" headings or numbered
recommendations); `models.parse.textrepair` undoes the extraction's damage first, so
line widths, page furniture and line ends do not change the result.

Headings are recognised only in sequence: a line "12. ..." opens paragraph 12
only after paragraph 11, "B. ..." opens a section only after "A." in the same
chapter, so numbers inside lists and text are never taken for structure.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from models.parse import name_lists, records, textrepair

_CHAPTER_RE = re.compile(r"([IVXL]+)\.\s+(\S.*)")
_SECTION_RE = re.compile(r"([A-Z])\.\s+(\S.*)")
_PARAGRAPH_RE = re.compile(r"(\d{1,3})\.\s+(\S.*)")
_RECOMMENDATION_RE = re.compile(r"Recommendation\s+(\d{1,3})\.?")
_MONTH = "|".join(calendar.month_name[1:])
_DATES_RE = re.compile(
    rf"(?P<d1>\d{{1,2}})(?: (?P<m1>{_MONTH}))?(?: (?P<y1>\d{{4}}))?\s*(?:to|and|–|-)\s*"
    rf"(?P<d2>\d{{1,2}}) (?P<m2>{_MONTH}) (?P<y2>\d{{4}})|(?P<d>\d{{1,2}}) (?P<m>{_MONTH}) (?P<y>\d{{4}})"
)
_SYMBOL_RE = re.compile(r"\b[A-Z][A-Z0-9.]*(?:/[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*){2,}")
_MAX_HEADING_CHARS = 250  # a longer "title" is unnumbered text after a heading


def _roman(number: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, numeral in numerals:
        while number >= value:
            out, number = out + numeral, number - value
    return out


@dataclass
class _Block:
    """Lines of one unit of the report, as found by `_scan`."""

    kind: str  # "title", "chapter", "section", "paragraph", "recommendation", "loose"
    label: str  # "II", "II.A", paragraph or recommendation number
    section: str  # innermost section holding the block (its own label for headings)
    first_line: int
    lines: list[str] = field(default_factory=list)
    text: str = ""


def _scan(lines: list[str]) -> list[_Block]:
    """Group lines into blocks, recognising each heading only in its expected sequence."""
    blocks = [_Block("title", "", "", 0)]
    chapter = section = ""
    counts = {"chapter": 0, "section": 0, "paragraph": 0, "recommendation": 0}
    for index, line in enumerate(lines):
        current = blocks[-1]
        match = _CHAPTER_RE.fullmatch(line)
        if match and match.group(1) == _roman(counts["chapter"] + 1):
            counts["chapter"] += 1
            counts["section"] = 0
            chapter = section = match.group(1)
            blocks.append(_Block("chapter", chapter, chapter, index, [match.group(2)]))
            continue
        match = _SECTION_RE.fullmatch(line)
        if chapter and match and match.group(1) == chr(ord("A") + counts["section"]):
            counts["section"] += 1
            section = f"{chapter}.{match.group(1)}"
            blocks.append(_Block("section", section, section, index, [match.group(2)]))
            continue
        match = _RECOMMENDATION_RE.fullmatch(line)
        if chapter and match and int(match.group(1)) == counts["recommendation"] + 1:
            counts["recommendation"] += 1
            blocks.append(_Block("recommendation", match.group(1), section, index))
            continue
        match = _PARAGRAPH_RE.fullmatch(line)
        if chapter and match and int(match.group(1)) == counts["paragraph"] + 1:
            counts["paragraph"] += 1
            blocks.append(_Block("paragraph", match.group(1), section, index, [match.group(2)]))
            continue
        heading = current.kind in ("chapter", "section")
        if heading and (sum(map(len, current.lines + [line])) > _MAX_HEADING_CHARS or line.endswith(".")):
            blocks.append(_Block("loose", "", section, index))  # unnumbered text after a heading
        blocks[-1].lines.append(line)
    return blocks


def _check(blocks: list[_Block], sections: list[records.Section]) -> tuple[str, str]:
    """Labels of the recommendations and deliberations chapters, or ReportFormatError."""
    chapters = [s for s in sections if s.parent is None]
    if not chapters:
        raise records.ReportFormatError("no chapter headings found (expected 'I. Introduction', 'II. ...')")
    named = ", ".join(f"{c.label}. {c.title}" for c in chapters)

    def chapter_with(*words: str) -> str | None:
        return next((c.label for c in chapters if any(w in c.title.casefold() for w in words)), None)

    recommendations = chapter_with("recommendation")
    if recommendations is None:
        raise records.ReportFormatError(f"no chapter 'Recommendations' found (chapters: {named})")
    deliberations = chapter_with("deliberation", "discussion")
    if deliberations is None:
        raise records.ReportFormatError(f"no chapter 'Summary of deliberations' found (chapters: {named})")
    if not any(b.kind == "paragraph" for b in blocks):
        raise records.ReportFormatError("no numbered paragraphs found (expected '1. ...')")
    return recommendations, deliberations


def _split_subitems(text: str) -> tuple[str, tuple[records.SubItem, ...]]:
    """Split "lead-in: (a) ...; (b) ...; and (c) ..." into the lead-in and sub-items."""
    start = re.search(r":\s+\(a\)\s+", text)
    if not start:
        return text, ()
    lead, rest, letter, items = text[: start.start() + 1], text[start.end() :], "a", []
    while True:
        following = chr(ord(letter) + 1)
        boundary = re.search(rf"(?:(?<=[;.])|(?<=; and)|(?<=; or))\s+\({following}\)\s+", rest)
        if not boundary:
            items.append(records.SubItem(letter, rest.strip()))
            return lead, tuple(items)
        items.append(records.SubItem(letter, rest[: boundary.start()].strip()))
        rest, letter = rest[boundary.end() :], following


def _numbered_recommendations(blocks: list[_Block], chapter: str) -> list[records.Recommendation]:
    """Recommendations as numbered paragraphs (the series' other layout).

    In a chapter with sections, only paragraphs inside a section count, so the
    chapter's own introduction is left out.
    """
    inside = [b for b in blocks if b.kind == "paragraph" and b.section.split(".")[0] == chapter]
    if any(b.kind == "section" and b.label.startswith(chapter + ".") for b in blocks):
        inside = [b for b in inside if "." in b.section]
    out = []
    for block in inside:
        lead, subitems = _split_subitems(block.text)
        out.append(records.Recommendation(int(block.label), block.section, lead, subitems))
    return out


def _dates(title: str) -> tuple[str | None, dt.date | None, dt.date | None]:
    """Place and dates from "... held in Vienna from 10 to 12 May 2021"."""
    place = re.search(r"\bheld (?:in|at) (.+?)(?: (?:from|on) \d|,|$)", title)
    match = _DATES_RE.search(title)
    if not match:
        return (place.group(1) if place else None), None, None
    where = place.group(1) if place else None
    month = {name: i for i, name in enumerate(calendar.month_name) if name}
    try:
        if match.group("d"):
            day = dt.date(int(match.group("y")), month[match.group("m")], int(match.group("d")))
            return where, day, day
        end = dt.date(int(match.group("y2")), month[match.group("m2")], int(match.group("d2")))
        first_month = month[match.group("m1") or match.group("m2")]
        return where, dt.date(int(match.group("y1") or end.year), first_month, int(match.group("d1"))), end
    except ValueError:  # a misprinted date ("31 June") leaves the dates unknown
        return where, None, None


def _agenda(paragraphs: list[records.Paragraph]) -> list[records.AgendaItem]:
    """Agenda items from "... adopted ... the following agenda: 1. ...: (a) ...; 2. ..."."""
    for paragraph in paragraphs:
        head = re.search(r"\bthe following agenda:\s*", paragraph.text)
        if not head:
            continue
        text = paragraph.text[head.end() :]
        marks = []
        number, letter = 0, ""
        for match in re.finditer(r"(?<!\S)(?:(\d{1,2})\.|\(([a-z])\))\s+", text):
            if match.group(1) and int(match.group(1)) == number + 1:
                number, letter = number + 1, ""
                marks.append((match, str(number), None))
            elif match.group(2) and number and match.group(2) == chr(ord(letter or "`") + 1):
                letter = match.group(2)
                marks.append((match, f"{number}({letter})", str(number)))
        items = []
        for i, (match, label, parent) in enumerate(marks):
            end = marks[i + 1][0].start() if i + 1 < len(marks) else len(text)
            title = re.sub(r"(?:[.;:,]|;? and)\s*$", "", text[match.end() : end].strip())
            items.append(records.AgendaItem(label, title, parent))
        return items
    return []


def _references(paragraphs: list[records.Paragraph]) -> list[records.DocumentReference]:
    """Documents cited by symbol, described by their list item or by their sentence."""
    found: dict[str, records.DocumentReference] = {}
    for paragraph in paragraphs:
        for symbol in dict.fromkeys(_SYMBOL_RE.findall(paragraph.text)):
            if symbol in found:
                continue
            quoted = re.escape(symbol)
            item = re.search(rf"(?:^|[:;]\s+)\([a-z]\)\s+((?:(?!\([a-z]\)\s).)*?)\s*\({quoted}\)", paragraph.text)
            contained = re.search(rf"([^.;:]*?)\s+(?:is|are) contained in (?:document\s+)?{quoted}", paragraph.text)
            if item:
                description = item.group(1)
            elif contained:
                description = re.sub(r"^(?:A|An|The)\s+", "", contained.group(1).strip())
                description = description[:1].upper() + description[1:]
            else:
                description = next(s for s in re.split(r"(?<=\.)\s+", paragraph.text) if symbol in s)
            found[symbol] = records.DocumentReference(symbol, description.strip(), paragraph.number)
    return list(found.values())


def parse_report(text: str) -> records.Report:
    """Parse the raw text of one report. Raises records.ReportFormatError naming what is missing."""
    if not text.strip():
        raise records.ReportFormatError("the text is empty")
    lines, running_symbol = textrepair.clean_lines(text)
    lines, footnote_entries = textrepair.split_footnotes(lines)
    vocab = textrepair.Vocabulary.from_lines(lines)
    blocks = _scan(lines)
    for block in blocks:
        block.text = textrepair.join_lines(block.lines, vocab)
    footnotes = _footnotes(blocks, footnote_entries)
    for block in blocks:
        block.text = textrepair.repair(block.text, vocab)
    return _assemble(blocks, vocab, running_symbol, footnotes)


def _footnotes(
    blocks: list[_Block], entries: list[textrepair.FootnoteEntry]
) -> tuple[list[records.Footnote], list[str]]:
    """Remove each footnote's marker from the text that carries it (in order) and record it.

    A marker is looked for after the previous one and no later than the block
    that the footnote block interrupted (footnotes stand on their marker's page).
    """
    footnotes, warnings = [], []
    block_index, position = 0, 0
    for entry in entries:
        last = max((i for i, b in enumerate(blocks) if b.first_line <= entry.line), default=0)
        for index in range(block_index, last + 1):
            found = textrepair.remove_footnote_marker(blocks[index].text, entry.marker, position)
            if found:
                blocks[index].text, position = found
                block_index = index
                break
            position = 0
        else:
            warnings.append(f"footnote {entry.marker}: marker not found in the text")
            index = last
        footnotes.append(records.Footnote(entry.marker, entry.text, _paragraph_at(blocks, index)))
    return footnotes, warnings


def _paragraph_at(blocks: list[_Block], index: int) -> int:
    """Number of the paragraph holding block `index`, or of the last one before it (0 if none)."""
    numbers = [int(b.label) for b in blocks[: index + 1] if b.kind == "paragraph"]
    return numbers[-1] if numbers else 0


def _assemble(
    blocks: list[_Block],
    vocab: textrepair.Vocabulary,
    symbol: str | None,
    footnotes: tuple[list[records.Footnote], list[str]],
) -> records.Report:
    headings = [b for b in blocks if b.kind in ("chapter", "section")]
    sections = [
        records.Section(b.label, b.text, b.label.split(".")[0] if "." in b.label else None, order)
        for order, b in enumerate(headings)
    ]
    recommendations_chapter, deliberations_chapter = _check(blocks, sections)
    title_lines = blocks[0].lines
    if not title_lines:
        raise records.ReportFormatError("no title found before chapter I")
    start = next((i for i, line in enumerate(title_lines) if line.startswith("Report")), 0)
    title = textrepair.repair(textrepair.join_lines(title_lines[start:], vocab), vocab)
    paragraphs = [
        records.Paragraph(int(b.label), b.section, b.text) for b in blocks if b.kind == "paragraph"
    ]
    recommendations = [
        records.Recommendation(int(b.label), b.section, *_split_subitems(b.text))
        for b in blocks
        if b.kind == "recommendation"
    ] or _numbered_recommendations(blocks, recommendations_chapter)
    if not recommendations:
        raise records.ReportFormatError(
            f"no recommendations found in chapter {recommendations_chapter} "
            "(expected 'Recommendation 1' headings or numbered paragraphs under lettered sections)"
        )
    if not any(p.section.split(".")[0] == deliberations_chapter for p in paragraphs):
        raise records.ReportFormatError(f"no deliberations found: chapter {deliberations_chapter} has no paragraphs")
    footnote_records, warnings = footnotes
    warnings = list(warnings)
    warnings += [f"unnumbered text after a heading ignored: {b.text[:60]!r}" for b in blocks if b.kind == "loose"]
    agenda = _agenda(paragraphs)
    attendance, found = name_lists.read_attendance(paragraphs)
    warnings += found
    panellists, found = name_lists.read_panels(
        paragraphs, {s.label: s.title for s in sections}, agenda, [p.name for p in attendance]
    )
    warnings += found
    statements, found = name_lists.read_statements(paragraphs, attendance)
    warnings += found
    chair = name_lists.read_chair(paragraphs)
    for value, what in ((agenda, "agenda"), (attendance, "attendance lists"), (chair, "Chair")):
        if not value:
            warnings.append(f"no {what} found")
    place, start_date, end_date = _dates(title)
    return records.Report(
        title=title,
        symbol=symbol,
        place=place,
        start_date=start_date,
        end_date=end_date,
        sections=tuple(sections),
        paragraphs=tuple(paragraphs),
        recommendations=tuple(recommendations),
        agenda_items=tuple(agenda),
        participants=tuple(panellists + ([chair] if chair else []) + attendance),
        statements=tuple(statements),
        references=tuple(_references(paragraphs)),
        footnotes=tuple(footnote_records),
        warnings=tuple(warnings),
    )
