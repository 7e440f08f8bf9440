"""The Overview's door to the library: counts for the table's recommendations, plain rows out.

The corpus facts behind the counts (`models.queries.overview.load_facts`) are read once, with
the whole library's counts, and kept until `forget` (after an import): each filter change then
only counts. `load` runs on the worker, at start-up idle time or when the Overview is first
opened; a load that an import made stale (`forget` during it) is dropped.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from models.db.library import Library
from models.queries import overview


class OverviewGateway:
    def __init__(self, library: Library) -> None:
        self.library = library
        self._facts: overview.OverviewFacts | None = None
        self._generation = 0  # counts `forget`s: facts read before one are not kept
        self.loaded_at: float | None = None  # `time.perf_counter()` when the facts were last read (the benchmark)

    @property
    def ready(self) -> bool:
        return self._facts is not None

    def load(self) -> None:
        if self._facts is not None:
            return
        generation = self._generation
        with self.library.begin() as session:
            facts = overview.load_facts(session)
        overview.count(facts, facts.ids)  # the whole library's, which the Overview opens on: counted once
        if generation == self._generation:
            self._facts, self.loaded_at = facts, time.perf_counter()

    def overview(self, ids: Iterable[int]) -> overview.Overview:
        """The Overview of the top-level recommendations ``ids`` (the table's matches)."""
        self.load()
        return overview.count(self._facts, ids)

    def forget(self) -> None:
        self._generation += 1
        self._facts = None
