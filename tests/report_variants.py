"""Other reports of the series, made from the shipped report's raw text for tests.

`tests.variants` changes only the layout of the one report. The functions here
change what a later or sibling report changes (corpus/README.md describes the
structure): the working group, place and dates; recommendations as numbered
paragraphs under lettered sub-headings instead of "Recommendation N" headings;
more or fewer sections; the wording of the attendance lists; revised, repeated
and new recommendations. The extraction's damage (split words, fused footnote
markers, page furniture) is kept, so the parser meets it as in a real file.

Each function takes and returns raw text; they compose.
"""

from __future__ import annotations

import re

_RECOMMENDATION_LINE_RE = re.compile(r"\s*Recommendation (\d+)\s*")
_PARAGRAPH_LINE_RE = re.compile(r"(\s*)(\d{1,3})\.(\s+\S.*)")
_SECTION_LINE_RE = re.compile(r"(\s*)([A-Z])\.(\s+\S.*)")
_CHAPTER_LINE_RE = re.compile(r"\s*[IVX]+\.\s+\S.*")

RECOMMENDATIONS = 47  # in the shipped report
FIRST_RECOMMENDATION_PARAGRAPH = 6  # the numbered layout: paragraph 5 introduces, 6 is the first recommendation


def _words(phrase: str) -> str:
    """A pattern for `phrase` that allows any white space (line breaks too) between its words."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


def rename_group(raw: str, name: str) -> str:
    """ "Working Group on Firearms" -> "Working Group on <name>" everywhere, line breaks kept."""
    return re.sub(_words("Working Group on Firearms"), f"Working Group on {name}", raw)


def move_meeting(raw: str, place: str, days: tuple[int, int, int], month: str, year: int) -> str:
    """Move the meeting from Vienna, 10-12 May 2021, to ``place`` on ``days`` (first, second, third)."""
    mapping = dict(zip(("10", "11", "12"), map(str, days)))
    raw = raw.replace("held in Vienna", f"held in {place}")
    raw = re.sub(
        r"\b(1[012])(\s+(?:to|and)\s+)(1[012])(\s+)May(\s+)2021",
        lambda m: f"{mapping[m.group(1)]}{m.group(2)}{mapping[m.group(3)]}{m.group(4)}{month}{m.group(5)}{year}",
        raw,
    )
    raw = re.sub(r"\b(1[012])(\s+)May(\s+)2021", lambda m: f"{mapping[m.group(1)]}{m.group(2)}{month}{m.group(3)}{year}", raw)
    return raw.replace("/2021/", f"/{year}/").replace("/2021", f"/{year}")


def numbered_recommendations(raw: str) -> str:
    """Drop the "Recommendation N" headings: each recommendation becomes a numbered paragraph.

    All paragraphs are numbered again in reading order, so the recommendations
    continue the report's numbering (in the shipped report, recommendation N
    becomes paragraph 5 + N and paragraph 6 becomes 53), as in the series'
    reports that number recommendations as paragraphs.
    """
    lines = raw.split("\n")
    heads = {start for _number, start, _end in _paragraph_spans(lines)}
    out: list[str] = []
    number, pending = 0, False
    for index, line in enumerate(lines):
        if _RECOMMENDATION_LINE_RE.fullmatch(line):
            pending = True
            continue
        if pending and line.strip():
            number += 1
            out.append(f"{number}. {line.strip()}")
            pending = False
            continue
        if index in heads:
            number += 1
            match = _PARAGRAPH_LINE_RE.fullmatch(line)
            line = f"{match.group(1)}{number}.{match.group(3)}"
        out.append(line)
    return "\n".join(out)


def _chapter_span(lines: list[str], title: str) -> tuple[int, int]:
    start = next(i for i, line in enumerate(lines) if _CHAPTER_LINE_RE.fullmatch(line) and title in line)
    end = next((i for i in range(start + 1, len(lines)) if _CHAPTER_LINE_RE.fullmatch(lines[i])), len(lines))
    return start, end


def drop_last_recommendation_section(raw: str) -> str:
    """Chapter II without its last lettered section (and the recommendations in it)."""
    lines = raw.split("\n")
    start, end = _chapter_span(lines, "Recommendations")
    sections = [i for i in range(start, end) if _SECTION_LINE_RE.fullmatch(lines[i])]
    return "\n".join(lines[: sections[-1]] + lines[end:])


def split_first_recommendation_section(raw: str, before: int, title: str) -> str:
    """A new section "B. <title>" in chapter II just before Recommendation ``before``; later sections re-lettered."""
    lines = raw.split("\n")
    start, end = _chapter_span(lines, "Recommendations")
    out = lines[:start]
    for index in range(start, end):
        line = lines[index]
        if match := _SECTION_LINE_RE.fullmatch(line):
            letter = match.group(2)
            if letter != "A":
                line = f"{match.group(1)}{chr(ord(letter) + 1)}.{match.group(3)}"
        elif (match := _RECOMMENDATION_LINE_RE.fullmatch(line)) and int(match.group(1)) == before:
            out.append(f" B. {title}")
        out.append(line)
    return "\n".join(out + lines[end:])


ATTENDANCE_WORDINGS = {
    "parties": (
        "The following parties to the Firearms Protocol were represented at the meeting, including online, "
        "owing to the specific format of the meeting in the light of the COVID-19 pandemic:",
        "The following States parties to the Firearms Protocol attended the meeting:",
    ),
    "signatories": (
        "The following States signatories to the Firearms Protocol were represented by observers, including "
        "online, owing to the specific format of the meeting in the light of the COVID-19 pandemic:",
        "The meeting was also attended by observers for the following States signatories to the Firearms Protocol:",
    ),
    "non_signatories": (
        "The following States that are not parties or signatories to the Firearms Protocol were represented by "
        "observers, including online, owing to the specific format of the meeting in the light of the COVID-19 "
        "pandemic:",
        "Observers for the following States that are not parties or signatories to the Firearms Protocol attended the meeting:",
    ),
    "igos": (
        "The following intergovernmental organizations were represented by observers, including online, owing to "
        "the specific format of the meeting in the light of the COVID-19 pandemic:",
        "The following intergovernmental organizations were also represented:",
    ),
}


def reword_attendance(raw: str) -> str:
    """The attendance paragraphs in other wordings the series uses ("attended the meeting", "Observers for ...")."""
    for old, new in ATTENDANCE_WORDINGS.values():
        raw, count = re.subn(_words(old), new, raw)
        assert count == 1, old
    return raw


def _recommendation_blocks(lines: list[str]) -> dict[int, tuple[int, int]]:
    """Line span (after the heading, up to the next heading) of each "Recommendation N"."""
    heads = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := _RECOMMENDATION_LINE_RE.fullmatch(line))]
    spans = {}
    for index, (line, number) in enumerate(heads):
        end = heads[index + 1][0] if index + 1 < len(heads) else len(lines)
        for stop in range(line + 1, end):
            if _SECTION_LINE_RE.fullmatch(lines[stop]) or _CHAPTER_LINE_RE.fullmatch(lines[stop]):
                end = stop
                break
        spans[number] = (line + 1, end)
    return spans


def rewrite_recommendations(raw: str, texts: dict[int, str]) -> str:
    """Replace the text of the given recommendations (one line each; sub-items on their own lines)."""
    lines = raw.split("\n")
    spans = _recommendation_blocks(lines)
    for number in sorted(texts, reverse=True):
        start, end = spans[number]
        lines[start:end] = ["", *texts[number].split("\n"), ""]
    return "\n".join(lines)


def recommendation_text(raw: str, number: int) -> str:
    """The raw text of Recommendation ``number`` on one line (damage kept)."""
    lines = raw.split("\n")
    start, end = _recommendation_blocks(lines)[number]
    return " ".join(line.strip() for line in lines[start:end] if line.strip())


def revise(text: str) -> str:
    """A revision as a later meeting makes one: the ending reworded, a request to report back added."""
    words = text.rstrip(" .").split()
    return " ".join(words[:-3]) + ", and to report on progress at the next meeting of the Working Group."


NEW_RECOMMENDATIONS = {
    20: "The secretariat should convene a workshop on three-dimensional printing of weapon frames for forensic laboratories.",
    21: "Member States are invited to nominate liaison officers for maritime container inspections at seaports.",
    22: "Judicial training curricula ought to include modules about cryptocurrency wallets used by brokers.",
}
REVISED = range(11, 16)  # revised in the 2022 report
REPEATED = [n for n in range(1, RECOMMENDATIONS + 1) if n not in REVISED and n not in NEW_RECOMMENDATIONS]


def firearms_2022(raw: str) -> str:
    """The next meeting's report: recommendations 11-15 revised, 20-22 new, the rest repeated verbatim."""
    texts = {number: revise(recommendation_text(raw, number)) for number in REVISED}
    texts.update(NEW_RECOMMENDATIONS)
    return move_meeting(rewrite_recommendations(raw, texts), "Vienna", (3, 4, 5), "May", 2022)


