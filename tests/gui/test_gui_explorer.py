"""The explorer window on a copy of the real report, driven like a user would (pytest-qt).

QSettings go to a temporary folder; the committed data.sqlite is never opened for writing.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy import select, text

from desktop.app import create_main_window
from models.db import schema
from models.db.fulltext import matching_ids
from models.queries.filters import RecommendationFilter, filtered_ids, topic_counts
from tests.gui.driving import (
    click_anchor,
    click_row,
    close_window,
    paragraph_id,
    rec_id,
    search_field,
    shown_ids,
    shown_numbers,
    top_level,
)

SPEAKER_18 = "Miguel Angel Fuentes Peniza"

# ---------------------------------------------------------------------------- filtering


def test_opens_with_every_recommendation_and_named_widgets(window):
    assert shown_numbers(window) == [str(n) for n in range(1, 48)]
    for name in ("sectionTree", "recommendationTable", "searchField", "topicFilter", "detailPane", "reportReader"):
        widget = window.findChild(QApplication.instance().__class__.__bases__[0].__base__, name) or window.findChild(object, name)
        assert widget is not None, name
        assert widget.accessibleName(), name


def test_the_interpreter_is_tuned_for_a_responsive_window(window):
    import gc
    import sys

    from desktop.app import GIL_SWITCH_INTERVAL_S

    assert gc.get_freeze_count() > 10_000  # the bindings, the mappers and the first window
    assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_INTERVAL_S)


@pytest.mark.parametrize("query", ["darknet", "tracing", '"end user"', "broker*", "gender OR terrorism"])
def test_typing_a_query_narrows_the_table_as_models_search_does(qtbot, window, reference, query):
    expected = top_level(reference, matching_ids(reference, "recommendation_fts", query))
    assert expected
    qtbot.keyClicks(search_field(window), query)
    qtbot.waitUntil(lambda: shown_ids(window) == expected)
    count = window.findChild(QLabel, "matchCount").text()
    assert count.startswith(f"{len(expected)} of ")


def test_topic_chips_are_painted_in_their_colours_and_repaint_the_same(qtbot, window):
    from desktop.itemmodels.columns import column_index
    from desktop.theme import topic_colours

    model, table = window.table_model, window.table
    row = next(r for r in range(model.rowCount()) if len(model.row_data(r).topics) >= 2)
    chips = model.row_data(row).topics
    rect = table.visualRect(model.index(row, column_index("topics")))
    first = table.viewport().grab(rect).toImage()
    colours = {first.pixelColor(x, y).name() for x in range(first.width()) for y in range(first.height())}
    assert {topic_colours(chip.position)[0].name() for chip in chips[:1]} <= colours
    assert table.viewport().grab(rect).toImage() == first  # drawn again from the kept pixmap


def _tagged(session, key: str) -> set[int]:
    rows = session.execute(
        text(
            "SELECT DISTINCT coalesce(r.parent_id, r.id) FROM topic_tag t JOIN topic k ON k.id = t.topic_id "
            "JOIN recommendation r ON r.id = t.recommendation_id WHERE k.key = :k"
        ),
        {"k": key},
    )
    return {row[0] for row in rows}


def test_each_topic_toggle_shows_exactly_its_recommendations(qtbot, window, reference):
    buttons = window.filter_bar.topics.buttons
    everything = shown_ids(window)
    for key, button in buttons.items():
        expected = _tagged(reference, key)
        if not expected:
            continue
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda expected=expected: shown_ids(window) == expected)
        qtbot.waitUntil(lambda button=button, n=len(expected): button.text().endswith(f" {n}"))  # counts follow
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: shown_ids(window) == everything)


def test_two_topics_give_the_intersection_and_counts_follow(qtbot, window, reference):
    buttons = window.filter_bar.topics.buttons
    marking, financial = _tagged(reference, "marking"), _tagged(reference, "financial_flows")
    qtbot.mouseClick(buttons["marking"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown_ids(window) == marking)
    qtbot.waitUntil(lambda: buttons["financial_flows"].text().endswith(f" {len(marking & financial)}"))  # counts follow
    qtbot.mouseClick(buttons["financial_flows"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown_ids(window) == marking & financial)


def test_topic_counts_of_a_filter_seen_before_come_back_without_a_query(qtbot, window, reference):
    buttons, asked = window.filter_bar.topics.buttons, []
    everything = topic_counts(reference, RecommendationFilter())
    gender = topic_counts(reference, RecommendationFilter(text="gender"))
    assert gender != everything

    def shown(counts: dict[str, int]) -> bool:
        return all(button.text().endswith(f" {counts.get(key, 0)}") for key, button in buttons.items())

    qtbot.waitUntil(lambda: shown(everything))  # the opening counts are in
    counting = window.gateway.topic_counts
    window.gateway.topic_counts = lambda f, cancel=None: (asked.append(f.text), counting(f, cancel))[1]
    qtbot.keyClicks(search_field(window), "gender")
    qtbot.waitUntil(lambda: shown(gender))
    assert asked == ["gender"]
    search_field(window).clear()
    qtbot.waitUntil(lambda: shown(everything))
    qtbot.keyClicks(search_field(window), "gender")
    qtbot.waitUntil(lambda: shown(gender))
    qtbot.wait(300)  # longer than the pause topic counts wait for
    assert asked == ["gender"]


def test_speaker_and_state_filters_combine_with_search(qtbot, window, reference):
    bar = window.filter_bar
    bar.speaker.setCurrentIndex(bar.speaker.findData(SPEAKER_18))
    expected = set(filtered_ids(reference, RecommendationFilter(speaker=SPEAKER_18)))
    qtbot.waitUntil(lambda: shown_ids(window) == expected)
    bar.origin.setCurrentIndex(bar.origin.findData(("state", "Spain")))
    qtbot.keyClicks(search_field(window), "darknet")
    combined = RecommendationFilter(text="darknet", speaker=SPEAKER_18, state="Spain")
    qtbot.waitUntil(lambda: shown_ids(window) == set(filtered_ids(reference, combined)))
    assert rec_id(reference, "18") in shown_ids(window)


def test_unparsable_search_is_searched_as_words_with_a_calm_hint(qtbot, window, reference):
    qtbot.keyClicks(search_field(window), '"marking')  # an unclosed quote: searched, not refused
    message = window.findChild(QLabel, "searchMessage")
    qtbot.waitUntil(message.isVisible)
    assert "as plain words" in message.text()
    assert QApplication.activeModalWidget() is None
    expected = set(filtered_ids(reference, RecommendationFilter(text="marking")))
    assert expected
    qtbot.waitUntil(lambda: shown_ids(window) == expected)


def test_empty_state_names_the_query_and_its_button_clears(qtbot, window):
    qtbot.keyClicks(search_field(window), "xyzzy")
    qtbot.waitUntil(window.panel.is_empty_shown)
    assert "No recommendation matches “xyzzy”" in window.panel.empty.text()
    qtbot.mouseClick(window.panel.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown_ids(window)) == 47)
    assert search_field(window).text() == "" and not window.panel.is_empty_shown()


def test_escape_clears_only_the_focused_field_and_ctrl_f_focuses_the_search(qtbot, window):
    window.activateWindow()
    field = search_field(window)
    qtbot.keyClicks(field, "gender")
    qtbot.mouseClick(window.filter_bar.topics.buttons["gender"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.filter_settled and len(shown_ids(window)) < 47)
    narrowed = shown_ids(window)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Escape)  # the table has no field to clear: the filters stay
    assert shown_ids(window) == narrowed and window.filter_bar.topics.checked() == {"gender"}
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_Escape)  # Esc in the search field clears the search only
    qtbot.waitUntil(lambda: window.filter_settled and field.text() == "")
    assert window.filter_bar.topics.checked() == {"gender"} and len(shown_ids(window)) < 47
    window.actions_["clear_filters"].trigger()  # Clear All removes the rest
    qtbot.waitUntil(lambda: len(shown_ids(window)) == 47)


def test_header_click_sorts_in_sql(qtbot, window):
    header = window.table.horizontalHeader()
    column = next(i for i, c in enumerate(window.table_model.columns) if c.key == "remarks")
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().center().__class__(header.sectionViewportPosition(column) + 10, 5),
    )
    qtbot.waitUntil(lambda: window.table_model.sort_key[0] == "remarks")
    counts = [window.table_model.row_data(r).remark_count for r in range(window.table_model.rowCount())]
    assert counts == sorted(counts, reverse=window.table_model.sort_key[1])


def test_a_sort_chosen_while_a_filter_runs_orders_its_rows(qtbot, window, reference):
    """The header is clicked before the filter's rows come back from the worker: they come in that order."""
    header = window.table.horizontalHeader()
    column = next(i for i, c in enumerate(window.table_model.columns) if c.key == "remarks")
    for sort_order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
        window.filter_bar.topics.buttons["gender"].click()  # on, then off: each runs on the worker
        header.setSortIndicator(column, sort_order)
        qtbot.waitUntil(lambda: window.filter_settled)
        key = window.table_model.sort_key
        assert key == ("remarks", sort_order == Qt.SortOrder.DescendingOrder)
        assert list(window.table_model.ids()) == filtered_ids(reference, window.table_filter(), *key)


