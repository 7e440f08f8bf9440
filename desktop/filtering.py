"""FilterScheduler: runs the table's filter queries off the GUI thread, the newest filter winning.

Filters come in through `request`; the ids to show come out through `shown`
(first screen, then the full list) and the topic counts through `topicCounts`.
A query the search cannot read, or one stopped at the time limit
(`models.db.fulltext.QUERY_SECONDS`), comes out as `refused` with a message in
the delegate's words; the table keeps what it showed. Holds no widget: the
window connects the signals to the table, the filter bar and the empty state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.gateway import LibraryGateway
from desktop.worker import Worker
from models.db.fulltext import QuerySyntaxError, QueryTooSlow
from models.db.library import ReadCancel, ReadCancelled
from models.queries.filters import RecommendationFilter

TOPIC_COUNTS_DELAY_MS = 150  # topic counts wait for a pause in typing
TOPIC_COUNTS_KEPT = 64  # filters whose topic counts are remembered (backspacing shows them at once)
FIRST_SCREEN_ROWS = 60  # matches shown before the full list of a search arrives


TOO_SLOW = "The search took too long and was stopped; try fewer or longer words."


def unreadable(query: str) -> str:
    """What the window says about a search it cannot read: the delegate's words, never the database's."""
    shown = query if len(query) <= 40 else query[:39] + "…"
    return f'The search “{shown}” cannot be read as written: use words, "exact phrases", prefix*, OR, NOT.'


def _refusal(f: RecommendationFilter, error: QuerySyntaxError) -> str:
    return TOO_SLOW if isinstance(error, QueryTooSlow) else unreadable(f.text)


class FilterScheduler(QObject):
    # (filter, ids, complete): the table shows ``ids`` for ``filter``; complete False is its first screen.
    shown = Signal(object, object, bool)
    topicCounts = Signal(object)  # {topic key: count} for the filter last shown; None: counting it was stopped
    refused = Signal(object, str)  # (filter, one-line message): the search could not read its query

    def __init__(
        self, gateway: LibraryGateway, worker: Worker, sort_key: Callable[[], tuple[str, bool]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.gateway = gateway
        self.worker = worker
        self._sort_key = sort_key
        self._pending: RecommendationFilter | None = None
        self._running = False
        self._cancel = ReadCancel()  # stops the running filter query when a newer filter comes
        self._topic_cancel = ReadCancel()
        self._counts: dict[RecommendationFilter, dict[str, int]] = {}
        self._shown_filter: RecommendationFilter | None = None
        self._timer = QTimer(self, singleShot=True, interval=TOPIC_COUNTS_DELAY_MS)
        self._timer.timeout.connect(self._count_topics)

    @property
    def settled(self) -> bool:
        """No filter query is running or waiting: the table shows every match of the newest filter."""
        return not self._running and self._pending is None

    def request(self, f: RecommendationFilter, *, at_once: bool = False) -> None:
        """Show what ``f`` asks for: on the worker, or (``at_once``) before returning.

        Only the newest filter matters: a request stops the query still running for
        the previous one (and its topic counts), and its own runs as soon as that has stopped.
        """
        if at_once:
            try:
                ids = self.gateway.filtered_ids(f, *self._sort_key())
            except QuerySyntaxError as error:
                self.refused.emit(f, _refusal(f, error))
                return
            self._show(f, ids, True)
            return
        self._pending = f
        self._timer.stop()
        self._topic_cancel.cancel()
        if self._running:
            self._cancel.cancel()  # its result would be thrown away: free the worker now
        else:
            self._run_pending()

    def forget_counts(self) -> None:
        """The library changed: remembered topic counts no longer hold."""
        self._counts.clear()

    def stop(self) -> None:
        self._cancel.cancel()
        self._topic_cancel.cancel()

    # ------------------------------------------------------------------ the queries

    def _show(self, f: RecommendationFilter, ids: list[int], complete: bool) -> None:
        self._shown_filter = f
        self.shown.emit(f, ids, complete)
        if complete:
            if f in self._counts:
                self._count_topics()  # remembered: at once
            else:
                self._timer.start()  # restarted by each filter: counts come once typing pauses

    def _run_pending(self) -> None:
        f, self._pending = self._pending, None
        if f is None:
            return
        self._running = True
        cancel = self._cancel = ReadCancel()
        sort = self._sort_key()
        # A plain search in reading order shows its first screen of matches before the full list.
        progressive = bool(f.text.strip()) and replace(f, text="").is_empty() and sort == ("number", False)

        def stale() -> bool:
            """A newer filter waits, or the table was sorted another way while this one ran (it is
            then run again in the new order)."""
            if self._pending is None and sort != self._sort_key():
                self._pending = f
            return self._pending is not None

        def first(found: object) -> None:
            ids, complete = found
            if complete:
                done(ids)
                return
            if stale():  # a newer keystroke, or another order: leave this one
                self._running = False
                self._run_pending()
                return
            self._show(f, ids, False)
            # The full list once the first screen is drawn (posted paints go before timers): its
            # query's Python would otherwise take turns with the paint for the GIL.
            QTimer.singleShot(0, self, lambda: list_all() if not cancel.cancelled else failed(ReadCancelled()))

        def list_all() -> None:
            self.worker.start(lambda _progress, _cancelled: self.gateway.filtered_ids(f, *sort, cancel), done, failed)

        def done(ids: object) -> None:
            self._running = False
            if not stale():
                self._show(f, ids, True)
            self._run_pending()

        def failed(error: BaseException) -> None:
            self._running = False
            if self._pending is None and not isinstance(error, ReadCancelled):
                if not isinstance(error, QuerySyntaxError):
                    raise error
                self.refused.emit(f, _refusal(f, error))
            self._run_pending()

        if progressive:
            self.worker.start(
                lambda _progress, _cancelled: self.gateway.first_matching_ids(f.text, FIRST_SCREEN_ROWS, cancel), first, failed
            )
        else:
            self.worker.start(lambda _progress, _cancelled: self.gateway.filtered_ids(f, *sort, cancel), done, failed)

    def _count_topics(self) -> None:
        """Topic counts for the filter last shown, off the GUI thread (they count over the whole library).

        Counts of filters that do not involve annotations are remembered until `forget_counts`.
        """
        f = self._shown_filter
        if f is None:
            return
        if f in self._counts:
            self.topicCounts.emit(self._counts[f])
            return
        cancel = self._topic_cancel = ReadCancel()

        def done(counts: object) -> None:
            if not f.uses_annotations():
                if len(self._counts) >= TOPIC_COUNTS_KEPT:
                    del self._counts[next(iter(self._counts))]
                self._counts[f] = counts
            if f == self._shown_filter:
                self.topicCounts.emit(counts)

        def failed(error: BaseException) -> None:
            # Counts are a guide, not the matches: a stopped count shows none; any other failure (a
            # newer filter, a lost server, which the window reports itself) leaves them to the next filter.
            if isinstance(error, QueryTooSlow) and f == self._shown_filter:
                self.topicCounts.emit(None)

        self.worker.start(lambda _progress, _cancelled: self.gateway.topic_counts(f, cancel), done, failed)
