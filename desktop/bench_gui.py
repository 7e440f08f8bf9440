"""The window's side of the benchmark (`models.bench.run`): one measure per fresh process.

``python -m desktop.bench_gui MODE [--db FILE|URL] [--keystrokes N]`` prints one JSON line (``--db``: a
library file, or a shared library's URL):

* ``empty``: an empty QMainWindow, from before Qt is imported to its first paint (the baseline);
* ``first_paint``: the same for `desktop.app.create_main_window` on ``--db``;
* ``overview``: with the main window shown, opening the Overview (View > Overview) until it is
  painted, the first time and again, and changing the filters (topics, searches) until the
  Overview shows the new scope. The window reads the Overview's facts on its worker once its
  first filter has listed everything; the first opening is asked for ``--ask-after`` seconds
  after the window's first paint (default 1 s, about the time a user takes to reach the View
  menu; 0: at once, waiting for the facts), and the time the facts were ready is printed too;
* ``interact``: with the main window shown, typing queries into ``searchField`` one key at a
  time (key event -> table model reset/layout change, -> handler returned, -> table repainted),
  toggling topic chips in ``topicFilter``, and selecting rows of ``recommendationTable`` until
  ``detailPane`` shows the recommendation.

It drives the real widgets through QTest and watches the model's signals; it never changes
the library. QSettings go to a temporary folder so that a user's saved filters play no part.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before Qt is imported: start-up figures count the import too

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from models.bench.run import KEYSTROKES, keystroke_plan, library_location, peak_rss_mb, percentile  # noqa: E402

WAIT_S = 10.0  # give up on an update after this long (counted in "timeouts")
UNCHANGED_S = 0.25  # no paint of the table this long after its model changed: no row changed


class _Watch:
    """Records when a widget is painted and when a model signals a change."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.painted_at: float | None = None
        self.changed_at: float | None = None
        self.completed_at: float | None = None

        class _Filter(QObject):
            def eventFilter(inner, obj, event):
                if event.type() == QEvent.Type.Paint and self.painted_at is None:
                    self.painted_at = time.perf_counter()
                return False

        self.filter = _Filter()

    def changed(self, *_args) -> None:
        if self.changed_at is None:
            self.changed_at = time.perf_counter()

    def completed(self) -> None:
        if self.completed_at is None:
            self.completed_at = time.perf_counter()

    def reset(self) -> None:
        self.painted_at = self.changed_at = self.completed_at = None


