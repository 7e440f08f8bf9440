"""Structure of a meeting report: `parse_report(text) -> records.Report`.

Pure: text in, frozen records out (no Qt, no database). The text is the raw
extraction of a report of the series (chapters "I. Introduction", lettered
sections, numbered paragraphs, "Recommendation N" headings or numbered
recommendations); `models.parse.textrepair` undoes the extraction's damage first, so
line widths, page furniture and line ends do not change the result.

Headings are recognised only in sequence (`models.parse.blocks`): a line "12. ..."
opens paragraph 12 only after paragraph 11, "B. ..." opens a section only after
"A." in the same chapter, so numbers inside lists and text are never taken for
structure. Text after the report (an annex, a second copy) is left out and named
in the report's notices.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Callable

from models.parse import name_lists, records, textrepair
from models.parse.blocks import Block, first_lines, found, left_out_notice, scan

_MONTH = "|".join(calendar.month_name[1:])
_DATES_RE = re.compile(
    rf"(?P<d1>\d{{1,2}})(?: (?P<m1>{_MONTH}))?(?: (?P<y1>\d{{4}}))?\s*(?:to|and|–|-)\s*"
    rf"(?P<d2>\d{{1,2}}) (?P<m2>{_MONTH}) (?P<y2>\d{{4}})|(?P<d>\d{{1,2}}) (?P<m>{_MONTH}) (?P<y>\d{{4}})"
)
_SYMBOL_RE = re.compile(r"\b[A-Z][A-Z0-9.]*(?:/[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*){2,}")


def _check(blocks: list[Block], sections: list[records.Section]) -> tuple[str, str]:
    """Labels of the recommendations and deliberations chapters, or ReportFormatError saying what was found."""
    chapters = [s for s in sections if s.parent is None]
    if not chapters:
        first = "; ".join(line[:80] for line in blocks[0].lines[:3]) or "none"
        raise records.ReportFormatError(
            f"no chapter headings found (expected 'I. Introduction', 'II. ...'); first lines: {first!r}"
        )
    named = ", ".join(f"{c.label}. {c.title}" for c in chapters)

    def chapter_with(*words: str) -> str | None:
        return next((c.label for c in chapters if any(w in c.title.casefold() for w in words)), None)

    recommendations = chapter_with("recommendation")
    if recommendations is None:
        raise records.ReportFormatError(f"no chapter 'Recommendations' found ({found(blocks)}; chapters: {named})")
    deliberations = chapter_with("deliberation", "discussion")
    if deliberations is None:
        raise records.ReportFormatError(f"no chapter 'Summary of deliberations' found ({found(blocks)}; chapters: {named})")
    if not any(b.kind == "paragraph" for b in blocks):
        raise records.ReportFormatError(f"no numbered paragraphs found (expected '1. ...'; {found(blocks)})")
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


def _numbered_recommendations(blocks: list[Block], chapter: str) -> list[records.Recommendation]:
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


_RUN_ON_CHARS = 20_000  # a paragraph longer than this has probably swallowed text after the report


def parse_report(text: str, *, check: Callable[[], None] | None = None) -> records.Report:
    """Parse the raw text of one report. Raises records.ReportFormatError naming what is missing.

    ``check`` is called every few blocks (an exception it raises stops the parse),
    so a caller can cancel the parse of a very long text.
    """
    check = check or (lambda: None)
    if not text.strip():
        raise records.ReportFormatError("the text is empty")
    lines, offsets, running_symbol = textrepair.clean_lines_at(text, check)
    check()
    blocks = scan(textrepair.split_footnotes(lines)[0], check)
    left_out = [left_out_notice(b) for b in blocks if b.kind == "left out"]
    if left_out:  # the report alone, so that the text left out changes nothing (running headers, vocabulary)
        start = lines.index(blocks[-1].lines[0], blocks[-1].first_line)
        lines, _offsets, running_symbol = textrepair.clean_lines_at(text[: offsets[start]], check)
    check()
    lines, footnote_entries = textrepair.split_footnotes(lines)
    blocks = scan(lines, check)
    check()
    vocab = textrepair.Vocabulary.from_lines(lines)
    for block in blocks:
        check()
        block.text = textrepair.join_lines(block.lines, vocab)
    footnotes = _footnotes(blocks, footnote_entries)
    for block in blocks:
        check()
        block.text = _repair(block.text, vocab, check)
    report = _assemble(blocks, vocab, running_symbol, footnotes, check)
    notices = left_out + [
        f"paragraph {p.number} runs on for {len(p.text):,} characters: text after the report may be glued onto it"
        for p in report.paragraphs[-1:]
        if len(p.text) > _RUN_ON_CHARS
    ]
    return dataclasses.replace(report, notices=tuple(notices), warnings=report.warnings + tuple(notices))


def _repair(text: str, vocab: textrepair.Vocabulary, check: Callable[[], None]) -> str:
    """`textrepair.repair`, a very long text piece by piece (cut after sentences), checking between pieces.

    The repairs are local to a few words, so cutting between sentences changes nothing.
    """
    if len(text) <= _RUN_ON_CHARS:
        return textrepair.repair(text, vocab)
    pieces, start = [], 0
    while start < len(text):
        cut = text.find(". ", start + _RUN_ON_CHARS // 2)
        end = len(text) if cut < 0 else cut + 1
        check()
        pieces.append(textrepair.repair(text[start:end], vocab))
        start = end
    return " ".join(piece for piece in pieces if piece)


def _footnotes(blocks: list[Block], entries: list[textrepair.FootnoteEntry]) -> tuple[list[records.Footnote], list[str]]:
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


def _paragraph_at(blocks: list[Block], index: int) -> int:
    """Number of the paragraph holding block `index`, or of the last one before it (0 if none)."""
    numbers = [int(b.label) for b in blocks[: index + 1] if b.kind == "paragraph"]
    return numbers[-1] if numbers else 0


def _assemble(
    blocks: list[Block],
    vocab: textrepair.Vocabulary,
    symbol: str | None,
    footnotes: tuple[list[records.Footnote], list[str]],
    check: Callable[[], None] = lambda: None,
) -> records.Report:
    headings = [b for b in blocks if b.kind in ("chapter", "section")]
    sections = [
        records.Section(b.label, b.text, b.label.rsplit(".", 1)[0] if "." in b.label else None, order)
        for order, b in enumerate(headings)
    ]
    recommendations_chapter, deliberations_chapter = _check(blocks, sections)
    title_lines = blocks[0].lines
    if not title_lines:
        raise records.ReportFormatError("no title found before chapter I")
    start = next((i for i, line in enumerate(title_lines) if line.startswith("Report")), 0)
    title = textrepair.repair(textrepair.join_lines(title_lines[start:], vocab), vocab)
    paragraphs = [records.Paragraph(int(b.label), b.section, b.text) for b in blocks if b.kind == "paragraph"]
    recommendations = [
        records.Recommendation(int(b.label), b.section, *_split_subitems(b.text)) for b in blocks if b.kind == "recommendation"
    ] or _numbered_recommendations(blocks, recommendations_chapter)
    if not recommendations:
        raise records.ReportFormatError(
            f"chapter {recommendations_chapter} found, 0 recommendations recognised (expected 'Recommendation 1' "
            f"headings or numbered paragraphs under lettered sections); first lines: "
            f"{first_lines(blocks, recommendations_chapter)}"
        )
    if not any(p.section.split(".")[0] == deliberations_chapter for p in paragraphs):
        raise records.ReportFormatError(
            f"chapter {deliberations_chapter} found, 0 numbered paragraphs of deliberations recognised; first lines: "
            f"{first_lines(blocks, deliberations_chapter)}"
        )
    footnote_records, warnings = footnotes
    warnings = list(warnings)
    warnings += [f"unnumbered text after a heading ignored: {b.text[:60]!r}" for b in blocks if b.kind == "loose"]
    agenda = _agenda(paragraphs)
    check()
    attendance, found = name_lists.read_attendance(paragraphs)
    warnings += found
    check()
    panellists, found = name_lists.read_panels(
        paragraphs, {s.label: s.title for s in sections}, agenda, [p.name for p in attendance]
    )
    warnings += found
    check()
    statements, found = name_lists.read_statements(paragraphs, attendance)
    check()
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
