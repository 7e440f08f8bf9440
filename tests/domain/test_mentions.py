"""Mentions of States, organisations, instruments, SDG targets and symbols in the
report of the Working Group on Firearms (May 2021)."""

from __future__ import annotations

from models.engines.mentions import Mention, find_mentions, load_catalogue

# Attendance lists of the report (paragraphs 50-52), in part.
STATES = (
    "Algeria",
    "Bolivia (Plurinational State of)",
    "Canada",
    "Chad",
    "China",
    "Colombia",
    "European Union",
    "Finland",
    "Iran (Islamic Republic of)",
    "Lao People’s Democratic Republic",
    "Mexico",
    "Nigeria",
    "Serbia",
    "Spain",
    "Trinidad and Tobago",
    "United States",
)

REC_43 = (
    "States should, where appropriate and feasible, populate the INTERPOL Illicit Arms Records "
    "and Tracing Management System (iArms) with national data, systematically trace firearms "
    "through iArms and ensure that national record-keeping systems are fully interoperable with "
    "iArms."
)
REC_47_D = (
    "Regulation of brokers, brokering and brokering-related activities, in accordance with article 15 of the Firearms Protocol;"
)
PARA_12 = (
    "The second representative of the Group of Latin American and Caribbean States reminded "
    "delegates of target 16.4 of the Sustainable Development Goals, which sought to address three "
    "specific challenges: (a) significantly reducing illicit financial flows and arms flows; "
    "(b) strengthening the recovery and return of stolen assets; and (c) fighting organized crime. "
    "She noted that, in 2020, Mexico had registered 34,515 homicides, 70 per cent of which "
    "involved the use of firearms, exceeding incidents involving firearms from 2015, 2016 and "
    "2017. [...] She referred to the financial intelligence unit’s collaboration with UNODC on its "
    "pilot project to measure indicator 16.4.1."
)
PARA_10 = (
    "She informed the meeting that no comprehensive and coherent data were currently available "
    "with regard to indicators 1 and 2 of target 16.4 of the Sustainable Development Goals."
)
PARA_28 = (
    "Some speakers referred to the Firearms Protocol and other international legal instruments "
    "and frameworks, such as the Arms Trade Treaty and the Wassenaar Arrangement on Export "
    "Controls for Conventional Arms and Dual-Use Goods and Technologies, and to political "
    "commitments, such as the Programme of Action to Prevent, Combat and Eradicate the Illicit "
    "Trade in Small Arms and Light Weapons in All Its Aspects, and underlined their "
    "complementarity, synergies and linkages."
)
PARA_56 = (
    "The Working Group had before it the following: (a) Annotated provisional agenda "
    "(CTOC/COP/WG.6/2021/1); (b) Background paper prepared by the Secretariat on reducing illicit "
    "financial and arms flows to achieve target 16.4 of the Sustainable Development Goals "
    "(CTOC/COP/WG.6/2021/2); (c) Background paper prepared by the Secretariat entitled “From arms "
    "transfers to firearms trafficking: application of the Firearms Protocol in the context of "
    "diversion” (CTOC/COP/WG.6/2021/3)."
)
PARA_1 = (
    "In its resolution 5/4, entitled “Illicit manufacturing of and trafficking in firearms, their "
    "parts and components and ammunition”, the Conference of the Parties to the United Nations "
    "Convention against Transnational Organized Crime decided to establish an open-ended "
    "intergovernmental working group on firearms, in accordance with article 32, paragraph 3, of "
    "the United Nations Convention against Transnational Organized Crime, and rule 2, paragraph 2, "
    "of the rules of procedure for the Conference, to be chaired by a member of the Bureau of the "
    "Conference, to advise and assist the Conference in the implementation of its mandate with "
    "regard to the Protocol against the Illicit Manufacturing of and Trafficking in Firearms, "
    "Their Parts and Components and Ammunition, supplementing the Organized Crime Convention."
)
REC_4 = (
    "States should cooperate closely and exchange data and information, in accordance with "
    "national law, with multilateral institutions such as UNODC, the International Criminal "
    "Police Organization (INTERPOL) and the World Customs Organization (WCO)."
)


def keyed(text: str, kind: str | None = None, names=STATES) -> list[str]:
    return [m.key for m in find_mentions(text, names) if kind is None or m.kind == kind]


def test_recommendation_43_interpol_and_iarms():
    found = find_mentions(REC_43, STATES)
    assert [(m.kind, m.key) for m in found] == [
        ("organisation", "INTERPOL"),
        ("system", "iArms"),
        ("system", "iArms"),
        ("system", "iArms"),
        ("system", "iArms"),
    ]
    first = found[0]
    assert REC_43[first.start : first.end] == "INTERPOL"
    assert first.label == "International Criminal Police Organization"


def test_recommendation_4_acronym_and_full_name_share_one_key():
    assert keyed(REC_4, "organisation") == ["UNODC", "INTERPOL", "INTERPOL", "WCO", "WCO"]


def test_recommendation_47d_article_of_the_firearms_protocol():
    (m,) = find_mentions(REC_47_D, STATES)
    assert (m.kind, m.key) == ("instrument", "Firearms Protocol art. 15")
    assert REC_47_D[m.start : m.end] == "article 15 of the Firearms Protocol"


def test_articles_of_the_protocol_in_several_forms():
    assert keyed("to implement article 7 of the Protocol and to include") == ["Firearms Protocol art. 7"]
    text = "Operationalizing articles 10 and 13 of the Firearms Protocol in terms of"
    found = find_mentions(text)
    assert [m.key for m in found] == ["Firearms Protocol art. 10", "Firearms Protocol art. 13"]
    assert {text[m.start : m.end] for m in found} == {"articles 10 and 13 of the Firearms Protocol"}
    # a lower-case "protocols" is not the Protocol
    assert keyed("States should establish effective protocols for the disposal of firearms.") == []