# ---------------------------------------------------------------------------- details, reader, history


def test_recommendation_18_shows_paragraph_9_and_its_speaker(qtbot, window):
    click_row(qtbot, window, "18")
    qtbot.waitUntil(lambda: "Recommendation 18" in window.detail.toPlainText())
    shown = window.detail.toPlainText()
    assert SPEAKER_18 in shown and "¶ 9" in shown
    assert "background-color" in window.detail.toHtml()  # evidence highlighted


def test_clicking_the_remark_opens_paragraph_9_with_backlinks_to_18(qtbot, window, reference):
    click_row(qtbot, window, "18")
    qtbot.waitUntil(lambda: SPEAKER_18 in window.detail.toPlainText())
    detail = window.gateway.recommendation_detail(rec_id(reference, "18"))
    remark = next(link for link in detail.links if link.shown and link.paragraph_number == 9)
    click_anchor(qtbot, window.detail, f"x-remark:{remark.remark_id}")
    p9 = paragraph_id(reference, 9)
    qtbot.waitUntil(lambda: window.reader.current_paragraph == p9)
    assert "18" in {back.number for back in window.reader.backlinks(p9)}
    assert "¶ 9 backs" in window.reader.backlinks_label.text() and ">18<" in window.reader.backlinks_label.text()


