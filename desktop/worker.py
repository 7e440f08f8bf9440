"""The one helper for work off the GUI thread.

`Worker.submit(fn, on_done, on_failed)` runs ``fn()`` on a thread pool and
delivers its result to ``on_done`` on the GUI thread (queued signal). ``fn`` must
open its own session (every `LibraryGateway` call does) and must never touch
widgets. `wait()` blocks until all jobs ended: call it before closing the
library.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self._fn, self._relay = fn, relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as error:  # noqa: BLE001 - reported to the GUI, which decides
            self._relay.failed.emit(str(error))
        else:
            self._relay.done.emit(result)


class Worker(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._relays: set[_Relay] = set()

    def submit(self, fn: Callable[[], object], on_done: Callable[[object], None],
               on_failed: Callable[[str], None] | None = None) -> None:
        relay = _Relay(self)  # lives in the GUI thread: its signals reach slots there
        self._relays.add(relay)

        def finish() -> None:
            self._relays.discard(relay)
            relay.deleteLater()

        relay.done.connect(on_done)
        relay.done.connect(finish)
        if on_failed is not None:
            relay.failed.connect(on_failed)
        relay.failed.connect(finish)
        self._pool.start(_Job(fn, relay))

    def busy(self) -> bool:
        return bool(self._relays)

    def wait(self) -> None:
        self._pool.waitForDone()
