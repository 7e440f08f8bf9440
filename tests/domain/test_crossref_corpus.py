"""Topics, mentions and search on the shipped report, as stored by the build."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models.db import schema
from models.db.fulltext import matching_ids, search
from models.queries.exports import export_recommendation_rows
from models.queries.mentions import mentions_in_paragraph, mentions_in_recommendation, where_mentioned

DOC = "working-group-on-firearms/2021-05-10"


def topics_of(session) -> dict[str, set[str]]:
    return {row["number"]: set(filter(None, row["topics"].split(";"))) for row in export_recommendation_rows(session)}


@pytest.mark.parametrize(
    ("number", "expected", "absent"),
    [
        ("18", {"financial_flows", "new_technologies"}, {"gender"}),
        ("44", {"gender", "data_statistics", "capacity_building"}, {"financial_flows"}),
        ("31", {"marking", "legal_framework"}, {"gender"}),
        ("38", {"transfer_controls"}, {"gender"}),
        ("41", {"stockpiles_disposal"}, {"financial_flows"}),
        ("9", {"financial_flows", "terrorism"}, {"marking"}),
        ("47a", {"gender"}, {"financial_flows"}),
        ("47", {"gender", "marking", "transfer_controls"}, set()),  # a parent carries its sub-items' topics
    ],
)
def test_recommendation_topics(corpus, number, expected, absent):
    topics = topics_of(corpus)[number]
    assert expected <= topics
    assert not (absent & topics)


def test_recommendation_5_has_no_passing_topics(corpus):
    assert "gender" not in topics_of(corpus)["5"]


def test_tags_carry_their_provenance(corpus):
    tag = corpus.execute(
        select(schema.TopicTag)
        .join(schema.Topic)
        .join(schema.Recommendation)
        .where(schema.Topic.key == "gender", schema.Recommendation.number == "44")
    ).scalar_one()
    matched = json.loads(tag.matched)
    assert any("gender" in term.lower() for term in matched)


def test_remarks_are_tagged_too(corpus):
    keys = (
        corpus.execute(
            select(schema.Topic.key)
            .join(schema.TopicTag)
            .join(schema.Remark)
            .join(schema.Paragraph)
            .where(schema.Paragraph.number == 9)
        )
        .scalars()
        .all()
    )
    assert "financial_flows" in keys


def test_mentions_both_ways(corpus):
    in_43 = {(m.kind, m.key) for m in mentions_in_recommendation(corpus, DOC, "43")}
    assert ("organisation", "INTERPOL") in in_43 and ("system", "iArms") in in_43
    in_12 = {(m.kind, m.key) for m in mentions_in_paragraph(corpus, DOC, 12)}
    assert {("sdg", "SDG 16.4"), ("sdg", "SDG 16.4.1"), ("state", "Mexico")} <= in_12
    article_15 = {m.where for m in where_mentioned(corpus, "instrument", "Firearms Protocol art. 15")}
    assert {"Recommendation 38", "Recommendation 47d"} <= article_15
    assert "Recommendation 31" in {m.where for m in where_mentioned(corpus, "instrument", "Firearms Protocol art. 7")}
    att = {m.where for m in where_mentioned(corpus, "instrument", "Arms Trade Treaty")}
    assert {"Recommendation 33", "para. 28"} <= att
    symbols = {m.key for m in mentions_in_paragraph(corpus, DOC, 56)}
    assert {"CTOC/COP/WG.6/2021/1", "CTOC/COP/WG.6/2021/2", "CTOC/COP/WG.6/2021/3"} <= symbols


def test_search_stems_phrases_prefixes_and_operators(corpus):
    refs = lambda q: {hit.reference for hit in search(corpus, q, limit=200)}  # noqa: E731
    assert "Recommendation 18" in refs("cryptocurrency")  # stemming
    assert "Recommendation 44" in refs('"age-disaggregated data"')
    assert "Recommendation 43" in refs("iArm*")
    both = refs("brokering AND embargoes")
    assert "Recommendation 38" in both
    assert "Recommendation 38" not in refs("brokering NOT embargoes")
    assert refs("darknet OR cryptocurrencies") >= refs("darknet")
    assert any(ref.startswith("para. 9") for ref in refs("cryptocurrencies"))


def test_search_snippets_highlight_the_match(corpus):
    hit = search(corpus, "darknet")[0]
    assert "\u27e6darknet\u27e7" in hit.snippet


def test_hyphenated_words_search_as_phrases(corpus):
    ids = matching_ids(corpus, "recommendation_fts", "record-keeping")
    numbers = {corpus.get(schema.Recommendation, i).number for i in ids}
    assert {"31", "34", "43"} <= numbers


@pytest.mark.parametrize("query", ['"brokering', "brokering:", "(marking", "marking:"])
def test_search_syntax_errors_are_searched_as_words(corpus, query):
    words = query.strip('"(:')
    assert [hit.id for hit in search(corpus, query)] == [hit.id for hit in search(corpus, words)]