class _PaintEnd:
    """When the watched widgets last finished painting: the filter paints them itself and notes the end."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.started_at: float | None = None
        self.ended_at: float | None = None

        class _Filter(QObject):
            def eventFilter(inner, obj, event):
                if event.type() != QEvent.Type.Paint:
                    return False
                self.started_at = time.perf_counter()
                obj.event(event)  # the widget's own paint, without the filters again
                self.ended_at = time.perf_counter()
                return True

        self.filter = _Filter()

    def watch(self, *widgets) -> None:
        for widget in widgets:
            widget.installEventFilter(self.filter)


def _isolate_settings() -> None:
    from PySide6.QtCore import QSettings

    folder = tempfile.mkdtemp(prefix="xref-bench-settings-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)


def _wait(done, app, seconds: float = WAIT_S) -> bool:
    from PySide6.QtCore import QEventLoop

    deadline = time.perf_counter() + seconds
    while not done():
        if time.perf_counter() > deadline:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    return True


def _start(db: Path | None) -> tuple[object, object, _Watch, float]:
    """(application, window, watch, seconds from process start to the window's first paint)."""
    from PySide6.QtWidgets import QMainWindow

    from desktop.app import application, create_main_window

    app = application()
    _isolate_settings()
    watch = _Watch()
    app.installEventFilter(watch.filter)
    if db is None:
        window = QMainWindow()
        window.resize(1440, 900)
        window.show()
    else:
        window = create_main_window(db)
    if not _wait(lambda: watch.painted_at is not None, app):
        raise SystemExit("the window was never painted")
    return app, window, watch, watch.painted_at - STARTED


def _settle(app) -> None:
    from PySide6.QtCore import QEventLoop

    for _ in range(5):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def _interact(db: Path, keystrokes: int, verbose: bool = False) -> dict[str, object]:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit, QPushButton, QTableView, QTextBrowser, QWidget

    app, window, watch, _ = _start(db)
    app.removeEventFilter(watch.filter)
    window.activateWindow()
    field = window.findChild(QLineEdit, "searchField")
    table = window.findChild(QTableView, "recommendationTable")
    topics = window.findChild(QWidget, "topicFilter")
    detail = window.findChild(QTextBrowser, "detailPane")
    if None in (field, table, topics, detail):
        raise SystemExit("the main window lacks searchField, recommendationTable, topicFilter or detailPane")
    model = table.model()
    # The table is updated when the window says the newest filter is applied (its query runs on a worker):
    # first its first screen of matches, then (complete) all of them.
    applied = getattr(window, "filterApplied", None)
    if applied is not None:
        applied.connect(lambda complete: (watch.changed(), watch.completed() if complete else None))
    else:
        for signal in (model.modelReset, model.layoutChanged):
            signal.connect(lambda *_: (watch.changed(), watch.completed()))
    _settle(app)
    # The table's rows, or the "no match" page that takes its place: the end of their next paint
    # after the model changed is the moment the delegate sees the matches.
    painted_end = _PaintEnd()
    painted_end.watch(table.viewport(), window.findChild(QWidget, "emptyPage"))
    field.setFocus()

    def timed(action) -> tuple[float, float, float, bool]:
        """(to model change, to handler return, to table repaint) in ms after ``action``; timed out?"""
        watch.reset()
        began = time.perf_counter()
        action()
        returned = time.perf_counter()
        ok = _wait(lambda: watch.changed_at is not None, app)
        changed = watch.changed_at or returned
        # A key that leaves the matches as they were ("dark" -> "dark ") changes no row: no paint
        # starts, and the table already showed the matches when the model said so.
        repainted = _wait(lambda: (painted_end.started_at or 0) > changed, app, UNCHANGED_S)
        ok = _wait(lambda: (painted_end.ended_at or 0) > changed, app) and ok if repainted else ok
        painted = painted_end.ended_at if repainted and painted_end.ended_at else changed
        timed.unchanged = not repainted
        ok = _wait(lambda: watch.completed_at is not None, app) and ok  # the full list too, before the next key
        timed.complete_ms = ((watch.completed_at or changed) - began) * 1000
        return (changed - began) * 1000, (returned - began) * 1000, (painted - began) * 1000, ok

    model_ms, handled_ms, painted_ms, complete_ms, timeouts, unchanged = [], [], [], [], 0, 0
    current = None
    for number, typed in keystroke_plan(keystrokes):
        if number != current:
            current = number
            field.clear()
            _settle(app)
        to_model, to_return, to_paint, ok = timed(lambda: QTest.keyClick(field, typed[-1]))
        assert field.text() == typed, (field.text(), typed)
        model_ms.append(to_model)
        complete_ms.append(timed.complete_ms)
        handled_ms.append(to_return)
        painted_ms.append(to_paint)
        timeouts += not ok
        unchanged += timed.unchanged
        if verbose:
            print(
                f"{typed!r:28} model {to_model:7.1f}  painted {to_paint:7.1f}  complete {timed.complete_ms:7.1f} ms"
                f"{'  (no row changed)' if timed.unchanged else ''}{'' if ok else '  (timed out)'}",
                file=sys.stderr,
            )
    field.clear()
    _settle(app)

    chips = [button for button in topics.findChildren(QPushButton) if button.isCheckable()]
    toggle_ms = []
    for button in chips[:6] * 2:  # on, then off again
        if not button.isEnabled():
            continue
        to_model, _, _, ok = timed(button.click)
        toggle_ms.append(to_model)
        timeouts += not ok
    _settle(app)

    detail_ms = []
    rows = model.rowCount()
    for row in [index * max(1, rows // 12) for index in range(12)]:
        if row >= rows:
            break
        before = detail.toPlainText()
        began = time.perf_counter()
        table.selectRow(row)
        ok = _wait(lambda: detail.toPlainText() != before, app)
        detail_ms.append((time.perf_counter() - began) * 1000)
        timeouts += not ok
        _settle(app)
    return {
        "keystroke_p50_ms": statistics.median(model_ms),
        "keystroke_p95_ms": percentile(model_ms, 0.95),
        "keystroke_complete_p50_ms": statistics.median(complete_ms),
        "keystroke_complete_p95_ms": percentile(complete_ms, 0.95),
        "keystroke_handled_p95_ms": percentile(handled_ms, 0.95),
        "keystroke_painted_p50_ms": statistics.median(painted_ms),
        "keystroke_painted_p95_ms": percentile(painted_ms, 0.95),
        "keystroke_max_ms": max(painted_ms),
        "keystrokes_measured": len(model_ms),
        "keystrokes_unchanged": unchanged,
        "topic_toggle_ms": statistics.median(toggle_ms) if toggle_ms else float("nan"),
        "topic_toggle_max_ms": max(toggle_ms) if toggle_ms else float("nan"),
        "detail_open_ms": statistics.median(detail_ms) if detail_ms else float("nan"),
        "detail_open_max_ms": max(detail_ms) if detail_ms else float("nan"),
        "gui_timeouts": timeouts,
    }


def _overview(db: Path, ask_after: float) -> dict[str, object]:
    """Overview figures (ms): open first and again, and filter change -> Overview updated and repainted."""
    from models.bench.run import QUERIES
    from models.queries.filters import RecommendationFilter

    app, window, watch, first_paint_s = _start(db)
    first_paint = STARTED + first_paint_s
    _settle(app)
    # the user asks for the Overview ``ask_after`` seconds after the window's first paint
    _wait(lambda: time.perf_counter() >= first_paint + ask_after, app)
    asked_after_s = time.perf_counter() - first_paint
    view, action = window.overview, window.actions_["overview"]
    shown: list[float] = []
    show = view.show_overview

    def show_and_stamp(overview) -> None:
        show(overview)
        shown.append(time.perf_counter())

    view.show_overview = show_and_stamp
    applied: list[float] = []  # when the Overview began counting (the table already holds the matches)
    count = window.overview_gateway.overview

    def count_and_stamp(ids):
        applied.append(time.perf_counter())
        return count(ids)

    window.overview_gateway.overview = count_and_stamp

    def painted_after(action_) -> tuple[float, float, bool]:
        """(ms to the Overview's new numbers, ms to its repaint) after ``action_``."""
        shown.clear()
        watch.reset()
        began = time.perf_counter()
        action_()
        ok = _wait(lambda: bool(shown), app)
        watch.reset()
        ok = _wait(lambda: watch.painted_at is not None, app) and ok
        return ((shown[0] if shown else began) - began) * 1000, ((watch.painted_at or began) - began) * 1000, ok

    view.installEventFilter(watch.filter)
    for table in view.tables.values():
        table.viewport().installEventFilter(watch.filter)
    _, cold_ms, ok_cold = painted_after(action.trigger)
    action.trigger()  # hide
    _settle(app)
    warm = []
    for _ in range(3):
        warm.append(painted_after(action.trigger)[1])
        action.trigger()
        _settle(app)
    action.trigger()
    _settle(app)
    topics = [row.key for row in window.gateway.topics()][:6]
    filters = [RecommendationFilter(topics=frozenset({key})) for key in topics]
    filters += [RecommendationFilter(text=query) for query in QUERIES[:6]]
    filters += [RecommendationFilter()]
    facts_ready = window.overview_gateway.loaded_at  # read on the worker, before or after the request
    update_ms, painted_ms, counted_ms, listed_ms, timeouts = [], [], [], [], int(not ok_cold)
    for f in filters:
        applied.clear()
        began = time.perf_counter()
        to_numbers, to_paint, ok = painted_after(lambda f=f: window.filter_bar.set_filter(f))
        if applied:
            listed_ms.append((applied[0] - began) * 1000)
        timeouts += not ok
        update_ms.append(to_numbers)
        painted_ms.append(to_paint)
        if applied and shown:
            counted_ms.append((shown[0] - applied[0]) * 1000)
        _settle(app)
    return {
        "overview_asked_after_paint_s": asked_after_s,
        "overview_facts_ready_after_paint_s": (facts_ready - first_paint) if facts_ready else float("nan"),
        "overview_open_cold_ms": cold_ms,
        "overview_open_ms": statistics.median(warm),
        "overview_update_p50_ms": statistics.median(update_ms),
        "overview_update_max_ms": max(update_ms),
        "overview_update_painted_p50_ms": statistics.median(painted_ms),
        "overview_update_painted_max_ms": max(painted_ms),
        "overview_table_listed_p50_ms": statistics.median(listed_ms) if listed_ms else float("nan"),
        "overview_count_p50_ms": statistics.median(counted_ms) if counted_ms else float("nan"),
        "overview_count_max_ms": max(counted_ms) if counted_ms else float("nan"),
        "overview_timeouts": timeouts,
    }


def _repaint(db: Path, keystrokes: int) -> dict[str, object]:
    from models.queries.filters import RecommendationFilter

    app, window, _watch, _ = _start(db)
    _settle(app)
    window.worker.wait()
    table = window.table
    model, viewport = table.model(), table.viewport()
    fresh_ms, again_ms, rows_in_view = [], [], 0
    for _number, typed in keystroke_plan(keystrokes):
        try:
            model.set_filter(RecommendationFilter(text=typed))
        except Exception:  # a half-typed query the search cannot read: the window shows a message instead
            continue
        app.processEvents()
        if model.rowCount() < 12:
            continue
        rows_in_view = table.rowAt(viewport.height() - 1) - table.rowAt(0) + 1
        for figures in (fresh_ms, again_ms):
            began = time.thread_time()
            viewport.repaint()
            figures.append((time.thread_time() - began) * 1000)
    return {
        "repaint_rows_in_view": rows_in_view,
        "repaint_searches": len(fresh_ms),
        "repaint_fresh_cpu_p50_ms": statistics.median(fresh_ms),
        "repaint_fresh_cpu_p95_ms": percentile(fresh_ms, 0.95),
        "repaint_again_cpu_p50_ms": statistics.median(again_ms),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.bench_gui")
    parser.add_argument("mode", choices=("empty", "first_paint", "interact", "overview", "repaint"))
    parser.add_argument("--db", type=library_location)
    parser.add_argument("--keystrokes", type=int, default=KEYSTROKES)
    parser.add_argument("--verbose", action="store_true", help="print each keystroke's figures to stderr")
    parser.add_argument(
        "--ask-after",
        type=float,
        default=1.0,
        help="overview: seconds after the first paint at which the Overview is first asked for",
    )
    args = parser.parse_args(argv)
    if args.mode != "empty" and args.db is None:
        parser.error("--db is needed")
    if args.mode == "interact":
        result: dict[str, object] = _interact(args.db, args.keystrokes, args.verbose)
    elif args.mode == "repaint":
        result = _repaint(args.db, args.keystrokes)
    elif args.mode == "overview":
        result = _overview(args.db, args.ask_after)
    else:
        _, _, _, seconds = _start(args.db if args.mode == "first_paint" else None)
        result = {"seconds": seconds}
    result["peak_rss_mb"] = peak_rss_mb()
    # Closed as a user closes it: the library is left closed cleanly, so the next measured start
    # does not pay the integrity check of a library left open.
    from PySide6.QtWidgets import QApplication

    QApplication.instance().closeAllWindows()
    print(json.dumps(result), flush=True)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
