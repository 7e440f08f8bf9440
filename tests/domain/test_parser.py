"""models.parse.parser on the shipped report, on other extractions of it, and on bad input."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from models.parse import records
from models.parse.name_lists import match_name, split_names
from models.parse.parser import parse_report
from tests import variants

REPORT = Path(__file__).resolve().parents[2] / "resources" / "reports" / "wg-firearms-2021.txt"


@pytest.fixture(scope="module")
def raw() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report(raw) -> records.Report:
    return parse_report(raw)


def paragraph(report: records.Report, number: int) -> records.Paragraph:
    return next(p for p in report.paragraphs if p.number == number)


def recommendation(report: records.Report, number: int) -> records.Recommendation:
    return next(r for r in report.recommendations if r.number == number)


def participants(report: records.Report, kind: str) -> list[records.Participant]:
    return [p for p in report.participants if p.kind == kind]


# --- the shipped report ----------------------------------------------------------------


def test_title_place_dates_and_symbol(report):
    assert report.title == ("Report on the meeting of the Working Group on Firearms held in Vienna from 10 to 12 May 2021")
    assert (report.place, report.start_date, report.end_date) == ("Vienna", dt.date(2021, 5, 10), dt.date(2021, 5, 12))
    assert report.symbol is None  # the shipped text does not state its own symbol


def test_chapters_and_sections(report):
    assert [(s.label, s.title, s.parent) for s in report.sections] == [
        ("I", "Introduction", None),
        ("II", "Recommendations", None),
        ("II.A", "General recommendations", "II"),
        (
            "II.B",
            "Recommendations on reducing illicit financial and arms flows to achieve target 16.4 of the "
            "Sustainable Development Goals",
            "II",
        ),
        ("II.C", "Recommendations on the application of the Firearms Protocol in the context of diversion", "II"),
        (
            "II.D",
            "Recommendations based on the follow-up to the results of the previous meetings of the Working Group on Firearms",
            "II",
        ),
        ("III", "Summary of deliberations", None),
        ("III.A", "Reducing illicit financial and arms flows to achieve target 16.4 of the Sustainable Development Goals", "III"),
        (
            "III.B",
            "From arms transfers to firearms trafficking: application of the Firearms Protocol in the context of diversion",
            "III",
        ),
        ("III.C", "Follow-up to the results of the previous meetings of the Working Group on Firearms", "III"),
        ("III.D", "Other matters and Adoption of the report", "III"),
        ("IV", "Organization of the meeting", None),
        ("IV.A", "Opening of the meeting", "IV"),
        ("IV.B", "Statements", "IV"),
        ("IV.C", "Adoption of the agenda and organization of work", "IV"),
        ("IV.D", "Attendance", "IV"),
        ("IV.E", "Documentation", "IV"),
        ("V", "Adoption of the report", None),
    ]
    assert [s.order for s in report.sections] == list(range(18))


def test_paragraphs_are_all_present_once_in_their_innermost_section(report):
    assert [p.number for p in report.paragraphs] == list(range(1, 58))
    sections = {p.number: p.section for p in report.paragraphs}
    assert [sections[n] for n in (1, 4, 5, 6, 7, 9, 20, 21, 34, 35, 38, 40, 42, 49, 50, 55, 56, 57)] == [
        "I", "I", "II", "III", "III.A", "III.A", "III.A", "III.B", "III.B", "III.C", "III.D",
        "IV.A", "IV.B", "IV.C", "IV.D", "IV.D", "IV.E", "V",
    ]  # fmt: skip


def test_recommendations_and_sub_items(report):
    assert [r.number for r in report.recommendations] == list(range(1, 48))
    sections = Counter(r.section for r in report.recommendations)
    assert sections == {"II.A": 4, "II.B": 18, "II.C": 22, "II.D": 3}
    assert sum(len(r.subitems) for r in report.recommendations) == 13
    assert [s.letter for s in recommendation(report, 46).subitems] == ["a", "b"]
    assert [s.letter for s in recommendation(report, 47).subitems] == list("abcdefghijk")
    assert all(not r.subitems for r in report.recommendations if r.number < 46)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (
            4,
            "States should cooperate closely and exchange data and information, in accordance with national "
            "law, with multilateral institutions such as UNODC, the International Criminal Police Organization "
            "(INTERPOL) and the World Customs Organization (WCO).",
        ),
        (
            12,
            "States should make their best efforts to trace illicit firearms back to their point of origin and "
            "prosecute those involved in all stages of the trafficking chain, including by carrying out routine "
            "financial investigations in cases of seizures of illicit firearms and using financial intelligence "
            "to detect possible links, in some cases, between illegal arms trafficking, crime and the operations "
            "of individual terrorists and terrorist groups, including with the aim of establishing strategies "
            "to combat terrorism.",
        ),
        (
            31,
            "States parties to the Firearms Protocol are called upon to implement article 7 of the Protocol and "
            "to include in their legal and regulatory regimes record-keeping systems that address the entire "
            "life cycle of all firearms that exist in a country and, where appropriate and feasible, their "
            "parts and components and ammunition.",
        ),
        (
            44,
            "States and UNODC should continue to include gender perspectives in measures to curb illicit "
            "firearms trafficking, in particular by collecting and analysing sex- and age-disaggregated data "
            "and integrating gender analysis into all capacity-building projects related to firearms trafficking.",
        ),
        (
            46,
            "UNODC should prepare a proposal for a multi-year workplan for discussion and adoption at the ninth "
            "meeting of the Working Group on Firearms. The workplan should follow a two-pronged approach, combining:",
        ),
        (47, "Possible topics for consideration by the Working Group in its future sessions:"),
    ],
)
def test_recommendation_texts(report, number, text):
    assert recommendation(report, number).text == text


def test_sub_item_texts(report):
    assert recommendation(report, 46).subitems[1].text == (
        "One agenda item dedicated to specific topics and thematic priorities related to the Firearms "
        "Protocol deemed of particular interest by the Working Group."
    )
    items = recommendation(report, 47).subitems
    assert items[1].text == (
        "Promoting victim-centred approaches in the area of preventing and countering illicit manufacturing "
        "of and trafficking in firearms, their parts and components and ammunition;"
    )
    assert items[10].text == (
        "Supporting the establishment of national firearms focal points to act as liaisons between States and "
        "to foster international cooperation (article 13 of the Firearms Protocol) and capacity-building."
    )


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (
            9,
            "The representative of the Group of Western European and other States delivered a presentation on "
            "the use of cryptocurrencies as a means of payment in illicit firearms trafficking, including the "
            "purchase of weapons from the darknet and the laundering of proceeds of crime. He described the "
            "challenges faced in financial investigations when criminals employed digital currencies that "
            "ensured high levels of privacy and referred to recommendations from previous Working Group "
            "meetings. He provided an account of the varying methods used to trade cryptocurrencies and of how "
            "their non-traceable nature was used to finance trafficking in firearms. He drew the attention of "
            "the meeting to the difficulty in tracking those financial flows owing to anonymity and the "
            "challenges in obtaining timely and relevant information. He recommended, inter alia, providing "
            "staff with the capacities and analytical tools required to carry out financial investigations "
            "involving cryptocurrencies and to strengthen the regulation of those type of assets.",
        ),
        (
            26,
            "The representative of the Group of Eastern European States provided an overview of Serbian "
            "legislation on firearms transfers. She noted that the issue of unauthorized re-exports or "
            "retransfers of arms and ammunition had been drawing a lot of attention in recent years. She "
            "provided two case studies on retransfers and re-exports. In one of the presented cases, the export "
            "by Serbia to a European Union member State had to be denied as a result of concerns that the arms "
            "could be re-exported without the knowledge or consent of Serbia. In her conclusions, she emphasized "
            "the responsibility of importing States and the importance of end user certificates to prevent "
            "diversion and unauthorized re-exports or retransfers. She recommended the improvement of national "
            "record-keeping mechanisms and stressed the importance of cooperation and information exchange at "
            "the national, regional and international levels, as well as of outreach activities.",
        ),
        (
            46,
            "Under agenda item 3, statements were made by representatives of the following parties to the "
            "Firearms Protocol: Algeria, Argentina, Armenia, Brazil, Cuba, European Union, Finland and Mexico. "
            "Statements were also made by the observers for the signatory States Canada and China and by the "
            "observer for the non-signatory State the United States. The observer for the Wassenaar Arrangement "
            "also made a statement.",
        ),
        (
            52,
            "The following States that are not parties or signatories to the Firearms Protocol were represented "
            "by observers, including online, owing to the specific format of the meeting in the light of the "
            "COVID-19 pandemic: Bhutan, Chad, Colombia, Indonesia, Iran (Islamic Republic of), Ireland, Jordan, "
            "Malaysia, Philippines, Russian Federation, Somalia, Sri Lanka, Tajikistan, United Arab Emirates, "
            "United States and Yemen.",
        ),
        (
            54,
            "The following United Nations entities were represented by observers attending online owing to the "
            "specific format of the meeting in the light of the COVID-19 pandemic: United Nations "
            "Counter-Terrorism Centre, Office for Disarmament Affairs and Office on Genocide Prevention and the "
            "Responsibility to Protect.",
        ),
        (55, "A list of participants is contained in document CTOC/COP/WG.6/2021/INF/1/Rev.1."),
    ],
)
def test_paragraph_texts(report, number, text):
    assert paragraph(report, number).text == text


def test_repaired_words_in_paragraphs(report):
    assert "for tracking the country’s progress" in paragraph(report, 10).text
    assert "Ministry of Trade, Tourism and Telecommunications of Serbia" in paragraph(report, 22).text
    assert "including making use of the synergies" in paragraph(report, 23).text
    assert "other international anti-corruption treaties" in paragraph(report, 18).text


def test_agenda(report):
    assert [(a.number, a.parent) for a in report.agenda_items] == [
        ("1", None), ("1(a)", "1"), ("1(b)", "1"), ("2", None), ("3", None), ("4", None), ("5", None), ("6", None),
    ]  # fmt: skip
    titles = {a.number: a.title for a in report.agenda_items}
    assert titles["1"] == "Organizational matters"
    assert titles["1(b)"] == "Adoption of the agenda and organization of work"
    assert titles["4"] == "Follow-up to the results of the previous meetings of the Working Group on Firearms"


def test_panellists_and_their_seats(report):
    panellists = {p.name: p for p in participants(report, records.PANELLIST)}
    assert len(panellists) == 7
    assert sum(len(p.seats) for p in panellists.values()) == 8
    seats = sorted((s.agenda_item, s.order, name) for name, p in panellists.items() for s in p.seats)
    assert seats == [
        ("2", 1, "Miguel Angel Fuentes Peniza"),
        ("2", 2, "Karen Lizeth Chávez Quintero"),
        ("2", 3, "Adam Mohammed"),
        ("2", 4, "Mireya Valverde Okón"),
        ("3", 1, "Christian Ponti"),
        ("3", 2, "José Luís Cabrera Pérez"),
        ("3", 3, "Jasmina Roskić"),
        ("3", 4, "Adam Mohammed"),
    ]
    assert panellists["Adam Mohammed"].agenda_items == ("2", "3")
    assert {name: (p.state, p.group) for name, p in panellists.items()} == {
        "Miguel Angel Fuentes Peniza": ("Spain", "Group of Western European and other States"),
        "Karen Lizeth Chávez Quintero": ("Colombia", "Group of Latin American and Caribbean States"),
        "Adam Mohammed": ("Nigeria", "Group of African States"),
        "Mireya Valverde Okón": ("Mexico", "Group of Latin American and Caribbean States"),
        "Christian Ponti": ("Italy", "Group of Western European and other States"),
        "José Luís Cabrera Pérez": ("Colombia", "Group of Latin American and Caribbean States"),
        "Jasmina Roskić": ("Serbia", "Group of Eastern European States"),
    }
    assert all(s.group == p.group for p in panellists.values() for s in p.seats)
    roskic = panellists["Jasmina Roskić"]
    assert (roskic.function, roskic.affiliation) == (
        "Head",
        "Department for International Agreements and Foreign Trade in Controlled Goods of the Ministry of "
        "Trade, Tourism and Telecommunications",
    )
    assert (panellists["Christian Ponti"].function, panellists["Christian Ponti"].affiliation) == (
        None,
        "University of Milan",
    )


def test_chair(report):
    (chair,) = participants(report, records.CHAIR)
    assert (chair.name, chair.state, chair.function) == (
        "Luis Javier Campuzano Piña",
        "Mexico",
        "Chair of the Working Group",
    )


def test_attendance_counts(report):
    # Counted by reading paragraphs 50-54 of the report.
    counts = Counter(p.kind for p in report.participants)
    assert counts[records.PARTY] == 70
    assert counts[records.SIGNATORY] == 4
    assert counts[records.NON_SIGNATORY] == 16
    assert counts[records.IGO] == 13
    assert counts[records.UN_ENTITY] == 3


def test_attendance_names_with_and_parentheses_and_apostrophes(report):
    names = {(p.name, p.kind) for p in report.participants}
    for name in (
        "Trinidad and Tobago",
        "Bolivia (Plurinational State of)",
        "Lao People’s Democratic Republic",
        "Venezuela (Bolivarian Republic of)",
        "Uruguay",
    ):
        assert (name, records.PARTY) in names
    assert [p.name for p in participants(report, records.SIGNATORY)] == ["Australia", "Canada", "China", "Germany"]
    assert ("Russian Federation", records.NON_SIGNATORY) in names
    assert ("Iran (Islamic Republic of)", records.NON_SIGNATORY) in names
    assert ("Organization for Security and Cooperation in Europe", records.IGO) in names
    assert ("European Border and Coast Guard Agency", records.IGO) in names
    assert [p.name for p in participants(report, records.UN_ENTITY)] == [
        "United Nations Counter-Terrorism Centre",
        "Office for Disarmament Affairs",
        "Office on Genocide Prevention and the Responsibility to Protect",
    ]


def test_statements(report):
    by_paragraph = Counter(s.paragraph for s in report.statements)
    assert by_paragraph == {44: 9, 46: 12, 47: 12}
    item2 = [(s.name, s.capacity) for s in report.statements if s.agenda_item == "2"]
    assert item2 == [
        ("Finland", records.PARTY),
        ("Mexico", records.PARTY),
        ("Nigeria", records.PARTY),
        ("Spain", records.PARTY),
        ("Trinidad and Tobago", records.PARTY),
        ("China", records.SIGNATORY),
        ("United States", records.NON_SIGNATORY),
        ("Financial Action Task Force", records.IGO),
        ("Office of Counter Terrorism", records.UN_ENTITY),
    ]
    item4 = {(s.name, s.capacity) for s in report.statements if s.agenda_item == "4"}
    assert {("Colombia", records.NON_SIGNATORY), ("United States", records.NON_SIGNATORY)} <= item4
    assert ("INTERPOL", records.IGO) in item4
    assert {s.agenda_item for s in report.statements} == {"2", "3", "4"}


def test_references(report):
    assert [(r.symbol, r.paragraph) for r in report.references] == [
        ("CTOC/COP/WG.6/2021/INF/1/Rev.1", 55),
        ("CTOC/COP/WG.6/2021/1", 56),
        ("CTOC/COP/WG.6/2021/2", 56),
        ("CTOC/COP/WG.6/2021/3", 56),
    ]
    descriptions = [r.description for r in report.references]
    assert descriptions[:2] == ["List of participants", "Annotated provisional agenda"]
    assert descriptions[3] == (
        "Background paper prepared by the Secretariat entitled “From arms transfers to firearms trafficking: "
        "application of the Firearms Protocol in the context of diversion”"
    )


def test_footnotes(report):
    assert report.footnotes == (
        records.Footnote("1", "On behalf of the European Union and its member States.", 46),
        records.Footnote("2", "Ibid.", 47),
    )
    assert "European Union, Finland" in paragraph(report, 47).text


def test_parsing_is_fast(raw):
    parse_report(raw)  # loads the word list once
    start = time.perf_counter()
    parse_report(raw)
    assert time.perf_counter() - start < 0.5


# --- lists of names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "known", "single", "expected"),
    [
        ("Finland, Spain and Trinidad and Tobago", ["Trinidad and Tobago"], False, ["Finland", "Spain", "Trinidad and Tobago"]),
        ("Trinidad and Tobago, Tunisia and Turkey", [], False, ["Trinidad and Tobago", "Tunisia", "Turkey"]),
        (
            "Office for Disarmament Affairs and Office on Genocide Prevention and the Responsibility to Protect",
            [],
            False,
            ["Office for Disarmament Affairs", "Office on Genocide Prevention and the Responsibility to Protect"],
        ),
        ("Colombia and the United States", ["Colombia", "United States"], False, ["Colombia", "United States"]),
        ("Trinidad and Tobago", ["Trinidad and Tobago"], True, ["Trinidad and Tobago"]),
        ("Iran (Islamic Republic of), Ireland and Jordan.", [], False, ["Iran (Islamic Republic of)", "Ireland", "Jordan"]),
        ("the Wassenaar Arrangement", [], True, ["Wassenaar Arrangement"]),
    ],
)
def test_split_names(text, known, single, expected):
    assert split_names(text, known, single=single) == expected


def test_match_name_uses_the_attendance_spelling():
    assert match_name("the United States of America", ["United Arab Emirates", "United States"]) == "United States"
    assert match_name("the Netherlands", ["Netherlands"]) == "Netherlands"
    assert match_name("Office of Counter Terrorism", ["INTERPOL"]) == "Office of Counter Terrorism"


# --- other extractions of the same report ----------------------------------------------

VARIANTS = {
    "60 columns": lambda raw: variants.rewrap(raw, 60),
    "100 columns": lambda raw: variants.rewrap(raw, 100),
    "45 columns": lambda raw: variants.rewrap(raw, 45),
    "page furniture": variants.add_page_furniture,
    "80 columns with page furniture": lambda raw: variants.add_page_furniture(variants.rewrap(raw, 80), every=50),
    "CRLF": variants.crlf,
    "72 columns, page furniture, CRLF": lambda raw: variants.crlf(
        variants.add_page_furniture(variants.rewrap(raw, 72), every=40)
    ),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_other_extractions_parse_to_the_same_report(raw, report, name):
    text = VARIANTS[name](raw)
    assert text != raw
    other = parse_report(text)
    for field in dataclasses.fields(records.Report):
        if field.name != "symbol":
            assert getattr(other, field.name) == getattr(report, field.name), field.name
    assert other.symbol == ("CTOC/COP/WG.6/2021/4" if "furniture" in name else None)


def test_variants_really_change_the_layout(raw):
    wrapped = variants.rewrap(raw, 60)
    assert max(len(line) for line in wrapped.splitlines()) <= 60
    assert re.search(r"[a-z]-\n[a-z]", wrapped)  # a word hyphenated at a line end
    assert "money-\nlaundering" in wrapped  # a compound broken at its own hyphen
    paged = variants.add_page_furniture(wrapped)
    assert "\f" in paged and "V.21-03456" in paged and re.search(r"^\d+/\d+$", paged, re.MULTILINE)
    assert "\r\n" in variants.crlf(raw)


# --- bad input -------------------------------------------------------------------------

NOVEL = """It is a truth universally acknowledged, that a single man in possession of a good
fortune, must be in want of a wife.

