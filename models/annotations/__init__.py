"""The delegate's annotations: collections, tags, notes, positions, priorities,
highlights, and hand-made (curated or rejected) links.

Contract:

* The ``user_*`` tables (`models.db.user_tables`) never point at corpus
  ids. A recommendation is named by its stable `RecommendationKey` (document
  ``key``, recommendation ``number`` such as "18" or "47a"); a paragraph by its
  number within that document; a remark by its position within the paragraph.
  Rebuilding or re-importing a report therefore loses nothing, and an
  annotation whose recommendation is not (or no longer) in the library is kept.
* Each mutator is one named user action. It takes the caller's `Session` (one
  transaction per action: ``with library.write() as s: add_to_collection(s, ...)``),
  never commits, and returns a `Changed`: what changed, for refreshing views,
  plus ``inverse``, a callable taking a new session that undoes the action
  exactly and itself returns a `Changed` whose ``inverse`` redoes it. ``inverse``
  is None when nothing changed (nothing to push on an undo stack).
* Queries return frozen dataclasses, never ORM objects.
* Refusals a user can cause (a duplicate name, moving a collection into
  itself) raise `AnnotationError` with a message in the user's terms.

Modules: `tree` (nesting shared by collections and tags), `collection`, `tag`, `marks` (note, position,
priority, highlights, links) for the actions, `queries` for the views, `drops`
for drag-and-drop rules, `sharing` for CSV export and merge. Everything public
is re-exported here; import from ``models.annotations``.
"""

from types import ModuleType as _ModuleType

from models.annotations.collection import (
    add_to_collection,
    briefing_collection_id,
    create_collection,
    delete_collection,
    insert_collection_items,
    move_collection,
    remove_from_collection,
    rename_collection,
    reorder_collection_items,
    restore_collection,
    set_collection_order,
)
from models.annotations.common import (
    BRIEFING,
    COLLECTION_ITEMS,
    COLLECTIONS,
    CURATED_LINKS,
    HIGHLIGHTS,
    NOTES,
    PATH_SEPARATOR,
    POSITION_LABELS,
    POSITIONS,
    POSITIONS_KIND,
    PRIORITIES,
    REJECTED_LINKS,
    TAG_ITEMS,
    TAGS,
    AnnotationError,
    AnnotationFileError,
    Changed,
    RecommendationKey,
    StaleEditError,
    number_order,
)
from models.annotations.marks import (
    add_curated_link,
    add_highlight,
    add_highlights,
    clear_highlights,
    reject_link,
    remove_curated_link,
    remove_highlight,
    remove_highlights,
    restore_positions,
    restore_priorities,
    revert_link,
    set_note,
    set_position,
    set_priority,
    unreject_link,
)
from models.annotations.queries import (
    NO_MARKERS,
    AnnotationMarkers,
    CollectionItem,
    CollectionNode,
    Highlight,
    LinkRef,
    NamedRef,
    RecommendationAnnotations,
    TagNode,
    annotation_authors,
    annotation_markers,
    collection_items,
    collection_tree,
    recommendation_annotations,
    tag_tree,
)
from models.annotations.sharing import (
    EXPORT_COLUMNS,
    KINDS,
    MergeReport,
    export_annotations,
    merge_annotations,
    merge_annotations_csv,
    write_annotations_csv,
)
from models.annotations.tag import (
    create_tag,
    delete_tag,
    move_tag,
    rename_tag,
    restore_tag,
    tag_recommendations,
    untag_recommendations,
)
from models.annotations.tree import NodeSnapshot
from models.db.user_tables import (
    UserCollection,
    UserCollectionItem,
    UserCuratedLink,
    UserHighlight,
    UserNote,
    UserPosition,
    UserPriority,
    UserRejectedLink,
    UserTag,
    UserTagItem,
)

__all__ = [name for name, value in list(globals().items()) if not name.startswith("_") and not isinstance(value, _ModuleType)]
