"""Plain records produced by parsing a report.

Parsing is pure: text in, these frozen records out. Building the database
(`models.build`) is the only code that turns them into rows. Nothing here knows
about SQLAlchemy or Qt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Participant kinds, as exported in the `participants` CSV.
PANELLIST = "panellist"
CHAIR = "chair"
PARTY = "party"
SIGNATORY = "signatory"
NON_SIGNATORY = "non_signatory"
IGO = "igo"
UN_ENTITY = "un_entity"
PARTICIPANT_KINDS = (PANELLIST, CHAIR, PARTY, SIGNATORY, NON_SIGNATORY, IGO, UN_ENTITY)


@dataclass(frozen=True)
class Section:
    """A chapter ("II") or a section of a chapter ("II.B")."""

    label: str
    title: str
    parent: str | None  # label of the chapter for a section; None for a chapter
    order: int  # position in reading order, 0-based, over all sections


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph ("9.") with its repaired text."""

    number: int
    section: str  # label of the innermost section holding it ("III.A", or "II")
    text: str


@dataclass(frozen=True)
class SubItem:
    """A lettered sub-item of a recommendation: 47(a) has letter "a"."""

    letter: str
    text: str


@dataclass(frozen=True)
class Recommendation:
    number: int
    section: str  # "II.A" ... "II.D"
    text: str  # the recommendation's own text (the lead-in when it has sub-items)
    subitems: tuple[SubItem, ...] = ()


@dataclass(frozen=True)
class AgendaItem:
    number: str  # "1", "1(a)", "2"
    title: str
    parent: str | None = None  # "1" for "1(a)"


@dataclass(frozen=True)
class PanelSeat:
    """One panellist speaking under one agenda item, in the order the report names them."""

    agenda_item: str
    order: int  # 1-based position in the panel of that item
    group: str | None  # regional group the panellist spoke for, e.g. "Group of African States"


@dataclass(frozen=True)
class Participant:
    """A person, State or organisation taking part in the meeting.

    Panellists carry their seats; the Chair has kind CHAIR; States and
    organisations from the attendance lists carry the kind of the list.
    """

    name: str
    kind: str  # one of PARTICIPANT_KINDS
    state: str | None = None
    group: str | None = None  # regional group (panellists)
    function: str | None = None
    affiliation: str | None = None
    seats: tuple[PanelSeat, ...] = ()

    @property
    def agenda_items(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(seat.agenda_item for seat in self.seats))


@dataclass(frozen=True)
class Statement:
    """A delegation or organisation that made a statement under an agenda item."""

    agenda_item: str
    name: str  # State or organisation, as named in the attendance lists where possible
    capacity: str  # party / signatory / non_signatory / igo / un_entity
    paragraph: int  # paragraph of the report that records it


@dataclass(frozen=True)
class DocumentReference:
    symbol: str  # "CTOC/COP/WG.6/2021/2"
    description: str
    paragraph: int


@dataclass(frozen=True)
class Footnote:
    marker: str
    text: str
    paragraph: int  # paragraph whose text carried the marker


@dataclass(frozen=True)
class Report:
    """Everything the parser takes from one report."""

    title: str
    symbol: str | None
    place: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    recommendations: tuple[Recommendation, ...]
    agenda_items: tuple[AgendaItem, ...]
    participants: tuple[Participant, ...]
    statements: tuple[Statement, ...] = ()
    references: tuple[DocumentReference, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    warnings: tuple[str, ...] = field(default=())


class ReportFormatError(ValueError):
    """The text is not a report of the expected kind; the message says what is missing."""