def trafficking_2022(raw: str) -> str:
    """A sibling group's report: other name, place and dates, numbered recommendations, other attendance wording."""
    text = rename_group(raw, "Trafficking in Persons")
    text = move_meeting(text, "Geneva", (6, 7, 8), "July", 2022)
    return numbered_recommendations(reword_attendance(text))


# --- the series' older layouts ------------------------------------------------------------

SUBSECTIONS = {  # the shipped report's sections of chapter II -> (lettered heading, numbered sub-heading)
    "A": ("A", "1. General recommendations"),
    "B": (
        "A",
        "2. Recommendations on reducing illicit financial and arms flows to achieve target 16.4 of the "
        "Sustainable Development Goals",
    ),
    "C": ("A", "3. Recommendations on the application of the Firearms Protocol in the context of diversion"),
    "D": ("B", None),
}
OLDER_LETTERED = {
    "A": "Recommendations on the substantive agenda items",
    "B": "Recommendations based on the follow-up to the results of the previous meetings of the Working Group on Firearms",
}


def retitle_chapter(raw: str, old: str, new: str) -> str:
    """The chapter heading "N. <old>" becomes "N. <new>" (the whole title line)."""
    return re.sub(rf"(?m)^(\s*[IVX]+\.\s+){re.escape(old)}\s*$", lambda m: m.group(1) + new, raw, count=1)


