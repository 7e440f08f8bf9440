"""The explorer's one door to the library: each call is one user action with its own session.

Views and item models receive a `LibraryGateway` (a small context object) and
call its methods; they never hold sessions or see SQL. Every method returns the
frozen rows of `models.queries.corpus`, `models.queries.filters` and `models.queries.remarks`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from models.annotations import CollectionNode, collection_tree
from models.briefing.collect import collect_briefing, ids_for_collection_id
from models.briefing.contents import Briefing
from models.build.importing import ImportResult, import_reports
from models.build.ingest import warm_up
from models.build.recurrence import RecurrenceRow, recurrences
from models.db.library import Library, ReadCancel
from models.db.pg_admin import Abilities, abilities
from models.queries import corpus as queries
from models.queries import filters
from models.queries import remarks as remark_queries
from models.queries.filters import RecommendationFilter
from models.queries.mentions import MentionOption, mention_options

EAGER_TREE_DOCUMENTS = 20  # above this, a document's contents load when it is expanded


class LibraryGateway:
    def abilities(self) -> Abilities:
        """What the connected role may do (everything in a library file)."""
        if not self.library.shared:
            return Abilities()
        with self.library.begin() as session:
            return abilities(session)

    def __init__(self, library: Library) -> None:
        self.library = library
        self._described: dict[RecommendationFilter, list[filters.FilterPart]] = {}

    # The filter queries run on the worker; a `ReadCancel` stops one that a newer filter replaced
    # (it then raises `ReadCancelled`).

    def filtered_ids(
        self, f: RecommendationFilter, sort: str = "number", descending: bool = False, cancel: ReadCancel | None = None
    ) -> list[int]:
        with self.library.begin(cancel) as session:
            return filters.filtered_ids(session, f, sort, descending)

    def describe_filter(self, f: RecommendationFilter) -> list[filters.FilterPart]:
        """``f``'s restrictions in words (remembered without the search text, which needs no lookup)."""
        rest = replace(f, text="")
        if rest not in self._described:
            if len(self._described) > 64:
                self._described.clear()
            with self.library.begin() as session:
                self._described[rest] = filters.describe_filter(session, rest)
        search = [filters.FilterPart("text", f.text, "Search", f.text)] if f.text.strip() else []
        return search + self._described[rest]

    def forget_descriptions(self) -> None:
        """Names changed (a renamed collection, an import): describe filters afresh."""
        self._described.clear()

    def first_matching_ids(self, text: str, limit: int, cancel: ReadCancel | None = None) -> tuple[list[int], bool]:
        with self.library.begin(cancel) as session:
            return filters.first_matching_ids(session, text, limit)

    def topic_counts(self, f: RecommendationFilter, cancel: ReadCancel | None = None) -> dict[str, int]:
        with self.library.begin(cancel) as session:
            return filters.topic_counts(session, f)

    def recommendation_rows(self, ids: Sequence[int]) -> dict[int, queries.RecommendationRow]:
        with self.library.begin() as session:
            return queries.recommendation_rows(session, ids)

    def section_tree(self) -> list[queries.SectionNode]:
        """The contents tree: whole for a few documents, documents only (children on demand) for many."""
        with self.library.begin() as session:
            return queries.section_tree(session, expand_up_to=EAGER_TREE_DOCUMENTS)

    def document_tree(self, document_id: int) -> list[queries.SectionNode]:
        with self.library.begin() as session:
            return queries.document_tree(session, document_id)

    def documents(self) -> list[queries.DocumentRow]:
        with self.library.begin() as session:
            return queries.documents(session)

    def topics(self) -> list[queries.TopicRow]:
        with self.library.begin() as session:
            return queries.topics(session)

    def speakers(self) -> list[queries.SpeakerRow]:
        with self.library.begin() as session:
            return queries.speakers(session)

    def origins(self) -> list[queries.OriginRow]:
        with self.library.begin() as session:
            return queries.origins(session)

    def mention_options(self) -> list[MentionOption]:
        with self.library.begin() as session:
            return mention_options(session)

    def library_counts(self) -> queries.LibraryCounts:
        with self.library.begin() as session:
            return queries.library_counts(session)

    def top_level_id(self, recommendation_id: int) -> int | None:
        with self.library.begin() as session:
            return queries.top_level_id(session, recommendation_id)

    def recommendation_detail(self, recommendation_id: int) -> remark_queries.RecommendationDetail | None:
        with self.library.begin() as session:
            return remark_queries.recommendation_detail(session, recommendation_id)

    def report_view(self, document_id: int) -> remark_queries.ReportView | None:
        with self.library.begin() as session:
            return remark_queries.report_view(session, document_id)

    def paragraph_document(self, paragraph_id: int) -> int | None:
        with self.library.begin() as session:
            return remark_queries.paragraph_document(session, paragraph_id)

    def remarks_by_speaker(self, label: str) -> list[remark_queries.RemarkLine]:
        with self.library.begin() as session:
            return remark_queries.remarks_by_speaker(session, label)

    def remarks_by_origin(self, kind: str, name: str) -> list[remark_queries.RemarkLine]:
        with self.library.begin() as session:
            return remark_queries.remarks_by_origin(session, kind, name)

    def recurrences(self, recommendation_id: int) -> list[RecurrenceRow]:
        with self.library.begin() as session:
            return recurrences(session, recommendation_id)

    # ------------------------------------------------------------------ briefings and imports (run on the Worker)

    def collections(self) -> tuple[CollectionNode, ...]:
        with self.library.begin() as session:
            return collection_tree(session)

    def briefing(
        self,
        ids: Sequence[int] = (),
        *,
        collection_id: int | None = None,
        grouping: str = "section",
        filters: Sequence[str] = (),
        title: str = "Briefing",
        at_a_glance: bool = False,
    ) -> Briefing:
        """A briefing on ``ids`` (or on the collection ``collection_id``); raises `EmptyBriefingError`."""
        with self.library.begin() as session:
            if collection_id is not None:
                ids = ids_for_collection_id(session, collection_id)
            return collect_briefing(session, ids, grouping=grouping, filters=filters, title=title, at_a_glance=at_a_glance)

    def prepare_import(self) -> None:
        """What the first import of a session would otherwise spend its first half-second on."""
        warm_up()

    def import_reports(
        self,
        paths: Sequence[Path | str],
        *,
        replace: bool = False,
        progress: Callable[[str, float], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportResult:
        """Each file in its own transaction (see `models.build.importing.import_reports`)."""
        return import_reports(self.library, paths, replace=replace, progress=progress, cancelled=cancelled)
