"""The one helper for work off the GUI thread.

`Worker.submit(fn, on_done, on_failed)` runs ``fn()`` on a thread pool and
delivers its result to ``on_done`` on the GUI thread (queued signal). ``fn`` must
open its own session (every `LibraryGateway` call does) and must never touch
widgets. `wait()` cancels what can be cancelled and blocks until all jobs ended:
call it before closing the library.

`Worker.start(fn, on_done, on_failed, on_progress)` is the same for long work
a user watches and may cancel: ``fn(progress, cancelled)`` reports through
``progress(fraction, step)`` (0..1, a line for the user) and polls
``cancelled()``; the returned `Task` is what a Cancel button calls. There,
``on_failed`` receives the exception itself, so callers can tell a cancellation
or a refusal in the user's terms from a fault.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

ProgressFn = Callable[[float, str], None]
CancelledFn = Callable[[], bool]


class Task(QObject):
    """A job in progress: relays its signals to the GUI thread and carries its cancel flag.

    Lives in the GUI thread; the job emits from the pool thread, so the
    connections to its own slots are queued and the callbacks run on the GUI thread.
    """

    _done = Signal(object)
    _failed = Signal(object)
    _progress = Signal(float, str)

    def __init__(
        self,
        parent: QObject,
        on_done: Callable[[object], None],
        on_failed: Callable[[BaseException], None] | None,
        on_progress: ProgressFn | None,
    ) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._callbacks = (on_done, on_failed, on_progress)
        self.finished = False
        self._done.connect(self._deliver_done)
        self._failed.connect(self._deliver_failed)
        self._progress.connect(self._deliver_progress)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    @Slot(object)
    def _deliver_done(self, result: object) -> None:
        self.finished = True
        self._callbacks[0](result)

    @Slot(object)
    def _deliver_failed(self, error: object) -> None:
        self.finished = True
        if self._callbacks[1] is not None:
            self._callbacks[1](error)

    @Slot(float, str)
    def _deliver_progress(self, fraction: float, step: str) -> None:
        if self._callbacks[2] is not None and not self.finished:
            self._callbacks[2](fraction, step)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[ProgressFn, CancelledFn], object], task: Task) -> None:
        super().__init__()
        self._fn, self._task = fn, task

    def run(self) -> None:
        task = self._task
        try:
            result = self._fn(task._progress.emit, task.is_cancelled)
        except Exception as error:
            task._failed.emit(error)
        else:
            task._done.emit(result)


class Worker(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._tasks: set[Task] = set()

    def start(
        self,
        fn: Callable[[ProgressFn, CancelledFn], object],
        on_done: Callable[[object], None],
        on_failed: Callable[[BaseException], None] | None = None,
        on_progress: ProgressFn | None = None,
    ) -> Task:
        task = Task(self, on_done, on_failed, on_progress)
        self._tasks.add(task)

        def finish(*_: object) -> None:
            self._tasks.discard(task)
            task.deleteLater()

        task._done.connect(finish)
        task._failed.connect(finish)
        self._pool.start(_Job(fn, task))
        return task

    def submit(
        self, fn: Callable[[], object], on_done: Callable[[object], None], on_failed: Callable[[str], None] | None = None
    ) -> Task:
        failed = (lambda error: on_failed(str(error))) if on_failed is not None else None
        return self.start(lambda _progress, _cancelled: fn(), on_done, failed)

    def busy(self) -> bool:
        return bool(self._tasks)

    def wait(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        self._pool.waitForDone()