def subsection_headings(raw: str) -> str:
    """Chapter II's lettered sections A-D become A (with numbered sub-headings 1-3) and B, as older reports have them.

    A lettered heading may run over two lines in the raw text; its continuation is dropped with it.
    """
    lines = raw.split("\n")
    start, end = _chapter_span(lines, "Recommendations")
    out = lines[:start]
    index = start
    while index < end:
        line = lines[index]
        match = _SECTION_LINE_RE.fullmatch(line)
        if match and match.group(2) in SUBSECTIONS:
            letter, numbered = SUBSECTIONS[match.group(2)]
            if letter != "A" or match.group(2) == "A":
                out.append(f" {letter}. {OLDER_LETTERED[letter]}")
                out.append("")
            if numbered:
                out.append(f" {numbered}")
            index += 1
            while index < end and not lines[index].strip():
                index += 1
            # a wrapped heading: the next non-blank line continues it unless a recommendation starts
            if index < end and not _RECOMMENDATION_LINE_RE.fullmatch(lines[index]):
                index += 1
            continue
        out.append(line)
        index += 1
    return "\n".join(out + lines[end:])


def run_on_first_subheading(raw: str) -> str:
    """The first numbered sub-heading and the paragraph after it on one line, as text extraction leaves them."""
    return re.sub(r"(?m)^( 1\. General recommendations)\s*\n\s*(\d{1,3}\. )", r"\1 \2", raw, count=1)


def page_debris(
    raw: str, *, every: int = 50, symbol: str = "CTOC/COP/WG.6/2010/3", job: str = "V.10-50502", draft: str | None = None
) -> str:
    """Page breaks as older PDFs extract them: page number, running symbol, job number "(E)" and barcode."""
    lines = raw.split("\n")
    out: list[str] = []
    digits = job.split(".", 1)[1].replace("-", "")
    for number, page in enumerate(range(0, len(lines), every), start=1):
        out.append(f"{symbol}" if number % 2 else f"{number}")
        if draft:
            out.append(draft)
        out.extend(lines[page : page + every])
        out.append(f"{job} (E)" if number == 1 else f"{number}")
        if number == 1:
            out.append(f"*{digits}*")
        out.append("\f")
    return "\n".join(out)


