"""`run_with_progress`: a `Worker` task watched through a QProgressDialog with Cancel.

The dialog appears only when the work takes a moment (``minimumDuration``);
Cancel sets the task's flag, which the job polls; the dialog goes away before
``on_done``/``on_failed`` run on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.worker import CancelledFn, ProgressFn, Task, Worker

STEPS = 1000


def run_with_progress(
    parent: QWidget,
    worker: Worker,
    title: str,
    label: str,
    fn: Callable[[ProgressFn, CancelledFn], object],
    on_done: Callable[[object], None],
    on_failed: Callable[[BaseException], None],
) -> tuple[Task, QProgressDialog]:
    dialog = QProgressDialog(label, "Cancel", 0, STEPS, parent)
    dialog.setObjectName("progressDialog")
    dialog.setAccessibleName(title)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    ended = []

    def close_dialog() -> None:
        ended.append(True)
        dialog.hide()  # hide, not close: closing would emit canceled
        dialog.deleteLater()

    def done(result: object) -> None:
        close_dialog()
        on_done(result)

    def failed(error: BaseException) -> None:
        close_dialog()
        on_failed(error)

    def progressed(fraction: float, step: str) -> None:
        if not ended and not task.is_cancelled():
            dialog.setValue(max(0, min(STEPS, round(fraction * STEPS))))
            if step:
                dialog.setLabelText(step)

    task = worker.start(fn, done, failed, progressed)

    def cancel() -> None:
        if not ended:
            task.cancel()
            dialog.setLabelText("Cancelling…")

    dialog.canceled.connect(cancel)
    return task, dialog
