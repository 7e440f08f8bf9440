"""Topic tagging on sentences of the report of the Working Group on Firearms (May 2021)."""

from __future__ import annotations

import pytest

from models.engines.topics import (
    LexiconError,
    TopicTag,
    compile_lexicon,
    load_lexicon,
    tag_many,
    tag_text,
)

REQUIRED_KEYS = {
    "diversion",
    "marking",
    "financial_flows",
    "gender",
    "transfer_controls",
    "international_cooperation",
    "capacity_building",
    "data_statistics",
    "terrorism",
    "corruption",
    "new_technologies",
    "stockpiles_disposal",
    "private_sector",
    "legal_framework",
}

# Recommendations and paragraphs, copied from the report (split words repaired).
REC_4 = (
    "States should cooperate closely and exchange data and information, in accordance with "
    "national law, with multilateral institutions such as UNODC, the International Criminal "
    "Police Organization (INTERPOL) and the World Customs Organization (WCO)."
)
REC_5 = "States are encouraged to further advance efforts to achieve target 16.4 of the Sustainable Development Goals."
REC_9 = (
    "States should strengthen their efforts to counter money-laundering and the financing of "
    "terrorism in the context of illicit firearms trafficking."
)
REC_17 = (
    "Taking into account the close links between firearms trafficking and transnational "
    "organized crime, States should apply the provisions of the Organized Crime Convention to "
    "illicit firearms trafficking with a view to disrupting criminal organizations by targeting "
    "the leaders of those organizations and by depriving them of their illicitly gained proceeds "
    "from firearms trafficking and related crimes, through measures such as asset forfeiture, "
    "financial and asset tracing and investigations and money-laundering investigations, in "
    "parallel with investigations into the firearms trafficking offence, in close collaboration "
    "with financial intelligence units."
)
REC_18 = (
    "Acknowledging that illicit firearms are occasionally purchased on the darknet and paid for "
    "with cryptocurrencies, States are invited to promote, adopt, improve and implement existing "
    "applicable international obligations and standards for the regulation of all kinds of "
    "assets to prevent illicit firearms trafficking."
)
REC_27 = (
    "In line with the Firearms Protocol, States parties should apply markings to all firearms, "
    "including those held by national authorities, and consider any unmarked firearms as illicit "
    "and the possession of unmarked firearms a criminal offence."
)
REC_31 = (
    "States parties to the Firearms Protocol are called upon to implement article 7 of the "
    "Protocol and to include in their legal and regulatory regimes record-keeping systems that "
    "address the entire life cycle of all firearms that exist in a country and, where appropriate "
    "and feasible, their parts and components and ammunition."
)
REC_33 = (
    "States are encouraged to accede to the Firearms Protocol and States parties to the Firearms "
    "Protocol are encouraged to also consider acceding to the Arms Trade Treaty, with a view to "
    "establishing a solid and comprehensive transfer control regime and strict export criteria "
    "and risk assessment procedures domestically, including for firearms transfers, and to "
    "increase the accountability of firearms transfers through a reciprocal system of "
    "authorizations or licences by making the use of end user certificates and non-re-export "
    "clauses mandatory and by conducting post-shipment controls."
)
REC_38 = (
    "States parties to the Firearms Protocol should enhance their capacity to regulate brokering "
    "activities, including extraterritorial brokering activities, and fully implement article 15 "
    "of the Protocol, including with a view to strengthening the effectiveness of arms embargoes."
)
REC_40 = (
    "In view of the fact that theft, loss or other forms of diversion from government stockpiles "
    "and civilian holdings may precede firearms trafficking and account for a significant source "
    "of the supply of illicit arms to criminals and terrorists, States should consider "
    "establishing criminal provisions and preventive measures that effectively address the issue."
)
REC_41 = (
    "States should establish effective protocols for the disposal of seized and confiscated "
    "firearms, their parts and components and ammunition, including final depositories for their "
    "destruction, and safe and secure destruction mechanisms."
)
REC_44 = (
    "States and UNODC should continue to include gender perspectives in measures to curb illicit "
    "firearms trafficking, in particular by collecting and analysing sex- and age-disaggregated "
    "data and integrating gender analysis into all capacity-building projects related to firearms "
    "trafficking."
)
REC_47_F = (
    "Addressing the issue of illicit manufacturing and assembly of firearms from parts and "
    "components, including the use of counterfeit markings and serial numbers, conversion and "
    "convertibility of alarm and signal weapons into firearms and the availability on the "
    "Internet of “ghost guns” and blueprints for the 3D-printing of firearms;"
)
PARA_35 = (
    "The Chair highlighted that 2021 marked the twentieth anniversary of the adoption of the "
    "Firearms Protocol by the General Assembly, the tenth anniversary of the creation of the "
    "UNODC Global Firearms Programme and the twenty-fifth anniversary of the Wassenaar "
    "Arrangement, and that 2022 would mark the tenth anniversary of the establishment of the "
    "Working Group on Firearms."
)
PARA_44_END = (
    "Statements under the item were also made by the observers for the Financial Action Task "
    "Force and the Office of Counter Terrorism."
)


def keys(text: str) -> set[str]:
    return {tag.key for tag in tag_text(text)}


def tag(text: str, key: str) -> TopicTag:
    return next(t for t in tag_text(text) if t.key == key)


def test_shipped_lexicon_has_the_required_topics():
    lexicon = load_lexicon()
    assert set(lexicon.keys) >= REQUIRED_KEYS
    for topic in lexicon.topics:
        assert topic.label and topic.description and topic.entries


