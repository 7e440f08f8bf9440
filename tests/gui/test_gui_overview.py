"""The Overview pane on a copy of the shipped report, driven like a user would (pytest-qt).

The expected cell comes from the CSV exports (`tests.domain.test_overview.expected_cell`), never from
`models.queries.overview`.
"""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QTableView

from desktop.app import create_main_window
from desktop.itemmodels.roles import ShareRole
from desktop.views.overview import OverviewView, heat_colour, text_colour
from models.briefing.glance import header_text
from models.build.importing import import_reports
from models.queries.filters import RecommendationFilter
from tests import report_variants
from tests.domain.test_overview import TOPIC_KEY, TOPIC_LABEL, WEOG, expected_cell

DARK = {
    "Window": "#202124",
    "WindowText": "#e8eaed",
    "Base": "#18191b",
    "AlternateBase": "#26282b",
    "Text": "#e8eaed",
    "Button": "#2a2b2e",
    "ButtonText": "#e8eaed",
    "Highlight": "#5b8fd1",
    "HighlightedText": "#0b0c0d",
    "Mid": "#3c4043",
    "Midlight": "#303134",
}


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


@pytest.fixture
def window(qtbot, db_path):
    win = create_main_window(db_path)
    win.resize(1280, 720)
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.library.close()


def open_overview(qtbot, window) -> OverviewView:
    window.actions_["overview"].trigger()
    view = window.findChild(OverviewView, "overview")
    qtbot.waitUntil(lambda: view.overview is not None and view.isVisible(), timeout=20000)  # facts read on the worker
    return view


def cell_index(view: OverviewView, topic: str, column: str):
    model = view.models["groups"]
    row = [axis.key for axis in model.matrix.rows].index(topic)
    col = [axis.key for axis in model.matrix.columns].index(column)
    return model.index(row, col)


def numbers_in_table(window) -> set[str]:
    rows = window.gateway.recommendation_rows(window.table_model.ids())
    return {row.number for row in rows.values()}


def test_overview_opens_from_the_view_menu_with_its_shortcut(qtbot, window):
    action = window.actions_["overview"]
    assert action.shortcut().toString() == "Ctrl+Shift+O"
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert action in view_menu.actions()
    view = open_overview(qtbot, window)
    assert window.findChild(QDockWidget, "overviewDock").isVisible()
    assert view.accessibleName()
    for name in ("overviewGroups", "overviewStates", "overviewSections", "overviewSupport", "overviewYears"):
        table = view.findChild(QTableView, name)
        assert table is not None and table.accessibleName()
    # one report: no "over the years" chart
    assert not view.tabs.isTabVisible(view.tabs.indexOf(view.tables["years"]))
    action.trigger()
    assert not view.isVisible()
    open_overview(qtbot, window)
    window.overview_dock.close()  # its own close button: the menu item follows
    assert not action.isChecked()


def test_cell_matches_the_exports_and_a_click_filters_the_table(qtbot, window, db_path, capsys):
    remarks, numbers = expected_cell(db_path, capsys, TOPIC_KEY, WEOG)
    view = open_overview(qtbot, window)
    table = view.tables["groups"]
    index = cell_index(view, TOPIC_KEY, WEOG)
    assert index.data() == str(len(remarks))
    assert TOPIC_LABEL in index.data(Qt.ItemDataRole.ToolTipRole)
    assert f"on {len(numbers)} recommendations" in index.data(Qt.ItemDataRole.ToolTipRole)

    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    expected = RecommendationFilter(topics=frozenset({TOPIC_KEY}), group=WEOG)
    qtbot.waitUntil(lambda: window.filter_settled and window.table_model.current_filter == expected)
    assert window.filter_bar.filter() == expected
    assert numbers_in_table(window) == numbers
    # the Overview follows the new scope
    qtbot.waitUntil(lambda: view.overview.recommendations == len(numbers))

    window.actions_["back"].trigger()
    qtbot.waitUntil(lambda: window.filter_settled and window.table_model.current_filter == RecommendationFilter())
    assert window.table_model.rowCount() == 47
    qtbot.waitUntil(lambda: view.overview.recommendations == 47)
    window.actions_["forward"].trigger()
    qtbot.waitUntil(lambda: window.filter_settled and window.table_model.current_filter == expected)


def test_enter_on_a_cell_filters_too(qtbot, window):
    view = open_overview(qtbot, window)
    table = view.tables["groups"]
    table.setFocus()
    table.setCurrentIndex(cell_index(view, TOPIC_KEY, WEOG))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.filter_settled and window.filter_bar.filter().group == WEOG)


def test_support_bar_opens_its_recommendation(qtbot, window):
    view = open_overview(qtbot, window)
    view.tabs.setCurrentWidget(view.tables["support"])
    table = view.tables["support"]
    first = view.support_model.index(0, 1)
    speakers = [int(view.support_model.index(r, 1).data()) for r in range(view.support_model.rowCount())]
    assert speakers == sorted(speakers) and len(speakers) == 47  # fewest voices first
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(first).center())
    number = view.support_model.index(0, 0).data().removeprefix("Recommendation ")
    qtbot.waitUntil(lambda: window.history.current is not None and window.history.current.kind == "recommendation")
    rows = window.gateway.recommendation_rows([window.history.current.key[0]])
    assert next(iter(rows.values())).number == number


