"""Reading the lists of names in a report: attendance, panels, the Chair, statements.

Pure functions over repaired `records.Paragraph`s. Names are split with general
rules (commas outside parentheses; the list's final "and"; an "and" inside a
name is recognised by capitalisation and by the names the document lists
elsewhere), never with a table of known names.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

from models.parse import records

_AND_RE = re.compile(r" and (?=(the )?[A-Z])")
_NAME_PARTICLES = {
    "de",
    "del",
    "della",
    "der",
    "di",
    "da",
    "dos",
    "das",
    "do",
    "du",
    "la",
    "le",
    "van",
    "von",
    "y",
    "e",
    "bin",
    "al",
    "el",
}


def _key(name: str) -> str:
    return re.sub(r"^the ", "", name.strip(), flags=re.IGNORECASE).casefold()


def strip_article(name: str) -> str:
    """ "the United States" -> "United States"."""
    return re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)


def _split_top_level(text: str, separator: str) -> list[str]:
    """Split at `separator` characters that are outside parentheses."""
    parts, depth, current = [], 0, []
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def split_names(text: str, known: Collection[str] = (), single: bool = False) -> list[str]:
    """Split a list such as "Spain, Cuba and Trinidad and Tobago" into names.

    Commas outside parentheses separate names. In the last part, one " and "
    before a capitalised word (or "the" and a capitalised word) separates the
    final name; the choice prefers splits whose parts are `known` names (or,
    with `single`, a known whole), then a capitalised word over "the", then the
    earliest. `single` says the phrase more likely names one thing ("the
    observer for X"). Names are returned without a leading "the".
    """
    known_keys = {_key(name) for name in known}
    parts = _split_top_level(text.strip().rstrip("."), ",")
    if not parts:
        return []
    last = re.sub(r"^and\s+", "", parts[-1])
    must_split = len(parts) > 1 and not parts[-1].startswith("and ")
    options: list[list[str]] = [] if must_split else [[last]]
    options += [[last[: m.start()], last[m.end() :]] for m in _AND_RE.finditer(last)]
    if not options:
        options = [[last]]

    def score(option: list[str]) -> tuple[bool, int, bool, bool]:
        hits = sum(_key(part) in known_keys for part in option)
        plain_capital = len(option) == 1 or not option[1].startswith("the ")
        return hits == len(option), hits, (len(option) == 1) == single, plain_capital

    best = max(options, key=score)  # max keeps the first of equals: the earliest split
    return [strip_article(name) for name in parts[:-1] + best]


def match_name(name: str, known: Iterable[str]) -> str:
    """The `known` spelling of `name`: exact, or the longest known name it extends.

    "the United States of America" -> "United States" when that is known.
    """
    return _Names(tuple(known)).match(name)


class _Names:
    """`match_name` over one list of known names, their keys computed once."""

    def __init__(self, known: Sequence[str]) -> None:
        self.by_key: dict[str, str] = {}
        for candidate in known:
            self.by_key.setdefault(_key(candidate), candidate)

    def match(self, name: str) -> str:
        key = _key(name)
        if key in self.by_key:
            return self.by_key[key]
        words = key.split(" ")
        for end in range(len(words) - 1, 0, -1):  # the longest known name that `name` extends
            if (prefix := " ".join(words[:end])) in self.by_key:
                return self.by_key[prefix]
        return strip_article(name)


def _trailing_name(text: str) -> str:
    """The personal name ending `text`: "opened by Luis Javier Campuzano Piña" -> the name."""
    tokens = text.split()
    start = len(tokens)
    while start > 0 and (tokens[start - 1][:1].isupper() or tokens[start - 1] in _NAME_PARTICLES):
        start -= 1
    while start < len(tokens) and tokens[start] in _NAME_PARTICLES:
        start += 1
    return " ".join(tokens[start:])


# --- attendance ------------------------------------------------------------------------

# "The following X were represented ...:", "The following X (also) attended the meeting:",
# "The meeting was (also) attended by observers for the following X:", "Observers for the following X attended ...:".
_ATTENDANCE_RE = re.compile(
    r"^(?:The following (?P<who>.+?) (?:was|were) (?:also )?represented\b"
    r"|The following (?P<who2>.+?) (?:also )?attended\b"
    r"|The meeting was (?:also )?attended by (?:the )?(?:representatives|observers) (?:of|for) the following (?P<who3>[^:]+)"
    r"|(?:Representatives|Observers) (?:of|for) the following (?P<who4>.+?) (?:also )?attended\b)"
    r"[^:]*:\s*(?P<names>.+)$"
)


def _attendance_kind(who: str) -> str | None:
    who = who.casefold()
    if re.search(r"not (?:parties|party)|non-signator|neither", who):
        return records.NON_SIGNATORY
    if "signator" in who:
        return records.SIGNATORY
    if "part" in who:
        return records.PARTY
    if "intergovernmental" in who:
        return records.IGO
    if "united nations" in who or "specialized agenc" in who:
        return records.UN_ENTITY
    return None


def read_attendance(paragraphs: Sequence[records.Paragraph]) -> tuple[list[records.Participant], list[str]]:
    """States and organisations from "The following ... were represented ...: A, B and C."."""
    lists = []
    warnings = []
    for paragraph in paragraphs:
        match = _ATTENDANCE_RE.match(paragraph.text)
        if not match:
            continue
        kind = _attendance_kind(next(w for w in match.group("who", "who2", "who3", "who4") if w))
        if kind is None:
            warnings.append(f"paragraph {paragraph.number}: attendance list of unknown kind skipped")
            continue
        lists.append((kind, match.group("names")))
    # Names standing between commas are unambiguous; they settle the "and"s at list ends.
    known = [name for _, names in lists for name in _split_top_level(names, ",")[:-1]]
    participants = [records.Participant(name=name, kind=kind) for kind, names in lists for name in split_names(names, known)]
    return participants, warnings


def read_chair(paragraphs: Sequence[records.Paragraph]) -> records.Participant | None:
    """The Chair from "... Luis Javier Campuzano Piña (Mexico), Chair of the Working Group"."""
    pattern = re.compile(r"\s+\(([^()]+)\),?\s+(?:the\s+)?(Chair(?:person)? of the [^.,;]+)")
    for paragraph in paragraphs:
        for match in pattern.finditer(paragraph.text):
            name = _trailing_name(re.split(r"[.;:,()]", paragraph.text[: match.start()])[-1])
            if name:
                return records.Participant(name=name, kind=records.CHAIR, state=match.group(1), function=match.group(2))
    return None


# --- panels ----------------------------------------------------------------------------

_LED_BY_RE = re.compile(
    r"under (?:agenda )?item (?P<item>\d+(?:\s*\([a-z]\))?) was (?:led|moderated|chaired|facilitated) "
    r"by the following panellists?:\s*(?P<names>.+?)\.?$"
)
_FACILITATED_RE = re.compile(r"\b(?:facilitated|moderated) by (?P<entries>.+?)\.?$")
_BEHALF_RE = re.compile(r"^(?P<rest>.*?),?\s+(?:also\s+)?on behalf of (?:the\s+)?(?P<group>.+)$")
_PERSON_STATE_RE = re.compile(r"^(?P<name>.+?)\s*\((?P<state>[^()]+)\)$")


def _normalised(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


_Details = tuple[str | None, str | None, str | None, str | None]  # state, group, function, affiliation


def _describe(entry: str, names: Collection[str], states: dict[str, str], all_states: Collection[str]) -> tuple[str, _Details]:
    """(name, state, group, function, affiliation) from one "facilitated by" entry.

    The function is the title up to the first " of the", " at the" or " of "
    ("Head"); the affiliation is the body named after it ("Department for ...");
    a trailing " of Serbia" or ", Italy" is the panellist's State.
    """
    entry = re.sub(r"^and\s+", "", entry.strip())
    group = None
    if match := _BEHALF_RE.match(entry):
        entry, group = match.group("rest"), match.group("group").rstrip(".")
    name = max((n for n in names if entry.startswith(n)), key=len, default=None)
    name = name or re.split(r",| of ", entry, maxsplit=1)[0].strip()
    description = entry[len(name) :].strip().lstrip(",").strip()
    state = states.get(name)
    candidates = [state] if state else sorted(all_states, key=len, reverse=True)
    for candidate in candidates:
        tail = re.search(rf"(?:,| of)\s+{re.escape(candidate)}$", description)
        if tail:
            description, state = description[: tail.start()].strip(), candidate
            break
    function, affiliation = description or None, None
    if description.startswith("of "):
        function, affiliation = None, description[3:]
    elif split := re.search(r" (?:of|at) ", description):
        function, affiliation = description[: split.start()], description[split.end() :]
    if affiliation:
        affiliation = strip_article(affiliation)
    return name, (state, group, function, affiliation)


def read_panels(
    paragraphs: Sequence[records.Paragraph],
    section_titles: dict[str, str],
    agenda: Sequence[records.AgendaItem],
    states: Collection[str],
) -> tuple[list[records.Participant], list[str]]:
    """Panellists with their seats.

    "The discussion under item 2 was led by the following panellists: A (Spain),
    ..." gives each item's panel in order, with States; "The discussion was
    facilitated by A, Head of ..., on behalf of the Group of ...; B ..." gives
    functions, affiliations and regional groups. A "facilitated by" paragraph
    belongs to the agenda item whose title is its section's title, or else to
    the last item its section mentions.
    """
    warnings: list[str] = []
    panels: dict[str, list[str]] = {}
    states_of: dict[str, str] = {}
    for paragraph in paragraphs:
        if match := _LED_BY_RE.search(paragraph.text):
            item = re.sub(r"\s+", "", match.group("item"))
            for person in split_names(match.group("names")):
                person_match = _PERSON_STATE_RE.match(person)
                name = person_match.group("name") if person_match else person
                if person_match:
                    states_of[name] = person_match.group("state")
                panels.setdefault(item, []).append(name)
    known_names = {name for names in panels.values() for name in names}
    details: dict[str, _Details] = {}
    groups: dict[tuple[str, str], str | None] = {}
    for paragraph in paragraphs:
        match = _FACILITATED_RE.search(paragraph.text)
        if not match or "following panellist" in paragraph.text:
            continue
        item = _item_of(paragraph, paragraphs, section_titles, agenda)
        if item is None:
            warnings.append(f"paragraph {paragraph.number}: panel without an agenda item skipped")
            continue
        order = []
        for entry in _split_top_level(match.group("entries"), ";"):
            name, described = _describe(entry, known_names, states_of, states)
            details.setdefault(name, described)
            groups[(item, name)] = described[1]
            order.append(name)
        panels.setdefault(item, order)
    seats: dict[str, list[records.PanelSeat]] = {}
    for item, names in panels.items():
        for position, name in enumerate(names, start=1):
            seats.setdefault(name, []).append(records.PanelSeat(item, position, groups.get((item, name))))
    panellists = []
    for name, person_seats in seats.items():
        state, group, function, affiliation = details.get(name, (None, None, None, None))
        panellists.append(
            records.Participant(
                name=name,
                kind=records.PANELLIST,
                state=states_of.get(name, state),
                group=group,
                function=function,
                affiliation=affiliation,
                seats=tuple(person_seats),
            )
        )
    return panellists, warnings


def _item_of(
    paragraph: records.Paragraph,
    paragraphs: Sequence[records.Paragraph],
    section_titles: dict[str, str],
    agenda: Sequence[records.AgendaItem],
) -> str | None:
    title = _normalised(section_titles.get(paragraph.section, ""))
    for item in agenda:
        if title and _normalised(item.title) == title:
            return item.number
    mentions = [
        mention
        for other in paragraphs
        if other.section == paragraph.section and other.number <= paragraph.number
        for mention in re.findall(r"\bitem (\d+)", other.text)
    ]
    return mentions[-1] if mentions else None


# --- statements ------------------------------------------------------------------------

_STATEMENT_RE = re.compile(r"\bstatements? (?:was|were) (?:also )?made\b|\bmade a statement\b", re.IGNORECASE)
_CLAUSE_RE = re.compile(
    r"\b(?P<who>representatives?|observers?) (?:of|for) (?P<what>.+?)"
    r"(?=,? and by (?:the )?(?:representatives?|observers?)\b|\. |\.$| also made a statement|$)"
)
_STATE_KIND_RE = re.compile(r"^(?:the )?(?P<kind>non-signatory|signatory|non-party) (?P<noun>States?) (?P<names>.+)$")


def read_statements(
    paragraphs: Sequence[records.Paragraph], attendance: Sequence[records.Participant]
) -> tuple[list[records.Statement], list[str]]:
    """Who spoke under which agenda item, named as in the attendance lists.

    Reads paragraphs such as "Under agenda item 2, statements were made by
    representatives of the following States parties ...: A and B. Statements were
    also made by the observer for the signatory State C ...". An organisation is
    given the kind of its attendance list; one missing there counts as a United
    Nations entity when its name says so ("United Nations", "Office ...",
    "Department ..."), otherwise as an intergovernmental organisation.
    """
    kind_of = {_key(p.name): p.kind for p in attendance}
    names = [p.name for p in attendance]
    matcher = _Names(names)
    statements, warnings = [], []
    for paragraph in paragraphs:
        text = paragraph.text
        if not _STATEMENT_RE.search(text) or re.match(r"No statements?\b", text):
            continue
        item = re.search(r"\bitem (\d+(?:\s*\([a-z]\))?)", text)
        if not item:
            warnings.append(f"paragraph {paragraph.number}: statements without an agenda item skipped")
            continue
        for clause in _CLAUSE_RE.finditer(text):
            what, plural = clause.group("what"), clause.group("who").endswith("s")
            capacity = None
            if ":" in what:
                qualifier, what = what.split(":", 1)
                capacity = _attendance_kind(qualifier)
            elif match := _STATE_KIND_RE.match(what):
                capacity = _attendance_kind(match.group("kind"))
                plural = plural or match.group("noun") == "States"
                what = match.group("names")
            for name in split_names(what, names, single=not plural):
                name = matcher.match(name)
                kind = capacity or kind_of.get(_key(name))
                if kind is None:
                    united = re.search(r"\bUnited Nations\b|^(?:Office|Department)\b", name)
                    kind = records.UN_ENTITY if united else records.IGO
                    warnings.append(f"paragraph {paragraph.number}: {name!r} is not in the attendance lists")
                statements.append(records.Statement(re.sub(r"\s+", "", item.group(1)), name, kind, paragraph.number))
    return statements, warnings
