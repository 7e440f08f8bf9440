"""LiveChanges: other members' changes to a shared library, brought to the GUI thread.

Wraps `models.pg_live.ChangeListener` (a background thread LISTENing on the server):
its batches of notices and its connection state arrive here as Qt signals, queued to
the GUI thread. A status-bar label (`connectionStatus`) says whether the shared library
is reachable; the annotation controller refreshes what the notices name.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from models.db.library import Library
from models.db.pg_live import ChangeListener

CONNECTED = "Shared library: {name} (live)"
LOST = "Connection to the shared library lost — retrying…"


class LiveChanges(QObject):
    arrived = Signal(object)  # list[models.pg_live.ChangeNotice]
    connectionChanged = Signal(bool)

    def __init__(self, library: Library, status_parent: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.status = QLabel(status_parent)
        self.status.setObjectName("connectionStatus")
        self.status.setAccessibleName("Connection to the shared library")
        self.connectionChanged.connect(self._show_connection)
        self._listener = ChangeListener(library.engine, self.arrived.emit, self.connectionChanged.emit)
        self._show_connection(True)
        self._listener.start()

    @property
    def connected(self) -> bool:
        return self._listener.connected

    def _show_connection(self, up: bool) -> None:
        self.status.setText(CONNECTED.format(name=self.library.path.name) if up else LOST)
        self.status.setStyleSheet("" if up else "color: #b91c1c; font-weight: bold;")

    def stop(self) -> None:
        self._listener.stop()