def test_ctrl_c_copies_the_chart_as_a_table(qtbot, window):
    view = open_overview(qtbot, window)
    table = view.tables["groups"]
    table.setFocus()
    table.clearSelection()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    lines = [line.split("\t") for line in text.splitlines()]
    assert WEOG in lines[0]
    row = next(line for line in lines if line[0] == TOPIC_LABEL)
    assert row[lines[0].index(WEOG)] == cell_index(view, TOPIC_KEY, WEOG).data()
    assert "<table>" in QGuiApplication.clipboard().mimeData().html()


def _contrast(first: QColor, second: QColor) -> float:
    def luminance(colour: QColor) -> float:
        channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in colour.getRgbF()[:3]]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_renders_legibly_in_both_palettes(qtbot, db_path, scheme, tmp_path):
    app = QApplication.instance()
    saved = app.palette()
    if scheme == "dark":
        palette = QPalette()
        for role, colour in DARK.items():
            palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
        app.setPalette(palette)
    window = create_main_window(db_path)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    try:
        view = open_overview(qtbot, window)
        window.overview_dock.setFloating(True)
        window.overview_dock.resize(1280, 720)
        qtbot.waitUntil(lambda: view.width() >= 1200)
        image = view.grab().toImage()
        image.save(str(tmp_path / f"overview-{scheme}.png"))
        table = view.tables["groups"]
        palette = table.palette()
        base = palette.color(QPalette.ColorRole.Base)
        assert (base.lightness() < 128) == (scheme == "dark")
        largest = view.models["groups"].matrix.maximum()
        for share in (1 / largest, 1.0):
            background = heat_colour(palette, share)
            assert _contrast(background, text_colour(palette, background)) >= 4.5
        # the painted cell has the heat colour of its number
        index = cell_index(view, TOPIC_KEY, WEOG)
        rect = table.visualRect(index)
        origin = table.viewport().mapTo(view, rect.topLeft())
        painted = image.pixelColor(origin.x() + 3, origin.y() + 3)
        expected = heat_colour(palette, index.data(ShareRole))
        assert abs(painted.red() - expected.red()) <= 2 and abs(painted.blue() - expected.blue()) <= 2
    finally:
        window.close()
        window.library.close()
        app.setPalette(saved)


def test_word_briefing_at_a_glance_matches_the_view(qtbot, window, tmp_path):
    from tests.gui.test_gui_export import run_export

    view = open_overview(qtbot, window)
    # narrow the table (and the Overview) to one topic first: the briefing follows the same scope
    window.filter_bar.set_filter(RecommendationFilter(topics=frozenset({"terrorism"})))
    qtbot.waitUntil(lambda: window.filter_settled and view.overview.recommendations == window.table_model.rowCount())
    dest = tmp_path / "glance.docx"
    dialog = run_export(qtbot, window, dest, scope="filter", setup=lambda d: d.at_a_glance.setChecked(True))
    assert dialog.findChild(type(dialog.at_a_glance), "atAGlance").accessibleName()
    document = docx.Document(str(dest))
    headings = [p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert headings[:2] == ["At a glance", view.models["groups"].matrix.title]
    tables = list(document.tables)
    shown = [kind for kind in ("groups", "states", "sections", "years") if view.models[kind].columnCount()]
    for kind in shown:
        model = view.models[kind]
        cells: list[list[str]] = []
        while len(cells[0][1:] if cells else []) < model.columnCount():  # a wide chart goes on in a further table
            part = [[cell.text for cell in row.cells] for row in tables.pop(0).rows]
            cells = [row + more[1:] for row, more in zip(cells, part, strict=True)] if cells else part
        assert cells[0][1:] == [header_text(axis) for axis in model.matrix.columns]  # a section by its key: "II.B"
        assert [
            model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) for c in range(model.columnCount())
        ] == [axis.label for axis in model.matrix.columns]
        for r in range(model.rowCount()):
            assert cells[r + 1][0] == model.headerData(r, Qt.Orientation.Vertical)
            assert cells[r + 1][1:] == [model.index(r, c).data() for c in range(model.columnCount())]
    # numbers are shaded, zeros are not
    for table in document.tables:
        for row in table.rows[1:]:
            for cell in row.cells[1:]:
                shading = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
                assert (shading is not None) == (cell.text != "0")


def test_word_briefing_without_at_a_glance_by_default(qtbot, window, tmp_path):
    from tests.gui.test_gui_export import run_export

    dest = tmp_path / "plain.docx"
    dialog = run_export(qtbot, window, dest, scope="filter")
    assert not dialog.at_a_glance.isChecked()
    assert not docx.Document(str(dest)).tables


def test_facts_are_read_once_the_window_is_up_and_again_after_an_import(qtbot, window, tmp_path, report_text):
    # read on the worker after the first paint, the Overview still closed: opening it only shows
    qtbot.waitUntil(lambda: window.overview_gateway.ready, timeout=10000)
    assert not window.overview_dock.isVisible()
    view = open_overview(qtbot, window)
    assert (view.overview.reports, view.overview.recommendations) == (1, 47)
    path = tmp_path / "wg-firearms-2022.txt"
    path.write_text(report_variants.firearms_2022(report_text), encoding="utf-8")
    qtbot.waitUntil(lambda: not window.worker.busy())  # no filter query still reading the library as it was
    result = import_reports(window.library, [path])
    assert result.failed == ()
    window.refresh_library(result)  # what the import flow does when it is done
    qtbot.waitUntil(lambda: view.overview.reports == 2, timeout=10000)
    assert window.overview_gateway.ready
    assert view.overview.recommendations == len(window.table_model.ids()) > 47
    assert view.tabs.isTabVisible(view.tabs.indexOf(view.tables["years"]))  # 2021 and 2022
