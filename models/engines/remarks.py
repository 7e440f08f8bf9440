"""Who said what: splitting the summary of deliberations into attributed remarks.

A *remark* is a sentence, or a run of sentences, by one speaker. Attribution
follows how these reports are written:

* "The representative of the Group of African States" names a panellist by the
  regional group of a seat on the panel of the current agenda item; "the
  first/second representative of the Group of ..." picks by the panel's order.
* "He", "She", "In her conclusions, she", and sentences with no speaker of
  their own ("Reference was also made to ...") continue the current speaker.
* Anonymous speakers keep the quantifier of the text ("one speaker", "several
  speakers"); "another speaker" always starts a new remark.
* The Chair and the Secretariat are speakers; procedural sentences ("At its 1st
  meeting, the Working Group considered item 2") have no speaker (kind "text").
* "One speaker underlined that the European Union attached ..." records whom
  the speaker spoke for, when that name is a known participant.
* "The representative of Mexico", "the observer for the European Union" or a
  sentence opening with a known State ("Spain described ...") names a
  delegation as the speaker, when the name is a known participant; a report
  without a panel has only such speakers and anonymous ones.

The current agenda item changes when a paragraph says the Working Group
considered or moved to an item. Everything here is pure: text in, records out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

PANELLIST = "panellist"
CHAIR = "chair"
SECRETARIAT = "secretariat"
ANONYMOUS = "anonymous"
DELEGATION = "delegation"  # a State or organisation named as the speaker ("The representative of Mexico")
NO_SPEAKER = "text"


@dataclass(frozen=True)
class Seat:
    agenda_item: str
    order: int
    group: str | None
    name: str


@dataclass(frozen=True)
class SpeakerRecord:
    kind: str
    label: str  # full name, "the Secretariat", or the quantifier
    name: str | None = None  # participant name for panellists and the Chair
    quantifier: str | None = None


@dataclass(frozen=True)
class RemarkRecord:
    paragraph: int
    position: int
    start: int
    end: int
    text: str
    speaker: SpeakerRecord
    agenda_item: str | None
    on_behalf_of: str | None = None


_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|No|Nos|art|arts|para|paras|Mr|Ms|Dr|vol|cf)\.$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][”\"’)]?\s+(?=[A-Z“\"(])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start() + 1]
        if _ABBREVIATIONS.search(candidate):
            continue
        spans.append((start, match.start() + len(match.group(0).rstrip())))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


_QUANTIFIED = re.compile(
    r"\b(?P<q>one|another|two|three|four|five|a\s+few|few|some|several|various|many|most|a\s+number\s+of|other|"
    r"a\s+couple\s+of)\s+(?:other\s+)?(?P<noun>speakers?|delegations?|participants?)\b",
    re.IGNORECASE,
)
_PLAIN_SPEAKERS = re.compile(r"^(?:[^,]{0,60},\s*)?(?P<noun>Speakers|Delegations|Participants)\b")
_PRONOUN = re.compile(r"^(?:[^,]{0,60},\s*)?(?:he|she|they|the panellist|the speaker)\b", re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_REPRESENTATIVE = re.compile(
    r"\b(?:the\s+)?(?:(?P<ordinal>first|second|third|fourth|fifth)\s+)?representative\s+of\s+(?:the\s+)?"
    r"(?P<group>Group\s+of\s+[A-Z][\w\s,]*?States)",
    re.IGNORECASE,
)
_SECRETARIAT = re.compile(
    r"\b(?:a\s+|the\s+)?representatives?\s+of\s+the\s+Secretariat\b|\bthe\s+Secretariat\s+"
    r"(?:presented|proposed|informed|noted|introduced|highlighted|explained)",
    re.IGNORECASE,
)
_CHAIR = re.compile(
    r"\bthe\s+Chair\s+(?!of\b)(?:\w+ly\s+)?(?:highlighted|invited|noted|recalled|informed|opened|"
    r"presented|proposed|thanked|stressed|said|stated|explained|addressed|emphasized|underlined|"
    r"reminded|welcomed|concluded|closed|summarized|introduced)\b",
    re.IGNORECASE,
)
_AGENDA = re.compile(r"\b(?:considered|moved\s+to|considering|turned\s+to)\s+(?:agenda\s+)?item\s+(?P<n>\d+)", re.IGNORECASE)
_PROCEDURAL = re.compile(
    r"^(?:At\s+its\s+\d+\w*|Following\s+the\s+conclusion|The\s+discussion\s+was\s+(?:facilitated|led)|"
    r"The\s+following\s+summary)",
    re.IGNORECASE,
)
_ON_BEHALF = re.compile(
    r"\b(?:that|how|whether)\s+(?:the\s+)?(?P<name>[A-Z][\w’'\-]*(?:\s+(?:of\s+|and\s+|the\s+)?"
    r"[A-Z(][\w’'()\-]*)*)\s+(?:attached|had|was|were|would|planned|supported|considered|"
    r"believed|welcomed|remained|intended|shared|called)\b"
)


def _group_key(group: str | None) -> frozenset[str]:
    """Distinctive words of a regional group's name ("Latin America" ~ "Latin American")."""
    if not group:
        return frozenset()
    words = re.findall(r"[a-z]+", group.lower())
    return frozenset(word[:5] for word in words if word not in {"group", "of", "and", "the", "other", "states"})