def test_paragraph_1_resolution_convention_article_and_protocol():
    found = [(m.kind, m.key) for m in find_mentions(PARA_1, STATES)]
    assert found == [
        ("resolution", "resolution 5/4"),
        ("organisation", "Conference of the Parties"),
        ("instrument", "Organized Crime Convention"),
        ("instrument", "Organized Crime Convention art. 32"),
        ("instrument", "Firearms Protocol"),
        ("instrument", "Organized Crime Convention"),
    ]
    art = find_mentions(PARA_1)[3]
    assert art.label.endswith("article 32, paragraph 3")


def test_paragraph_12_target_and_indicator():
    assert keyed(PARA_12, "sdg") == ["SDG 16.4", "SDG 16.4.1"]
    target = find_mentions(PARA_12, STATES)[0]
    assert PARA_12[target.start : target.end] == "target 16.4 of the Sustainable Development Goals"
    assert keyed(PARA_12, "state") == ["Mexico"]
    assert keyed(PARA_12, "organisation") == ["UNODC"]


def test_paragraph_10_indicators_of_a_target():
    found = find_mentions(PARA_10)
    assert [m.key for m in found] == ["SDG 16.4.1", "SDG 16.4.2"]
    assert found[0].start == found[1].start and found[0].end == found[1].end


def test_paragraph_28_instruments():
    assert keyed(PARA_28, "instrument") == [
        "Firearms Protocol",
        "Arms Trade Treaty",
        "Wassenaar Arrangement",
        "Programme of Action on Small Arms",
    ]
    # the full title of the Wassenaar Arrangement is an instrument; the short name, an observer
    assert keyed("The observer for the Wassenaar Arrangement also made a statement.") == ["Wassenaar Arrangement"]
    assert find_mentions("The observer for the Wassenaar Arrangement")[0].kind == "organisation"


def test_paragraph_56_document_symbols():
    assert keyed(PARA_56, "symbol") == [
        "CTOC/COP/WG.6/2021/1",
        "CTOC/COP/WG.6/2021/2",
        "CTOC/COP/WG.6/2021/3",
    ]
    assert keyed(PARA_56, "sdg") == ["SDG 16.4"]
    assert keyed("is contained in document CTOC/COP/WG.6/2021/INF/1/Rev.1.") == ["CTOC/COP/WG.6/2021/INF/1/Rev.1"]
    assert keyed("parallel and/or joint financial investigations") == []


def test_resolutions():
    text = "Security Council resolution 2370 (2017) and General Assembly resolutions 75/241 and 76/232"
    assert keyed(text) == [
        "Security Council resolution 2370 (2017)",
        "General Assembly resolution 75/241",
        "General Assembly resolution 76/232",
    ]
    assert {m.kind for m in find_mentions(text)} == {"resolution"}


def test_states_come_from_the_known_names():
    text = (
        "Statements were also made by the observers for the signatory States Canada and China and "
        "by the observer for the non-signatory State the United States. Bolivia, Lao People's "
        "Democratic Republic and the European Union also spoke."
    )
    assert keyed(text, "state") == [
        "Canada",
        "China",
        "United States",
        "Bolivia (Plurinational State of)",
        "Lao People’s Democratic Republic",
    ]
    # the European Union is on the list of parties but is reported as an organisation
    assert keyed(text, "organisation") == ["European Union"]
    # without known names, no States are found
    assert keyed(text, "state", names=()) == []


def test_a_place_named_after_a_state_is_a_place_not_the_state():
    # paragraph 25: the trafficking routes "in the Sahel region, in particular around Lake\nChad"
    text = "He outlined the main trafficking routes, in particular around Lake\n\nChad. Chad also spoke."
    assert keyed(text, "region") == ["Lake Chad"]
    assert [m.start for m in find_mentions(text, STATES) if m.kind == "state"] == [text.rindex("Chad. Chad") + 6]


def test_whole_words_and_longest_name_win():
    names = ("Niger", "Nigeria", "Guinea", "Papua New Guinea")
    assert keyed("Nigeria and Papua New Guinea", names=names) == ["Nigeria", "Papua New Guinea"]
    text = "the European Union Agency for Law Enforcement Cooperation and the Office of Counter Terrorism"
    assert keyed(text) == ["Europol", "UNOCT"]


def test_mentions_are_frozen_records_in_reading_order():
    found = find_mentions(PARA_28)
    assert all(isinstance(m, Mention) for m in found)
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert find_mentions(PARA_28) == found


def test_user_catalogue_is_picked_up(tmp_path):
    path = tmp_path / "mentions.toml"
    path.write_text(
        """
[[organisation]]
key = "UNSCAR"
label = "UN Trust Facility Supporting Cooperation on Arms Regulation"
aliases = ["UNSCAR", "UN Trust Facility Supporting Cooperation on Arms Regulation"]

[[instrument]]
key = "Nairobi Protocol"
label = "Nairobi Protocol"
aliases = ["Nairobi Protocol"]
""",
        encoding="utf-8",
    )
    catalogue = load_catalogue(path)
    text = "UNSCAR funds projects under article 4 of the Nairobi Protocol."
    assert [m.key for m in find_mentions(text, (), catalogue)] == [
        "UNSCAR",
        "Nairobi Protocol art. 4",
    ]
