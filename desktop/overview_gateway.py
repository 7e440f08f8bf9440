"""The Overview's door to the library: counts for the table's recommendations, plain rows out.

The corpus facts behind the counts (`models.queries.overview.load_facts`) are read once
and kept until `forget` (after an import): each filter change then only counts.
"""

from __future__ import annotations

from collections.abc import Iterable

from models.db.library import Library
from models.queries import overview


class OverviewGateway:
    def __init__(self, library: Library) -> None:
        self.library = library
        self._facts: overview.OverviewFacts | None = None

    @property
    def ready(self) -> bool:
        return self._facts is not None

    def load(self) -> None:
        if self._facts is None:
            with self.library.begin() as session:
                self._facts = overview.load_facts(session)

    def overview(self, ids: Iterable[int]) -> overview.Overview:
        """The Overview of the top-level recommendations ``ids`` (the table's matches)."""
        self.load()
        return overview.count(self._facts, ids)

    def forget(self) -> None:
        self._facts = None
