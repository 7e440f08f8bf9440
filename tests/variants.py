"""Other extractions of the same report, made from the shipped text for tests.

A report extracted by another tool, or from another printing, keeps its words
but changes its layout: line width, single spacing, words hyphenated at line
ends, running headers and footers, form feeds, CRLF line ends. These helpers
make such variants so tests can check that parsing does not depend on layout.
They never fix the extraction's damage: split words and fused markers stay.
"""

from __future__ import annotations

import re

from models.parse.textrepair import is_dictionary_word

_BLOCK_START_RE = re.compile(r"\s*(?:\d{1,3}\.\s|\([a-z]\)\s|[IVX]+\.\s|[A-Z]\.\s|Recommendation \d+\s*$|_{5,})")
_HEADING_LINE_RE = re.compile(r"\s*Recommendation \d+\s*")
_FOOTNOTE_ENTRY_RE = re.compile(r"\s*\d{1,3}\s+\S")
_VOWELS = set("aeiouy")


def _blocks(raw: str) -> tuple[list[list[str]], dict[int, list[str]]]:
    """Logical blocks (lists of stripped lines) and footnote lines keyed by the block they interrupt."""
    blocks: list[list[str]] = []
    indents: list[str] = []
    footnotes: dict[int, list[str]] = {}
    lines = [line.rstrip() for line in raw.splitlines() if line.strip()]
    i, closed = 0, False
    while i < len(lines):
        line = lines[i]
        if re.fullmatch(r"\s*_{5,}", line):
            notes = [line.strip()]
            i += 1
            while i < len(lines) and _FOOTNOTE_ENTRY_RE.match(lines[i]):
                notes.append(" " + lines[i].strip())
                i += 1
            footnotes[len(blocks) - 1] = notes
            continue
        if not blocks or closed or _BLOCK_START_RE.match(line):
            blocks.append([])
            indents.append(re.match(r"\s*", line).group(0))
        blocks[-1].append(line.strip())
        closed = bool(_HEADING_LINE_RE.fullmatch(line))  # a one-line heading
        i += 1
    return [[indent + " ".join(block)] for indent, block in zip(indents, blocks)], footnotes


def _hyphenate(word: str, room: int) -> tuple[str, str] | None:
    """Split `word` at a line end within `room` columns, as a typesetter would.

    Compounds break after one of their hyphens; plain lower-case dictionary words
    of eight letters or more break after a vowel followed by a consonant.
    """
    core = word.rstrip(",.;:)”")
    if "-" in core.strip("-"):
        cuts = [m.end() for m in re.finditer(r"(?<=\w)-(?=\w)", core) if m.end() <= room]
        return (word[: cuts[-1]], word[cuts[-1] :]) if cuts else None
    if not (core.isalpha() and core.islower() and len(core) >= 8 and is_dictionary_word(core)):
        return None
    for cut in range(min(room - 1, len(core) - 3), 2, -1):
        if core[cut - 1] in _VOWELS and core[cut] not in _VOWELS:
            return word[:cut] + "-", word[cut:]
    return None


def _wrap(text: str, width: int, hyphenate: bool) -> list[str]:
    indent = re.match(r"\s*", text).group(0)
    lines, line = [], indent
    for word in text.split():
        if not line.strip():
            line += word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            split = _hyphenate(word, width - len(line) - 1) if hyphenate else None
            if split:
                lines.append(line + " " + split[0])
                line = split[1]
            else:
                lines.append(line)
                line = word
    lines.append(line)
    return lines


def rewrap(raw: str, width: int, hyphenate: bool = True) -> str:
    """Single-spaced text wrapped at `width` columns, with words hyphenated at line ends.

    A footnote block goes into the middle of the paragraph it interrupted, so it
    still cuts a sentence in two.
    """
    blocks, footnotes = _blocks(raw)
    out: list[str] = []
    for index, block in enumerate(blocks):
        lines = _wrap(block[0], width, hyphenate)
        if index in footnotes:
            middle = max(1, len(lines) // 2)
            lines[middle:middle] = footnotes[index]
        out.extend(lines)
    return "\n".join(out) + "\n"


def add_page_furniture(
    text: str,
    every: int = 45,
    symbol: str = "CTOC/COP/WG.6/2021/4",
    job_number: str = "V.21-03456",
) -> str:
    """Cut `text` into pages of `every` lines with headers, footers and form feeds.

    Each page starts with the running header (the document symbol, right-aligned
    on odd pages) and ends with the job number and "page/pages", on one line or
    two, then a form feed.
    """
    lines = text.splitlines()
    pages = [lines[i : i + every] for i in range(0, len(lines), every)]
    out: list[str] = []
    for number, page in enumerate(pages, start=1):
        out.append(symbol.rjust(90) if number % 2 else symbol)
        out.append("")
        out.extend(page)
        out.append("")
        if number % 2:
            out.append(f"{job_number}{' ' * 60}{number}/{len(pages)}")
        else:
            out.extend([f"{number}/{len(pages)}", job_number])
        out.append("\f")
    return "\n".join(out)


def crlf(text: str) -> str:
    """The same text with Windows line ends."""
    return re.sub(r"\r?\n", "\r\n", text)
