"""Why a link was made, in words: strength from the engine's thresholds, and reasons, on the shipped report."""

from __future__ import annotations

from sqlalchemy import select

from models.db import schema
from models.engines import linking
from models.engines.link_reasons import MODERATE, STRONG, WEAK, bars, reasons, recommending_words, strength
from models.queries.remarks import recommendation_detail


def test_strength_follows_the_engines_thresholds():
    assert strength(linking.STRONG_THRESHOLD) == STRONG
    assert strength(linking.STRONG_THRESHOLD - 0.001) == MODERATE
    assert strength(linking.SHOW_THRESHOLD) == MODERATE
    assert strength(linking.SHOW_THRESHOLD - 0.001) == WEAK
    assert [bars(word) for word in (WEAK, MODERATE, STRONG, "")] == [1, 2, 3, 0]


def test_recommending_words_are_taken_from_a_sentence_that_shares_evidence():
    text = "One speaker described a case. Another speaker called for regulation of digital currencies."
    spans = [(text.index("digital"), text.index("digital") + 17)]
    assert recommending_words(text, spans) == "called for"
    assert recommending_words(text, [(0, 11)]) is None  # the shared words are in a sentence that recommends nothing
    assert recommending_words("The speaker described national law.", []) is None


def test_reasons_name_shared_phrases_once_and_the_agenda_item():
    said = reasons(("multilateral institutions", "institutions", "WCO"), "stressed the need", "III.A. Item", True)
    assert said[0] == "Both speak of “multilateral institutions” and “WCO”."
    assert said[1] == "The speaker calls for action (“stressed the need”)."
    assert said[2] == "Said on the same agenda item (III.A. Item)."
    other = reasons((), None, "III.B. " + "x" * 90, False)
    assert len(other) == 1 and other[0].startswith("Said on another agenda item (III.B. x")
    assert "…" in other[0] and "counts for less" in other[0]


def test_every_link_of_recommendation_18_is_explained(session):
    rec = session.scalar(select(schema.Recommendation.id).where(schema.Recommendation.number == "18"))
    detail = recommendation_detail(session, rec)
    best = next(link for link in detail.links if link.paragraph_number == 9)
    assert best.shown and best.strength == strength(best.score)
    assert best.reasons[0].startswith("Both speak of") and "cryptocurrencies" in best.reasons[0]
    assert any("Said on the same agenda item (III.A." in reason for reason in best.reasons)
    assert all(link.strength in (STRONG, MODERATE, WEAK) and link.reasons for link in detail.links)
    assert {link.strength for link in detail.links if not link.shown} <= {WEAK, MODERATE}
