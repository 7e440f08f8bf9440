"""Link quality against the readings of the shipped report (see tests/link_quality.py).

The linker was tuned on recommendations 1-22 (sections II.A and II.B) only; the held-out half
(II.C and II.D) guards against learning a reading instead of the report. The floors are the
figures the linker reaches today: a change to the linker that lowers them fails here.
"""

from __future__ import annotations

import pytest

from tests import link_quality as lq


@pytest.fixture(scope="module")
def shown(corpus_library):
    with corpus_library.sessions() as s:
        return lq.shown_pairs_in(s)


@pytest.mark.parametrize(
    ("reading", "half", "recall", "precision"),
    [
        (lq.BLIND, "held-out", 0.79, 0.81),
        (lq.BLIND, "tuning", 0.88, 0.90),
        (lq.BLIND2, "held-out", 0.74, 0.83),
        (lq.BLIND2, "tuning", 0.88, 0.93),
        (lq.OURS, "held-out", 1.00, 0.91),
        (lq.OURS, "tuning", 0.89, 0.93),
    ],
    ids=["blind-held-out", "blind-tuning", "blind2-held-out", "blind2-tuning", "ours-held-out", "ours-tuning"],
)
def test_links_shown_reach_the_measured_quality(shown, reading, half, recall, precision):
    quality = lq.measure(shown, reading, half)
    print(f"{reading.name} {half}: recall {quality.recall:.2f}, precision {quality.precision:.2f}")
    assert quality.recall >= recall - 0.005
    assert quality.precision >= precision - 0.005


@pytest.mark.parametrize(
    ("first", "second", "agreement"),
    [(lq.OURS, lq.BLIND, (0.76, 0.79)), (lq.OURS, lq.BLIND2, (0.75, 0.79)), (lq.BLIND, lq.BLIND2, (0.95, 0.88))],
    ids=["ours-blind", "ours-blind2", "blind-blind2"],
)
def test_the_readings_agree_as_reported(first, second, agreement):
    primary, every = lq.agreement(first, second)
    assert (round(primary, 2), round(every, 2)) == agreement


def test_every_reading_covers_every_recommendation_and_sub_item_once():
    for reading in (lq.BLIND, lq.BLIND2):
        assert len(reading.primary) == 60  # recommendations 1-47 and sub-items 46a-b, 47a-k
        assert all(7 <= paragraph <= 39 for pairs in reading.acceptable.values() for paragraph in pairs)


def test_measure_counts_pairs_on_one_half_only():
    reading = lq.Reading("r", {"1": {10}, "30": {20}}, {"1": {10, 11}, "30": {20}})
    shown = {"1": {10, 12}, "30": {21}}
    tuning, held_out = lq.measure(shown, reading, "tuning"), lq.measure(shown, reading, "held-out")
    assert (tuning.recall, tuning.precision) == (1.0, 0.5)
    assert (held_out.recall, held_out.precision) == (0.0, 0.0)
    assert lq.in_tuning_half("22") and not lq.in_tuning_half("46a")


def test_weaker_links_hold_every_primary_pair_of_the_first_blind_reading(corpus_library):
    """What the default cut leaves out is still one action away: "Show Weaker Links"."""
    with corpus_library.sessions() as s:
        weaker, shown = lq.weaker_pairs_in(s), lq.shown_pairs_in(s)
    assert all(shown[label] <= weaker[label] for label in shown)
    for half in ("tuning", "held-out"):
        assert lq.measure(weaker, lq.BLIND, half).recall == 1.0
    assert lq.measure(weaker, lq.BLIND2, "all").recall >= 0.98
