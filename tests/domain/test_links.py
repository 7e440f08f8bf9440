"""Links from recommendations to the remarks behind them, on the shipped report."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models.db import schema
from models.engines.linking import highlight_spans
from models.queries.exports import export_link_rows
from tests.reference_links import PRIMARY, acceptable


def shown_pairs(session) -> dict[str, set[int]]:
    pairs: dict[str, set[int]] = {}
    for row in export_link_rows(session):
        pairs.setdefault(row["recommendation"], set()).add(row["paragraph"])
    return pairs


def test_quality_against_our_reading(corpus):
    shown = shown_pairs(corpus)
    primary = sum(len(v) for v in PRIMARY.values())
    found = sum(len(v & shown.get(k, set())) for k, v in PRIMARY.items())
    total = sum(len(v) for v in shown.values())
    good = sum(len(v & acceptable(k)) for k, v in shown.items())
    recall, precision = found / primary, good / total
    print(f"primary recall {recall:.2f}, precision {precision:.2f} over {total} shown pairs")
    assert recall >= 0.85
    assert precision >= 0.80


@pytest.mark.parametrize(
    ("recommendation", "paragraph"),
    [("18", 9), ("20", 20), ("44", 30), ("39", 32), ("13", 16), ("7", 18), ("46", 36), ("47", 37), ("31", 26)],
)
def test_verified_links_are_shown(corpus, recommendation, paragraph):
    assert paragraph in shown_pairs(corpus).get(recommendation, set())


def test_recommendation_18_evidence_is_shared_by_both_sides(corpus):
    link = corpus.execute(
        select(schema.Link)
        .join(schema.Recommendation)
        .join(schema.Remark)
        .join(schema.Paragraph)
        .where(schema.Recommendation.number == "18", schema.Paragraph.number == 9)
    ).scalar_one()
    evidence = json.loads(link.evidence)
    assert link.shown and 0 < link.score <= 1.5
    assert any("cryptocurrenc" in phrase.lower() for phrase in evidence)
    assert highlight_spans(link.recommendation.text, evidence)
    assert highlight_spans(link.remark.text, evidence)


def test_thesaurus_links_different_wordings():
    from models.engines.lexical import load_thesaurus
    from models.engines.linking import RecommendationText, RemarkText, link

    thesaurus = load_thesaurus()
    recs = [RecommendationText(1, "II.B", "States should regulate cryptocurrencies used to pay for firearms.")]
    filler = [
        "The meeting discussed firearms seizures in Vienna.",
        "Speakers stressed the importance of marking firearms at import.",
        "One speaker described national legislation on brokering of firearms.",
        "Several speakers called for capacity-building for customs officers who control firearms.",
        "Another speaker mentioned stockpile security and destruction of surplus firearms.",
    ]
    remarks = [RemarkText(10, "III.A", "Criminals employed digital currencies that ensured high levels of privacy.")]
    remarks += [RemarkText(20 + i, "III.A", text) for i, text in enumerate(filler)]
    found = link(recs, remarks, thesaurus, {"II.B": "III.A"})
    assert found and found[0].remark == 10
    assert all(f.score < found[0].score for f in found[1:])
    assert "digital currencies" in found[0].evidence


def test_every_shown_link_has_evidence(corpus):
    for row in export_link_rows(corpus):
        assert row["evidence"], row
        assert row["source"] == "automatic"


def test_structure_prefers_the_matching_deliberations(corpus):
    # Recommendations of II.B link mostly to III.A (item 2), those of II.C to III.B (item 3).
    for section, home in (("II.B", "III.A"), ("II.C", "III.B")):
        rows = (
            corpus.execute(
                select(schema.Section.label)
                .select_from(schema.Link)
                .join(schema.Recommendation, schema.Link.recommendation_id == schema.Recommendation.id)
                .join(schema.Remark, schema.Link.remark_id == schema.Remark.id)
                .join(schema.Paragraph, schema.Remark.paragraph_id == schema.Paragraph.id)
                .join(schema.Section, schema.Paragraph.section_id == schema.Section.id)
                .where(schema.Link.shown.is_(True))
                .where(schema.Recommendation.section.has(schema.Section.label == section))
            )
            .scalars()
            .all()
        )
        assert rows.count(home) / len(rows) > 0.85


def test_links_export_follows_the_delegates_curation(library):
    from models import annotations as a

    doc = "working-group-on-firearms/2021-05-10"
    with library.begin() as s:
        before = {(r["recommendation"], r["paragraph"]): r for r in export_link_rows(s)}
        assert ("18", 9) in before and ("18", 20) not in before
        a.add_curated_link(s, (doc, "18"), 20)
        a.reject_link(s, (doc, "18"), 9, None)
    with library.begin() as s:
        after = {(r["recommendation"], r["paragraph"]): r for r in export_link_rows(s)}
    assert ("18", 9) not in after
    assert after[("18", 20)]["source"] == "curated"
    assert after[("18", 20)]["speakers"] == "another speaker"