def test_recommendation_18_darknet_and_cryptocurrencies():
    assert keys(REC_18) == {"financial_flows", "new_technologies"}
    assert "cryptocurrencies" in tag(REC_18, "financial_flows").matched
    assert set(tag(REC_18, "new_technologies").matched) == {"darknet", "cryptocurrencies"}


def test_recommendation_44_gender_data_and_capacity_building():
    assert keys(REC_44) == {"gender", "data_statistics", "capacity_building"}
    assert "capacity-building" in tag(REC_44, "capacity_building").matched


def test_recommendation_31_record_keeping_and_legal_framework():
    assert keys(REC_31) == {"marking", "legal_framework"}
    assert tag(REC_31, "marking").matched == ("record-keeping",)


def test_recommendation_38_brokering_and_embargoes():
    assert keys(REC_38) == {"transfer_controls"}
    assert set(tag(REC_38, "transfer_controls").matched) == {"brokering", "arms embargoes"}


def test_recommendation_41_disposal_and_destruction():
    assert keys(REC_41) == {"stockpiles_disposal"}
    # "protocols for the disposal" is not the Protocol; "confiscated firearms" alone is not
    # confiscation of proceeds
    assert "legal_framework" not in keys(REC_41)
    assert "financial_flows" not in keys(REC_41)


def test_recommendation_5_sdg_target_alone_tags_nothing():
    assert tag_text(REC_5) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        (REC_9, {"financial_flows", "terrorism"}),
        (REC_17, {"financial_flows", "legal_framework"}),
        (REC_27, {"marking", "legal_framework"}),
        (REC_33, {"transfer_controls", "legal_framework"}),
        (REC_40, {"stockpiles_disposal", "diversion", "legal_framework", "terrorism"}),
        (REC_47_F, {"new_technologies", "marking"}),
    ],
)
def test_more_recommendations(text, expected):
    assert keys(text) == expected


def test_matched_gives_surface_forms_in_order_of_appearance():
    t = tag(REC_17, "financial_flows")
    assert t.matched[0] == "illicitly gained proceeds"
    assert "money-laundering" in t.matched and "financial intelligence units" in t.matched
    assert t.score >= 2


def test_stems_and_hyphens_match_inflections_and_spellings():
    assert keys("States traced the firearms.") == {"marking"}
    assert keys("Brokers were registered.") == {"transfer_controls"}
    assert keys("Money laundering was discussed.") == {"financial_flows"}
    assert keys("National record keeping was discussed.") == {"marking"}
    assert keys("States should harmonise their laws.") == keys("States should harmonize their laws.")


def test_passing_words_do_not_tag():
    assert tag_text("firearms") == []
    assert tag_text("Firearms, their parts and components and ammunition.") == []
    # a generic term alone needs support
    assert tag_text("The data were presented.") == []
    assert tag_text("States should cooperate.") == []


def test_recommendation_4_is_cooperation_not_terrorism_nor_legal():
    assert keys(REC_4) == {"international_cooperation"}


def test_names_of_offices_and_anniversaries_do_not_tag():
    assert tag_text(PARA_44_END) == []
    # "marked the twentieth anniversary" is not marking of firearms
    assert "marking" not in keys(PARA_35)


def test_exclusions_suppress_matches():
    assert keys("The Centre had the resources at its disposal.") == set()
    assert keys("The Treaty deals with weapons of mass destruction.") == set()
    assert keys("The auditors approved the financial statements and financial support.") == set()
    assert keys("in accordance with their domestic law") == set()
    # but the same words outside the excluded phrases still count
    assert keys("The disposal of seized firearms.") == {"stockpiles_disposal"}
    assert keys("Domestic law should regulate brokers.") >= {"legal_framework"}


def test_exclusion_only_masks_its_own_words():
    text = "At their disposal: the destruction of surplus firearms."
    assert keys(text) == {"stockpiles_disposal"}
    assert tag(text, "stockpiles_disposal").matched == ("destruction",)


def test_repeating_a_generic_word_does_not_add_up():
    assert tag_text("data, data and more data") == []


def test_user_topic_in_a_toml_file_is_picked_up(tmp_path):
    path = tmp_path / "topics.toml"
    path.write_text(
        """
[topics.victims]
label = "Victims"
description = "Victims of firearms violence and victim assistance."
strong_terms = ["trauma"]
terms = ["victim", "survivor"]
phrases = ["victim assistance", "victim-centred"]
exclusions = ["victimless crime"]

[topics.victims.weights]
"survivor" = 0.5
""",
        encoding="utf-8",
    )
    lexicon = load_lexicon(path)
    assert lexicon.keys == ("victims",)
    text = "(b) Promoting victim-centred approaches in the area of preventing illicit manufacturing;"
    assert [t.key for t in tag_text(text, lexicon)] == ["victims"]
    assert tag_text("Victims were counted.", lexicon) == []
    assert [t.key for t in tag_text("Victims and survivors.", lexicon)] == []  # 1 + 0.5 < 2
    assert tag_text("Victims of a victimless crime.", lexicon) == []


def test_malformed_lexicon_is_reported():
    with pytest.raises(LexiconError, match="phrases"):
        compile_lexicon({"topics": {"x": {"terms": ["two words"]}}})
    with pytest.raises(LexiconError):
        compile_lexicon({"topics": {}})


def test_tag_many_and_determinism():
    texts = [REC_18, REC_44, REC_5]
    first = tag_many(texts)
    assert first == tag_many(texts) == [tag_text(t) for t in texts]
    assert [t.key for t in first[1]] == [t.key for t in tag_text(REC_44)]


def test_tags_are_ordered_by_score_then_lexicon_order():
    tags = tag_text(REC_17)
    assert [t.score for t in tags] == sorted((t.score for t in tags), reverse=True)
