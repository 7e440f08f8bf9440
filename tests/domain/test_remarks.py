"""Who said what in the shipped report's summary of deliberations."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.db import schema
from models.engines.remarks import split_sentences
from models.queries.exports import paragraph_rows


def remarks_of(session, number):
    return (
        session.execute(
            select(schema.Remark).join(schema.Paragraph).where(schema.Paragraph.number == number).order_by(schema.Remark.position)
        )
        .scalars()
        .all()
    )


PANEL_PARAGRAPHS = {
    9: ("Miguel Angel Fuentes Peniza", "2"),
    10: ("Karen Lizeth Chávez Quintero", "2"),
    11: ("Adam Mohammed", "2"),
    12: ("Mireya Valverde Okón", "2"),
    23: ("Christian Ponti", "3"),
    24: ("José Luís Cabrera Pérez", "3"),
    25: ("Adam Mohammed", "3"),
    26: ("Jasmina Roskić", "3"),
}


@pytest.mark.parametrize("number", sorted(PANEL_PARAGRAPHS))
def test_panellist_paragraph_is_one_remark_by_that_panellist(corpus, number):
    name, item = PANEL_PARAGRAPHS[number]
    remarks = remarks_of(corpus, number)
    paragraph = corpus.scalar(select(schema.Paragraph).where(schema.Paragraph.number == number))
    assert len(remarks) == 1  # "He"/"She"/"In her conclusions" continue the panellist
    remark = remarks[0]
    assert remark.speaker_kind == "panellist"
    assert remark.participant.name == name
    assert remark.text == paragraph.text
    assert corpus.get(schema.AgendaItem, remark.agenda_item_id).number == item


def test_first_and_second_representative_resolve_by_panel_order(corpus):
    assert remarks_of(corpus, 10)[0].participant.name == "Karen Lizeth Chávez Quintero"
    assert remarks_of(corpus, 12)[0].participant.name == "Mireya Valverde Okón"


def test_group_named_differently_still_resolves(corpus):
    # Paragraph 24 says "Group of Latin America and Caribbean States".
    assert remarks_of(corpus, 24)[0].participant.group_name == "Group of Latin American and Caribbean States"


@pytest.mark.parametrize(
    ("number", "quantifiers"),
    [
        (14, ["a few speakers", "one speaker"]),
        (16, ["several speakers", "several speakers"]),
        (17, ["two speakers"]),
        (18, ["one speaker", "another speaker"]),
        (28, ["some speakers", "another speaker"]),
        (29, ["several speakers", "speakers", "one speaker"]),
        (30, ["various speakers", "several speakers", "one speaker"]),
        (39, ["a few speakers", "a few speakers"]),
    ],
)
def test_anonymous_speakers_keep_the_quantifier(corpus, number, quantifiers):
    found = [r.quantifier for r in remarks_of(corpus, number) if r.speaker_kind == "anonymous"]
    assert found == quantifiers


def test_pronoun_continues_anonymous_speaker(corpus):
    # "One speaker mentioned ... He also mentioned ..." is one remark.
    remarks = remarks_of(corpus, 19)
    assert len(remarks) == 1 and remarks[0].text.count(". He also") == 1


def test_chair_and_secretariat_are_speakers(corpus):
    kinds = [(r.speaker_kind, r.speaker_label) for r in remarks_of(corpus, 35)]
    assert ("chair", "Luis Javier Campuzano Piña") in kinds
    assert ("secretariat", "the Secretariat") in kinds
    assert remarks_of(corpus, 36)[0].speaker_kind == "secretariat"
    assert remarks_of(corpus, 13)[0].speaker_kind == "chair"


def test_procedural_sentences_have_no_speaker(corpus):
    for number in (7, 8, 21, 22):
        assert {r.speaker_kind for r in remarks_of(corpus, number)} == {"text"}


def test_on_behalf_of_is_recorded(corpus):
    remark = remarks_of(corpus, 27)[0]
    assert remark.quantifier == "one speaker"
    assert remark.on_behalf_of == "European Union"


def test_paragraphs_export_lists_speakers(corpus):
    speakers = {row["number"]: row["speakers"] for row in paragraph_rows(corpus)}
    assert speakers[9] == "Miguel Angel Fuentes Peniza"
    assert speakers[11] == "Adam Mohammed"
    assert speakers[18] == "one speaker;another speaker"
    assert speakers[13] == "Luis Javier Campuzano Piña;some speakers;speakers"
    assert speakers[50] == ""  # attendance: no speaker
    # "statements were made by representatives of ... Finland, Mexico, Nigeria, Spain and Trinidad and Tobago"
    assert speakers[44].startswith("Finland;Mexico;Nigeria;Spain;Trinidad and Tobago;China")


def test_remark_offsets_point_into_the_paragraph(corpus):
    for remark in corpus.scalars(select(schema.Remark)):
        assert remark.paragraph.text[remark.start : remark.end] == remark.text


def test_sentence_split_keeps_abbreviations():
    text = "Speakers cited art. 7 of the Protocol. He agreed, e.g. on marking. Another speaker disagreed."
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == ["Speakers cited art. 7 of the Protocol.", "He agreed, e.g. on marking.", "Another speaker disagreed."]


def test_a_named_state_or_organisation_speaks_as_a_delegation():
    from models.engines.remarks import DELEGATION, attribute

    paragraphs = [
        (14, "The representative of Spain stressed the importance of asset forfeiture. She added that it worked."),
        (15, "Peru mentioned emerging challenges. One speaker agreed. Spain and Peru had ratified the Protocol."),
        (16, "The observer for the European Union described its action plan."),
    ]
    found = attribute(paragraphs, [], known_names=["Spain", "Peru", "European Union"])
    assert [(r.paragraph, r.speaker.kind, r.speaker.label) for r in found] == [
        (14, DELEGATION, "Spain"),
        (15, DELEGATION, "Peru"),
        (15, "anonymous", "one speaker"),
        (16, DELEGATION, "European Union"),
    ]
    assert found[2].text == "One speaker agreed. Spain and Peru had ratified the Protocol."