def older_layout(raw: str, draft: str | None = None) -> str:
    """The 2021 report laid out as the series' older reports are (issue: numbered recommendations).

    Recommendations are numbered paragraphs continuing the report's numbering, chapter II is
    "Recommendations adopted by the Working Group" with lettered sub-headings and numbered
    sub-sub-headings, and page breaks leave job number, barcode and running symbol (and the
    ``draft`` symbol, "…/L.1", on every page) in the text.
    """
    text = subsection_headings(raw)
    text = numbered_recommendations(text)
    text = retitle_chapter(text, "Recommendations", "Recommendations adopted by the Working Group")
    return page_debris(text, draft=draft)


def _paragraph_spans(lines: list[str]) -> list[tuple[int, int, int]]:
    """(number, first line, end line) of each numbered paragraph, recognised in sequence like the parser."""
    heads = []
    expected = 1
    for index, line in enumerate(lines):
        match = _PARAGRAPH_LINE_RE.fullmatch(line)
        if match and int(match.group(2)) == expected:
            heads.append((expected, index))
            expected += 1
    spans = []
    for position, (number, start) in enumerate(heads):
        end = heads[position + 1][1] if position + 1 < len(heads) else len(lines)
        for stop in range(start + 1, end):
            if _SECTION_LINE_RE.fullmatch(lines[stop]) or _CHAPTER_LINE_RE.fullmatch(lines[stop]):
                end = stop
                break
        spans.append((number, start, end))
    return spans


def drop_paragraphs(raw: str, starting: str) -> str:
    """Remove the paragraphs whose text starts with ``starting`` (a regular expression); renumber the rest."""
    lines = raw.split("\n")
    drop, new = set(), 0
    for _number, start, end in _paragraph_spans(lines):
        match = _PARAGRAPH_LINE_RE.fullmatch(lines[start])
        if re.match(starting, match.group(3).strip()):
            drop.update(range(start, end))
        else:
            new += 1
            lines[start] = f"{match.group(1)}{new}.{match.group(3)}"
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def without_panel_lists(raw: str) -> str:
    """No "the discussion under item N was led by the following panellists" paragraphs (older reports)."""
    return drop_paragraphs(raw, r"With the Chair presiding, the discussion")


def _reorder(lines: list[str], order: list[int]) -> list[str]:
    """``lines`` in the order of the indices ``order``, paragraphs numbered again in their new reading order."""
    heads = {start for _number, start, _end in _paragraph_spans(lines)}
    out, number = [], 0
    for index in order:
        line = lines[index]
        if index in heads:
            number += 1
            match = _PARAGRAPH_LINE_RE.fullmatch(line)
            line = f"{match.group(1)}{number}.{match.group(3)}"
        out.append(line)
    return out


def deliberations_first(raw: str) -> str:
    """Chapter III (Summary of deliberations) before chapter II (Recommendations), chapters and paragraphs renumbered."""
    lines = raw.split("\n")
    rec_start, rec_end = _chapter_span(lines, "Recommendations")
    del_start, del_end = _chapter_span(lines, "Summary of deliberations")
    assert rec_end == del_start
    order = [*range(rec_start), *range(del_start, del_end), *range(rec_start, rec_end), *range(del_end, len(lines))]
    out = _reorder(lines, order)
    first = rec_start
    second = rec_start + (del_end - del_start)
    out[first] = re.sub(r"III\.", "II.", out[first], count=1)
    out[second] = re.sub(r"II\.", "III.", out[second], count=1)
    return "\n".join(out)


PANEL_PARAGRAPHS = (
    r"The discussion was facilitated by",
    r"The (?:first |second )?representative of the Group of",
    r"With the Chair presiding, the discussion",
)
NAMED_STATES = {  # the anonymous speaker opening a paragraph -> the State that a report without a panel names
    "One speaker stressed the importance of making more use": "The representative of Spain",
    "One speaker mentioned the need to develop a comprehensive": "The observer for the European Union",
    "One speaker mentioned emerging common challenges": "Peru",
}


