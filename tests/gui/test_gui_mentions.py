"""The Mentions filter, the details' "Mentions" section and each link's strength and reasons, driven
like a user would on a copy of the shipped report."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from desktop.theme import colours
from models.queries.filters import RecommendationFilter, filtered_ids
from tests.gui.driving import click_anchor, click_row, rec_id, shown_ids


def test_mentions_filter_narrows_the_table_and_combines_with_a_topic(qtbot, window, reference):
    combo = window.findChild(QComboBox, "mentionFilter")
    assert combo is not None and combo.accessibleName().startswith("Filter by mention")
    combo.setCurrentIndex(combo.findData("INTERPOL"))
    expected = set(filtered_ids(reference, RecommendationFilter(mention="INTERPOL")))
    qtbot.waitUntil(lambda: shown_ids(window) == expected)
    assert rec_id(reference, "4") in expected and rec_id(reference, "43") in expected
    chip = window.filter_bar.topics.buttons["international_cooperation"]
    chip.click()
    both = RecommendationFilter(mention="INTERPOL", topics=frozenset({"international_cooperation"}))
    qtbot.waitUntil(lambda: shown_ids(window) == set(filtered_ids(reference, both)))
    assert shown_ids(window) < expected
    window.filter_bar.clear()
    qtbot.waitUntil(lambda: combo.currentData() is None and len(shown_ids(window)) == 47)


def test_details_show_mentions_and_a_click_filters_by_one(qtbot, window, reference):
    click_row(qtbot, window, "4")
    qtbot.waitUntil(lambda: "Mentions (" in window.detail.toPlainText())
    text = window.detail.toPlainText()
    assert "Organisations: INTERPOL (this recommendation, ¶ 18)" in text
    click_anchor(qtbot, window.detail, "x-mention:INTERPOL")
    qtbot.waitUntil(lambda: window.filter_bar.mention.currentData() == "INTERPOL")
    expected = set(filtered_ids(reference, RecommendationFilter(mention="INTERPOL")))
    qtbot.waitUntil(lambda: shown_ids(window) == expected)


def test_each_remark_says_how_strong_its_link_is_and_why(qtbot, window, reference):
    click_row(qtbot, window, "18")
    qtbot.waitUntil(lambda: "Recommendation 18" in window.detail.toPlainText())
    detail = window.gateway.recommendation_detail(rec_id(reference, "18"))
    best = next(link for link in detail.links if link.paragraph_number == 9)
    text = window.detail.toPlainText()
    assert f"¶ 9 · ▮▮▮ {best.strength} · score {best.score:.2f}" in text
    assert best.reasons[0] in text and "Both speak of “cryptocurrencies”" in text
    found = window.detail.document().find(f"{best.strength} · score {best.score:.2f}")
    found.setPosition(found.selectionStart() + 1)  # inside the strength's word: the meter's reasons are its tooltip
    assert found.charFormat().toolTip() == " ".join(best.reasons)
    html = window.detail.toHtml()
    filled = {"weak": 1, "moderate": 2, "strong": 3}[best.strength]
    on, off = colours().accent, colours().border  # the meter in the palette's colours
    assert f'{on};">{"▮" * filled}</span>' in html
    assert filled == 3 or f'{off};">{"▮" * (3 - filled)}</span>' in html


def test_the_mention_filter_is_remembered(qtbot, db_path, isolated_settings):
    from desktop.app import create_main_window

    first = create_main_window(db_path)
    qtbot.waitExposed(first)
    first.filter_bar.mention.setCurrentIndex(first.filter_bar.mention.findData("Colombia"))
    first.close()
    first.library.close()
    second = create_main_window(db_path)
    qtbot.waitExposed(second)
    try:
        qtbot.waitUntil(lambda: second.filter_bar.mention.currentData() == "Colombia")
    finally:
        second.close()
        second.library.close()