However little known the feelings or views of such a man may be on his first entering
a neighbourhood, this truth is so well fixed in the minds of the surrounding families.
"""

CSV = "name,kind\nSpain,party\nChina,signatory\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n\f\r\n", "empty"),
        (NOVEL, "no chapter headings"),
        (CSV, "no chapter headings"),
        ("Report\nI. Introduction\nII. Recommendations\nIII. Summary of deliberations\n", "no numbered paragraphs"),
    ],
)
def test_text_that_is_not_a_report(text, message):
    with pytest.raises(records.ReportFormatError, match=message):
        parse_report(text)


def test_missing_recommendations_chapter(raw):
    with pytest.raises(records.ReportFormatError, match="no chapter 'Recommendations' found"):
        parse_report(raw.replace("II. Recommendations", "II. Proposals"))


def test_missing_recommendations(raw):
    without = re.sub(r"(?m)^\s*Recommendation \d+\s*$", "", raw)
    with pytest.raises(records.ReportFormatError) as error:
        parse_report(without)
    assert str(error.value).startswith("chapter II found, 0 recommendations recognised")
    assert str(error.value).endswith(
        "first lines: 'At its meeting held in Vienna from 10 to 12 May 2021, the Working Group on / "
        "Firearms adopted the recommendations presented below. / General recommendations'"
    )


def test_missing_deliberations(raw):
    with pytest.raises(records.ReportFormatError, match="no chapter 'Summary of deliberations' found"):
        parse_report(raw.replace("III. Summary of deliberations", "III. Summary"))


def test_recommendations_as_numbered_paragraphs():
    """The series' other layout: numbered paragraphs under lettered sub-headings."""
    text = """Report on the meeting of the Working Group on Firearms held in Vienna on 2 June 2019
I. Recommendations
1. At its meeting, the Working Group adopted the following recommendations.
A. Legislation and
regulation
2. States should consider reviewing their national legislation.
3. States should consider the following measures: (a) marking
firearms at import; (b) keeping records.
B. Cooperation
4. States should exchange information.
II. Summary of deliberations
5. The Chair opened the discussion.
"""
    report = parse_report(text)
    assert [(s.label, s.title) for s in report.sections] == [
        ("I", "Recommendations"),
        ("I.A", "Legislation and regulation"),
        ("I.B", "Cooperation"),
        ("II", "Summary of deliberations"),
    ]
    assert [(r.number, r.section) for r in report.recommendations] == [(2, "I.A"), (3, "I.A"), (4, "I.B")]
    assert recommendation(report, 3).text == "States should consider the following measures:"
    assert [s.text for s in recommendation(report, 3).subitems] == ["marking firearms at import;", "keeping records."]
    assert report.start_date == report.end_date == dt.date(2019, 6, 2)
    assert "no agenda found" in report.warnings
    assert report.participants == ()
