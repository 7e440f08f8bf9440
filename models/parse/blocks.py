"""The blocks of a report's text: `scan(lines) -> [Block]`, headings recognised in sequence.

A line "12. ..." opens paragraph 12 only after paragraph 11, "B. ..." a section
only after "A." in the same chapter, "1. General recommendations" a numbered
sub-section within a lettered section when it is not the paragraph expected
next; a heading that extraction ran into the next paragraph is split; an annex
or a second copy of the report ends the scan in one "left out" block.
Used by `models.parse.parser`; pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_CHAPTER_RE = re.compile(r"([IVXL]+)\.\s+(\S.*)")
_SECTION_RE = re.compile(r"([A-Z])\.\s+(\S.*)")
_PARAGRAPH_RE = re.compile(r"(\d{1,3})\.\s+(\S.*)")
_RECOMMENDATION_RE = re.compile(r"Recommendation\s+(\d{1,3})\.?")
_MAX_HEADING_CHARS = 250  # a longer "title" is unnumbered text after a heading
_ANNEX_RE = re.compile(r"Annex(?:es)?(?:\s+[IVXL]+|\s+\d{1,2})?\.?")  # alone on its line
# What may stand before a paragraph that extraction ran onto the same line: a heading.
_RUN_ON_HEADING_RE = re.compile(r"(?:[IVXL]+|[A-Z]|\d{1,2})\.\s+[A-Z][^.;:]{1,120}|Recommendation\s+\d{1,3}")


def _roman(number: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, numeral in numerals:
        while number >= value:
            out, number = out + numeral, number - value
    return out


@dataclass
class Block:
    """Lines of one unit of the report, as found by `scan`."""

    kind: str  # "title", "chapter", "section", "paragraph", "recommendation", "loose", "left out"
    label: str  # "II", "II.A", paragraph or recommendation number
    section: str  # innermost section holding the block (its own label for headings)
    first_line: int
    lines: list[str] = field(default_factory=list)
    text: str = ""


def _split_run_on(line: str, expected: int) -> tuple[str, str] | None:
    """A heading that extraction ran into the next paragraph: ("1. General recommendations", "6. The ...").

    The paragraph must carry the number expected next and the part before it
    must have a heading's form (numbered or lettered, short, no sentence end).
    """
    for match in re.finditer(rf"\s({expected})\.\s+(?=[A-Z“\"(])", line):
        head, tail = line[: match.start()], line[match.start() + 1 :]
        if _RUN_ON_HEADING_RE.fullmatch(head) and not re.search(r"[.;:,]$", head):
            return head, tail
    return None


def scan(lines: list[str], check: Callable[[], None] = lambda: None) -> list[Block]:
    """Group lines into blocks, recognising each heading only in its expected sequence.

    Within a lettered section, "1. General recommendations" is a numbered
    sub-heading when it is not the paragraph expected next, follows a finished
    sentence or a heading, and has a title's form; its sub-section is labelled
    "II.A.1".
    """
    blocks = [Block("title", "", "", 0)]
    chapter = section = ""
    opening = lines[:2]  # a second copy of the report starts with the same two lines
    counts = {"chapter": 0, "section": 0, "subsection": 0, "paragraph": 0, "recommendation": 0}
    queue = list(enumerate(lines))
    queue.reverse()
    while queue:
        index, line = queue.pop()
        if index % 1000 == 0:
            check()
        current = blocks[-1]
        if (chapter or _CHAPTER_RE.match(line)) and (split := _split_run_on(line, counts["paragraph"] + 1)):
            queue += [(index, split[1]), (index, split[0])]
            continue
        if counts["chapter"] and (_ANNEX_RE.fullmatch(line) or (index and lines[index : index + 2] == opening)):
            blocks.append(Block("left out", "annex" if _ANNEX_RE.fullmatch(line) else "copy", section, index))
            blocks[-1].lines = lines[index:]
            break
        match = _CHAPTER_RE.fullmatch(line)
        if match and counts["chapter"] > 1 and match.group(1) == "I":
            blocks.append(Block("left out", "copy", section, index, lines[index:]))
            break
        if match and match.group(1) == _roman(counts["chapter"] + 1):
            counts["chapter"] += 1
            counts["section"] = counts["subsection"] = 0
            chapter = section = match.group(1)
            blocks.append(Block("chapter", chapter, chapter, index, [match.group(2)]))
            continue
        match = _SECTION_RE.fullmatch(line)
        if chapter and match and match.group(1) == chr(ord("A") + counts["section"]):
            counts["section"] += 1
            counts["subsection"] = 0
            section = f"{chapter}.{match.group(1)}"
            blocks.append(Block("section", section, section, index, [match.group(2)]))
            continue
        match = _RECOMMENDATION_RE.fullmatch(line)
        if chapter and match and int(match.group(1)) == counts["recommendation"] + 1:
            counts["recommendation"] += 1
            blocks.append(Block("recommendation", match.group(1), section, index))
            continue
        match = _PARAGRAPH_RE.fullmatch(line)
        if chapter and match and int(match.group(1)) == counts["paragraph"] + 1:
            counts["paragraph"] += 1
            blocks.append(Block("paragraph", match.group(1), section, index, [match.group(2)]))
            continue
        if counts["section"] and match and _is_subheading(match, counts["subsection"] + 1, current):
            counts["subsection"] += 1
            lettered = ".".join(section.split(".")[:2])
            section = f"{lettered}.{match.group(1)}"
            blocks.append(Block("section", section, section, index, [match.group(2)]))
            continue
        heading = current.kind in ("chapter", "section")
        if heading and (sum(map(len, current.lines + [line])) > _MAX_HEADING_CHARS or line.endswith(".")):
            blocks.append(Block("loose", "", section, index))  # unnumbered text after a heading
        blocks[-1].lines.append(line)
    return blocks


def _is_subheading(match: re.Match, expected: int, current: Block) -> bool:
    """Whether a numbered line that is not the next paragraph is a numbered sub-heading."""
    title = match.group(2)
    if int(match.group(1)) != expected or len(title) > 150 or not title[:1].isupper():
        return False
    if re.search(r"[.;:,]$", title):
        return False
    previous = current.lines[-1] if current.lines else ""
    return current.kind in ("chapter", "section") or bool(re.search(r"[.”)]$", previous))


def first_lines(blocks: list[Block], chapter: str, count: int = 3) -> str:
    """The first lines under chapter ``chapter``'s heading, for a message that shows what was found."""
    lines = [line for b in blocks if b.section.split(".")[0] == chapter and b.kind != "chapter" for line in b.lines]
    shown = " / ".join(lines[:count])
    return repr(shown[:200] + ("..." if len(shown) > 200 else "")) if lines else "none"


def found(blocks: list[Block]) -> str:
    """What the scan recognised, in numbers: "3 chapters, 9 sections, 40 paragraphs, 0 recommendations"."""
    counts = {kind: sum(b.kind == kind for b in blocks) for kind in ("chapter", "section", "paragraph", "recommendation")}
    return ", ".join(f"{n} {kind}s" for kind, n in counts.items())


def left_out_notice(block: Block) -> str:
    """What a delegate is told about text after the report that is not imported."""
    size = sum(map(len, block.lines))
    first = block.lines[0][:60]
    if block.label == "annex":
        return f"an annex after the report is not imported ({size:,} characters from {first!r})"
    return f"the text holds the report again from {first!r}; only the first copy is imported ({size:,} characters left out)"