def test_weaker_links_on_demand(qtbot, window):
    click_row(qtbot, window, "18")
    qtbot.waitUntil(lambda: "Show weaker links" in window.detail.toPlainText())
    before = window.detail.toPlainText().count("score ")
    click_anchor(qtbot, window.detail, "x-weaker:")
    qtbot.waitUntil(lambda: "Hide weaker links" in window.detail.toPlainText())
    assert window.detail.toPlainText().count("score ") > before
    assert window.actions_["show_weaker"].isChecked()


def test_clicking_a_speaker_lists_their_remarks(qtbot, window):
    click_row(qtbot, window, "18")
    qtbot.waitUntil(lambda: SPEAKER_18 in window.detail.toPlainText())
    click_anchor(qtbot, window.detail, "x-speaker:")
    qtbot.waitUntil(lambda: "1 remark" in window.detail.toPlainText())
    assert window.detail.toPlainText().startswith(SPEAKER_18)


def test_back_and_forward_with_alt_arrows(qtbot, window, reference):
    click_row(qtbot, window, "18")
    qtbot.waitUntil(lambda: "Recommendation 18" in window.detail.toPlainText())
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: "Recommendation 19" in window.detail.toPlainText())
    click_anchor(qtbot, window.detail, "x-remark:")
    qtbot.waitUntil(lambda: window.reader.current_paragraph is not None)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # back to 19's remark? no: to 19
    assert window.history.current.kind == "recommendation"
    qtbot.keyClick(window.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "Recommendation 18" in window.detail.toPlainText())
    assert window.table_model.id_at(window.table.currentIndex().row()) == rec_id(reference, "18")
    qtbot.keyClick(window.table, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "Recommendation 19" in window.detail.toPlainText())
    assert window.actions_["back"].isEnabled() and window.actions_["forward"].isEnabled()


