"""Render the main window on the real report to a PNG, for the docs and for review.

    QT_QPA_PLATFORM=offscreen python -m desktop.screenshot resources/screenshot.png
    QT_QPA_PLATFORM=offscreen python -m desktop.screenshot resources/screenshot-dark.png --dark   (--1440: 1440x900)

Works on a temporary copy of the embedded corpus with throw-away settings, selects
recommendation 18 and opens the paragraph behind it (para. 9) in the reader.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings

from models.paths import EMBEDDED_CORPUS


def render(destination: Path, number: str = "18", size: tuple[int, int] = (1280, 720), dark: bool = False) -> Path:
    """The window at ``size`` with recommendation ``number`` selected, in the light or the ``dark`` palette."""
    from desktop.app import application, create_main_window

    with tempfile.TemporaryDirectory() as folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        copy = Path(folder) / "library.sqlite"
        shutil.copyfile(EMBEDDED_CORPUS, copy)
        app = application()
        if dark:
            from desktop.theme import dark_palette

            app.setPalette(dark_palette())
        window = create_main_window(copy)
        window.resize(*size)
        _annotate(window, number)
        row = next(r for r in range(window.table_model.rowCount()) if window.table_model.row_data(r).number == number)
        window.table.selectRow(row)
        window.table.scrollTo(window.table_model.index(row, 0), window.table.ScrollHint.PositionAtCenter)
        window.tree.setCurrentIndex(window.tree_model.index_of(("recommendation", window.table_model.id_at(row))))
        detail = window.gateway.recommendation_detail(window.table_model.id_at(row))
        remark = next(link for link in detail.links if link.shown)
        window.worker.wait()
        for _ in range(20):
            QCoreApplication.processEvents()
        window.detail.remarkActivated.emit(remark.paragraph_id, remark.remark_id, remark.start, remark.end)
        for _ in range(20):
            QCoreApplication.processEvents()
        window.table.setFocus()
        destination.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(destination))
        window.worker.wait()
        window.close()
        window.library.close()
        app.processEvents()
    return destination


def _annotate(window, number: str) -> None:
    """A few of a delegate's annotations, so that the sidebar, the marks column and the panel show something."""
    model, ops = window.table_model, window.annotations.ops
    keys = {model.row_data(r).number: model.row_data(r).key for r in range(model.rowCount())}
    briefing = ops.gateway.briefing_id()
    ops.add_to_collection(briefing, [keys[n] for n in ("18", "19", "22", "9")])
    tag = ops.create_tag("Financial flows").ids[0]
    ops.tag(tag, [keys[n] for n in ("16", "18", "19", "20")])
    ops.set_position([keys[number]], "support")
    ops.set_position([keys["19"]], "needs_instructions")
    ops.set_priority([keys[number], keys["22"]], True)
    ops.save_note(keys[number], "Raise with capital: cryptocurrency tracing capacity; align with our FATF position.")
    window.annotations.sidebar.select("collection", briefing)


if __name__ == "__main__":
    arguments = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    wide = "--1440" in sys.argv
    print(
        render(
            Path(arguments[0] if arguments else "resources/screenshot.png"),
            size=(1440, 900) if wide else (1280, 720),
            dark="--dark" in sys.argv,
        )
    )
