"""The explorer's door to the delegate's annotations: one session (one transaction) per call.

Actions go through `run` (a domain mutator, or a `Changed.inverse`, called with
a fresh session that commits when the call returns); reads return the frozen
rows of `models.annotations` and `models.queries.corpus`. Nothing here keeps a session
open between calls, so every change is on disk as soon as it is made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from models import annotations as a
from models.db.library import Library
from models.queries import corpus as queries


class AnnotationGateway:
    def __init__(self, library: Library) -> None:
        self.library = library

    def run(self, action: Callable[..., a.Changed], *args: Any, **kwargs: Any) -> a.Changed:
        """Run one user action in its own write transaction (raises `AnnotationError`, rolled back;
        `LibraryBusyError` when another program held the library longer than the busy timeout,
        `ReadOnlyLibraryError` for a read-only library)."""
        with self.library.write() as session:
            return action(session, *args, **kwargs)

    # ------------------------------------------------------------------ reads

    def collection_tree(self) -> tuple[a.CollectionNode, ...]:
        with self.library.begin() as session:
            return a.collection_tree(session)

    def tag_tree(self) -> tuple[a.TagNode, ...]:
        with self.library.begin() as session:
            return a.tag_tree(session)

    def authors(self) -> tuple[str, ...]:
        with self.library.begin() as session:
            return a.annotation_authors(session)

    def collection_items(self, collection_id: int) -> tuple[a.CollectionItem, ...]:
        with self.library.begin() as session:
            return a.collection_items(session, collection_id)

    def annotations(self, key: Sequence[str]) -> a.RecommendationAnnotations:
        with self.library.begin() as session:
            return a.recommendation_annotations(session, key)

    def markers(self, keys: Iterable[Sequence[str]]) -> dict[a.RecommendationKey, a.AnnotationMarkers]:
        with self.library.begin() as session:
            return a.annotation_markers(session, keys)

    def briefing_id(self) -> int:
        with self.library.begin() as session:
            return a.briefing_collection_id(session)

    def keys_of(self, ids: Sequence[int]) -> dict[int, a.RecommendationKey]:
        with self.library.begin() as session:
            return queries.recommendation_keys(session, ids)

    def ids_of(self, keys: Sequence[Sequence[str]]) -> dict[a.RecommendationKey, int]:
        with self.library.begin() as session:
            return queries.recommendation_ids(session, keys)