def without_panel(raw: str) -> str:
    """A meeting without a panel: no panellists' presentations, remarks by anonymous speakers and named States."""
    text = drop_paragraphs(raw, "|".join(PANEL_PARAGRAPHS))
    for opening, speaker in NAMED_STATES.items():
        words = opening.split()
        text, count = re.subn(_words(opening), " ".join([speaker, *words[2:]]), text)
        assert count == 1, opening
    return text


GROUPS = {  # working group -> (place, days, month, year, protocol or subject replacing "Firearms Protocol")
    "Trafficking in Persons": ("Vienna", (6, 7, 8), "July", 2022, "Trafficking in Persons Protocol"),
    "Smuggling of Migrants": ("Vienna", (12, 13, 14), "September", 2022, "Migrants Protocol"),
    "International Cooperation": ("Vienna", (7, 8, 9), "June", 2023, "Organized Crime Convention"),
    "Technical Assistance": ("Vienna", (10, 11, 12), "October", 2023, "Organized Crime Convention"),
}
GROUP_RECOMMENDATIONS = {  # recommendations each group adds (numbers 48.. in its report), with their topics
    "Trafficking in Persons": {
        "States should ensure that victims of trafficking in persons are not punished for unlawful acts they "
        "were compelled to commit as a direct consequence of having been trafficked.": {"victims", "non_punishment"},
        "States should train frontline officers in the early identification of victims of trafficking and refer "
        "them to protection and assistance services.": {"victims", "identification"},
    },
    "Smuggling of Migrants": {
        "States should ensure that smuggled migrants are not made liable to criminal prosecution for the fact of "
        "having been the object of smuggling, and that their rights are protected.": {"smuggled_migrants", "non_punishment"},
        "States should strengthen border management and the exchange of information among border control "
        "agencies to detect and prevent the smuggling of migrants by sea, land and air.": {
            "border_management",
            "smuggled_migrants",
        },
    },
    "International Cooperation": {},
    "Technical Assistance": {},
}


def add_recommendations(raw: str, texts: list[str]) -> str:
    """New recommendations 48, 49... at the end of chapter II's last section, each under its own heading."""
    lines = raw.split("\n")
    _start, end = _chapter_span(lines, "Recommendations")
    added = []
    for number, text in enumerate(texts, start=RECOMMENDATIONS + 1):
        added += [f"  Recommendation {number} ", "", text, ""]
    return "\n".join(lines[:end] + added + lines[end:])


def group_report(raw: str, group: str, protocol_too: bool = False) -> str:
    """The report of another working group: its name, meeting and recommendations of its own (and its protocol)."""
    place, days, month, year, protocol = GROUPS[group]
    text = add_recommendations(raw, list(GROUP_RECOMMENDATIONS[group]))
    if protocol_too:
        text = re.sub(_words("Firearms Protocol"), protocol, text)
    return move_meeting(rename_group(text, group), place, days, month, year)


def prose(raw: str, size: int) -> str:
    """About ``size`` characters of the report's own deliberations, wrapped, without paragraph numbers."""
    lines = raw.split("\n")
    start, end = _chapter_span(lines, "Summary of deliberations")
    body = [re.sub(r"^\s*\d{1,3}\.\s+", "", line) for line in lines[start + 1 : end]]
    body = [line for line in body if line.strip() and not _SECTION_LINE_RE.fullmatch(line)]
    out, total = [], 0
    while total < size:
        for line in body:
            out.append(line)
            total += len(line) + 1
            if total >= size:
                break
    return "\n".join(out)


def with_annex(raw: str, size: int = 400_000, heading: str | None = "Annex") -> str:
    """The report followed by an annex of about ``size`` characters (without ``heading``: glued on, unmarked)."""
    return (
        raw.rstrip("\n")
        + "\n\n"
        + (f"{heading}\n\nStatements submitted by delegations\n\n" if heading else "")
        + prose(raw, size)
        + "\n"
    )


def repeated(raw: str, times: int = 2) -> str:
    """The same report ``times`` times in one file, as a careless concatenation of PDFs leaves it."""
    return "\f".join([raw] * times)


def anonymous_again(text: str) -> str:
    """A text of `without_panel` with its named States anonymous again, as in the shipped report."""
    for opening, speaker in NAMED_STATES.items():
        text = text.replace(" ".join([speaker, *opening.split()[2:]]), opening)
    return text