def _resolve_panellist(match: re.Match, seats: Sequence[Seat], item: str | None) -> SpeakerRecord | None:
    wanted = _group_key(match.group("group"))
    panel = sorted((seat for seat in seats if seat.agenda_item == item), key=lambda seat: seat.order)
    candidates = [seat for seat in panel if _group_key(seat.group) == wanted] or [
        seat for seat in panel if wanted and wanted <= _group_key(seat.group)
    ]
    if not candidates:
        return None
    index = _ORDINALS.get((match.group("ordinal") or "").lower(), 1) - 1
    seat = candidates[min(index, len(candidates) - 1)]
    return SpeakerRecord(PANELLIST, seat.name, name=seat.name)


_DELEGATE = re.compile(
    r"^(?:[^,]{0,60},\s*)?(?:[Tt]he\s+)?(?:[Rr]epresentative|[Oo]bserver|[Dd]elegation)s?\s+(?:of|for)\s+"
    r"(?:the\s+)?(?P<name>[A-Z].*)"
)


def _delegation(sentence: str, known: Sequence[str]) -> SpeakerRecord | None:
    """A known State or organisation speaking: "The representative of Mexico ...", "Spain described ..."."""
    match = _DELEGATE.search(sentence)
    rest = match.group("name") if match else re.sub(r"^(?:[^,]{0,60},\s*)?(?:the\s+)?", "", sentence)
    for name in known:  # longest first
        if rest.startswith(name) and not rest[len(name) : len(name) + 1].isalnum():
            following = rest[len(name) :].lstrip(" ,")
            if match or re.match(r"(?:\w+ed|said|stressed|noted|underlined|also|further)\b", following):
                return SpeakerRecord(DELEGATION, name, name=name)
    return None


def _explicit_speaker(
    sentence: str, seats: Sequence[Seat], item: str | None, chair: str | None, known: Sequence[str] = ()
) -> SpeakerRecord | None:
    """The speaker a sentence names itself, if any (None: it continues or has none)."""
    if _SECRETARIAT.search(sentence):
        return SpeakerRecord(SECRETARIAT, "the Secretariat")
    representative = _REPRESENTATIVE.search(sentence)
    if representative and representative.start() < 80:
        resolved = _resolve_panellist(representative, seats, item)
        if resolved:
            return resolved
    if delegation := _delegation(sentence, known):
        return delegation
    if _CHAIR.search(sentence) and not _QUANTIFIED.search(sentence[: _CHAIR.search(sentence).start()]):
        return SpeakerRecord(CHAIR, chair or "the Chair", name=chair)
    quantified = _QUANTIFIED.search(sentence)
    if quantified:
        quantifier = re.sub(r"\s+", " ", f"{quantified.group('q')} {quantified.group('noun')}").lower()
        return SpeakerRecord(ANONYMOUS, quantifier, quantifier=quantifier)
    plain = _PLAIN_SPEAKERS.search(sentence)
    if plain:
        quantifier = plain.group("noun").lower()
        return SpeakerRecord(ANONYMOUS, quantifier, quantifier=quantifier)
    return None


def _on_behalf_of(sentence: str, known_names: Sequence[str]) -> str | None:
    for match in _ON_BEHALF.finditer(sentence):
        name = match.group("name")
        for known in known_names:
            if name == known or name.startswith(known + " ") or known == f"the {name}":
                return known
    return None


def attribute(
    paragraphs: Sequence[tuple[int, str]],
    seats: Sequence[Seat],
    *,
    chair: str | None = None,
    known_names: Sequence[str] = (),
    agenda_item: str | None = None,
) -> list[RemarkRecord]:
    """Split the deliberation ``paragraphs`` ((number, text), in order) into attributed remarks."""
    remarks: list[RemarkRecord] = []
    known = sorted(set(known_names), key=len, reverse=True)
    current: SpeakerRecord | None = None
    for number, text in paragraphs:
        position = 0
        open_remark: RemarkRecord | None = None
        for start, end in split_sentences(text):
            sentence = text[start:end]
            moved = _AGENDA.search(sentence)
            if moved:
                agenda_item = moved.group("n")
            speaker = _explicit_speaker(sentence, seats, agenda_item, chair, known)
            if speaker is None and _PROCEDURAL.search(sentence):
                speaker = SpeakerRecord(NO_SPEAKER, "")
            continues = speaker is None or (
                speaker == current and speaker.kind in (PANELLIST, CHAIR, SECRETARIAT, DELEGATION, NO_SPEAKER)
            )
            if speaker is None:
                if current is None or (_PRONOUN.search(sentence) is None and current.kind == NO_SPEAKER):
                    speaker = SpeakerRecord(NO_SPEAKER, "")
                    continues = current is not None and current.kind == NO_SPEAKER
                else:
                    speaker = current
            behalf = _on_behalf_of(sentence, known) if speaker.kind == ANONYMOUS else None
            if continues and open_remark is not None:
                open_remark = replace(
                    open_remark,
                    end=end,
                    text=text[open_remark.start : end],
                    on_behalf_of=open_remark.on_behalf_of or behalf,
                )
                remarks[-1] = open_remark
            else:
                open_remark = RemarkRecord(number, position, start, end, sentence, speaker, agenda_item, behalf)
                remarks.append(open_remark)
                position += 1
            current = speaker
    return remarks