def test_tree_section_filters_and_paragraph_opens_in_reader(qtbot, window, reference):
    section = reference.scalar(select(schema.Section.id).where(schema.Section.label == "II.B"))
    expected = set(filtered_ids(reference, RecommendationFilter(section_id=section)))
    window.tree.setCurrentIndex(window.tree_model.index_of(("section", section)))
    qtbot.waitUntil(lambda: shown_ids(window) == expected)
    chips = window.filter_bar.active.chips()
    assert [chip.property("filterField") for chip in chips] == ["section_id"] and "II.B" in chips[0].text()
    p20 = paragraph_id(reference, 20)
    index = window.tree_model.index_of(("paragraph", p20))
    window.tree.scrollTo(index)
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=window.tree.visualRect(index).center())
    qtbot.waitUntil(lambda: window.reader.current_paragraph == p20)


def test_a_section_chosen_again_after_its_scope_was_cleared_scopes_the_table_again(qtbot, window, reference):
    section = reference.scalar(select(schema.Section.id).where(schema.Section.label == "II.A"))
    expected = set(filtered_ids(reference, RecommendationFilter(section_id=section)))
    index = window.tree_model.index_of(("section", section))
    for clear in (lambda: window.filter_bar.active.chips()[0].click(), window.clear_filters):
        window.tree.scrollTo(index)
        qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=window.tree.visualRect(index).center())
        qtbot.waitUntil(lambda: shown_ids(window) == expected)
        clear()
        qtbot.waitUntil(lambda: len(shown_ids(window)) == 47)
        assert not window.tree.currentIndex().isValid() and not window.tree.selectionModel().hasSelection()


def test_state_is_restored_after_closing_and_reopening(qtbot, db_path, isolated_settings):
    first = create_main_window(db_path)
    first.resize(780, 560)  # inside the offscreen screen, so that restoring the geometry keeps it
    qtbot.waitExposed(first)
    qtbot.keyClicks(search_field(first), "firearms")
    qtbot.mouseClick(first.filter_bar.topics.buttons["marking"], Qt.MouseButton.LeftButton)
    first.main_splitter.setSizes([150, 400, 200])
    sizes = first.main_splitter.sizes()
    qtbot.waitUntil(lambda: first.filter_settled and first.table_model.current_filter == first.table_filter())
    expected = shown_ids(first)
    close_window(first)
    assert list(isolated_settings.rglob("*.ini"))

    second = create_main_window(db_path)
    qtbot.waitExposed(second)
    try:
        assert search_field(second).text() == "firearms"
        assert second.filter_bar.topics.checked() == {"marking"}
        assert shown_ids(second) == expected
        assert second.size() == first.size()
        assert second.main_splitter.sizes() == sizes
    finally:
        close_window(second)


def test_topic_chips_show_only_topics_the_library_carries(window, reference):
    """A lexicon topic that no recommendation of the library carries takes no room in the filter bar."""
    carried = set(
        reference.scalars(
            select(schema.Topic.key)
            .join(schema.TopicTag, schema.TopicTag.topic_id == schema.Topic.id)
            .where(schema.TopicTag.recommendation_id.is_not(None))
        )
    )
    every = set(reference.scalars(select(schema.Topic.key)))
    assert carried and every - carried  # the shipped lexicon has topics of other working groups
    topics = window.filter_bar.topics
    topics.set_expanded(True)  # folded, the chips take one line and "+N more" stands for the rest
    assert {key for key, button in topics.buttons.items() if not button.isHidden()} == carried
    assert set(topics.offered()) == carried
