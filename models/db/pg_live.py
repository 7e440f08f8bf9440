"""Live changes of a shared library: PostgreSQL LISTEN on ``xref_changes`` in a background thread.

Triggers on the user tables and documents (migration 0006) send one notice per changed
row; `ChangeListener` collects them for a short moment and hands a batch of `ChangeNotice`
to its callback, on its own thread (a GUI must pass them to its own thread). When the
connection is lost it reports so, retries every second, and once back reports a
`RESYNC` notice: whatever changed meanwhile was not heard, so everything is re-read.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from sqlalchemy import Engine

CHANNEL = "xref_changes"
BATCH_SECONDS = 0.1  # notices arriving this close together are handed over as one batch
RETRY_SECONDS = 1.0
RESYNC = "*"  # the table of the notice sent after a reconnection: re-read everything


@dataclass(frozen=True)
class ChangeNotice:
    table: str  # "user_note", "user_collection_item", "document"..., or RESYNC
    document_key: str | None = None
    number: str | None = None
    role: str = ""


def parse_notice(payload: str) -> ChangeNotice:
    data = json.loads(payload)
    return ChangeNotice(data.get("table", RESYNC), data.get("document"), data.get("number"), data.get("role") or "")


class ChangeListener:
    """LISTENs on its own connection (not one of the pool's) until `stop`."""

    def __init__(
        self,
        engine: Engine,
        on_changes: Callable[[list[ChangeNotice]], None],
        on_connection: Callable[[bool], None] = lambda _up: None,
    ) -> None:
        self._engine = engine
        self._on_changes = on_changes
        self._on_connection = on_connection
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="xref-live-changes", daemon=True)
        self._connection: psycopg.Connection | None = None
        self.connected = False

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _connect(self) -> psycopg.Connection:
        raw = self._engine.raw_connection()
        connection = raw.driver_connection
        raw.detach()  # ours alone, never back to the pool
        connection.rollback()
        connection.autocommit = True
        connection.execute(f"LISTEN {CHANNEL}")
        return connection

    def _set_connected(self, up: bool) -> None:
        if up != self.connected:
            self.connected = up
            self._on_connection(up)

    def _run(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                connection = self._connect()
            except Exception:
                self._set_connected(False)
                self._stop.wait(RETRY_SECONDS)
                continue
            self._set_connected(True)
            if not first:
                self._on_changes([ChangeNotice(RESYNC)])
            first = False
            try:
                self._listen(connection)
            except psycopg.Error:
                self._set_connected(False)
            finally:
                try:
                    connection.close()
                except psycopg.Error:
                    pass

    def _listen(self, connection: psycopg.Connection) -> None:
        while not self._stop.is_set():
            batch = [parse_notice(n.payload) for n in connection.notifies(timeout=0.5)]
            if not batch:
                continue
            batch.extend(parse_notice(n.payload) for n in connection.notifies(timeout=BATCH_SECONDS))
            self._on_changes(batch)
