"""AnnotationOps: every annotation action the GUI offers, as a named, undoable step.

Item models (drops), views (buttons, inline edits) and menu actions call these
methods; each runs one domain function through `AnnotationGateway` (its own
transaction), pushes an undo command named after the action ("Add 3
recommendations to Briefing") and emits `changed` with the domain's `Changed`
so that views refresh only what it names. A refused action (`AnnotationError`)
emits `refused` with the domain's message and pushes nothing, as does a change
the library cannot take (read-only, or kept locked by another program). A note
that could not be saved because the library was busy is kept and saved again
every `RETRY_MS` until it is stored; one the server refuses to the user's role is kept in the
editor and never retried.

Renaming, moving, deleting or reordering a collection or tag passes the version
the sidebar last read (`read_trees`): when someone else changed it since, the
domain refuses (`StaleEditError`), `stale` is emitted and `replace_theirs`
makes the same change over theirs, now that it has been seen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from desktop.annotation_gateway import AnnotationGateway
from desktop.undo import AnnotationCommand, NoteCommand
from models import annotations as a
from models.annotations import drops
from models.db.library import LibraryBusyError, LibraryError, LibraryPermissionError

RETRY_MS = 1000


_NODE_KINDS = {a.COLLECTIONS: "collection", a.COLLECTION_ITEMS: "collection", a.TAGS: "tag"}


def _count(keys: Sequence[Any], single: str = "recommendation") -> str:
    if len(keys) == 1:
        return f"{single} {keys[0][1]}"
    return f"{len(keys)} {single}s"


class AnnotationOps(QObject):
    changed = Signal(object)  # models.annotations.Changed
    refused = Signal(str)
    stale = Signal(object)  # models.annotations.StaleEditError: someone else changed what the editor showed
    dropped = Signal(str)  # a drop did something: the undo step's name ("Add 2 recommendations to Briefing")

    def __init__(self, gateway: AnnotationGateway, stack: QUndoStack | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.gateway = gateway
        self.stack = stack if stack is not None else QUndoStack(self)
        self._burst = 0
        self._names: dict[tuple[str, int], str] = {}
        self._versions: dict[tuple[str, int], int] = {}  # each collection's and tag's version, as last read
        self._replace: Callable[[], Any] | None = None  # the refused collection or tag edit, with the version now seen
        self.note_unsaved = False  # the last note save failed for want of a connection
        self.unsaved_notes: dict[a.RecommendationKey, str] = {}  # kept while the library was busy
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.retry_unsaved_notes)

    # ------------------------------------------------------------------ plumbing

    def _do(
        self, text: str | Callable[[a.Changed], str], action: Callable[..., a.Changed], *args: Any, **kwargs: Any
    ) -> a.Changed | None:
        try:
            done = self.gateway.run(action, *args, **kwargs)
        except a.StaleEditError as error:
            if error.node_id is not None and "seen_version" in kwargs and error.current is not None:
                self._replace = partial(self._do, text, action, *args, **{**kwargs, "seen_version": error.version})
            self.stale.emit(error)
            self.refused.emit(str(error))
            return None
        except (a.AnnotationError, LibraryError) as error:
            self.refused.emit(str(error))
            return None
        if done.versions and done.ids and done.kind in _NODE_KINDS:
            self._versions[(_NODE_KINDS[done.kind], done.ids[0])] = done.versions[0]
        if done.changed_anything:
            name = text(done) if callable(text) else text
            self.stack.push(AnnotationCommand(self.gateway, name, done, self.changed.emit, self.refused.emit))
        return done

    def name_of(self, kind: str, node_id: int) -> str:
        if (kind, node_id) not in self._names:
            self.remember_names()
        return self._names.get((kind, node_id), kind)

    def seen(self, kind: str, node_id: int | None) -> dict[str, int]:
        """The ``seen_version`` keyword for an edit of a collection or tag: the version last read."""
        version = self._versions.get((kind, node_id)) if node_id is not None else None
        return {} if version is None else {"seen_version": version}

    def remember_names(self) -> None:
        self.read_trees()

    def read_trees(self) -> tuple[tuple[a.CollectionNode, ...], tuple[a.TagNode, ...]]:
        """The collection and tag trees, remembering each node's name and version (what the user sees)."""
        names: dict[tuple[str, int], str] = {}
        versions: dict[tuple[str, int], int] = {}

        def walk(kind: str, nodes: Sequence[Any]) -> None:
            for node in nodes:
                names[(kind, node.id)] = node.name
                versions[(kind, node.id)] = node.version
                walk(kind, node.children)

        collections, tags = self.gateway.collection_tree(), self.gateway.tag_tree()
        walk("collection", collections)
        walk("tag", tags)
        self._names, self._versions = names, versions
        return collections, tags

    def replace_theirs(self) -> a.Changed | None:
        """Make the refused collection or tag edit after all, over the other person's change now seen."""
        again, self._replace = self._replace, None
        return again() if again is not None else None

    def forget_refusal(self) -> None:
        self._replace = None

    # ------------------------------------------------------------------ collections

    def add_to_collection(self, collection_id: int, keys: Sequence[Sequence[str]], row: int | None = None):
        name = self.name_of("collection", collection_id)
        return self._do(lambda done: f"Add {_count(done.keys)} to {name}", a.add_to_collection, collection_id, list(keys), row)

    def remove_from_collection(self, collection_id: int, keys: Sequence[Sequence[str]]):
        name = self.name_of("collection", collection_id)
        return self._do(
            lambda done: f"Remove {_count(done.keys)} from {name}", a.remove_from_collection, collection_id, list(keys)
        )

    def reorder(self, collection_id: int, keys: Sequence[Sequence[str]], row: int | None):
        name = self.name_of("collection", collection_id)
        seen = self.seen("collection", collection_id)
        return self._do(f"Reorder {name}", a.reorder_collection_items, collection_id, list(keys), row, **seen)

    def create_collection(self, name: str, parent_id: int | None = None):
        done = self._do(f"New collection {' '.join(name.split())}", a.create_collection, name, parent_id)
        self.remember_names()
        return done

    def rename_collection(self, collection_id: int, name: str):
        old = self.name_of("collection", collection_id)
        done = self._do(f"Rename {old}", a.rename_collection, collection_id, name, **self.seen("collection", collection_id))
        self.remember_names()
        return done

    def delete_collection(self, collection_id: int):
        name = self.name_of("collection", collection_id)
        return self._do(f"Delete collection {name}", a.delete_collection, collection_id, **self.seen("collection", collection_id))

    def move_collection(self, collection_id: int, parent_id: int | None, row: int | None = None):
        name = self.name_of("collection", collection_id)
        return self._do(
            f"Move {name}", a.move_collection, collection_id, parent_id, row, **self.seen("collection", collection_id)
        )

    # ------------------------------------------------------------------ tags

    def tag(self, tag_id: int, keys: Sequence[Sequence[str]]):
        name = self.name_of("tag", tag_id)
        return self._do(lambda done: f"Tag {_count(done.keys)} {name}", a.tag_recommendations, tag_id, list(keys))

    def untag(self, tag_id: int, keys: Sequence[Sequence[str]]):
        name = self.name_of("tag", tag_id)
        return self._do(lambda done: f"Remove tag {name} from {_count(done.keys)}", a.untag_recommendations, tag_id, list(keys))

    def create_tag(self, name: str, parent_id: int | None = None):
        done = self._do(f"New tag {' '.join(name.split())}", a.create_tag, name, parent_id)
        self.remember_names()
        return done

    def rename_tag(self, tag_id: int, name: str):
        done = self._do(f"Rename {self.name_of('tag', tag_id)}", a.rename_tag, tag_id, name, **self.seen("tag", tag_id))
        self.remember_names()
        return done

    def delete_tag(self, tag_id: int):
        return self._do(f"Delete tag {self.name_of('tag', tag_id)}", a.delete_tag, tag_id, **self.seen("tag", tag_id))

    def move_tag(self, tag_id: int, parent_id: int | None):
        return self._do(f"Move {self.name_of('tag', tag_id)}", a.move_tag, tag_id, parent_id, **self.seen("tag", tag_id))

    # ------------------------------------------------------------------ marks and links

    def set_position(
        self, keys: Sequence[Sequence[str]], position: str | None, seen: Sequence[tuple[Sequence[str], int]] | None = None
    ):
        """``seen``: the versions the view showed, so that someone else's newer position is not overwritten."""
        label = a.POSITION_LABELS.get(position or "", "no position")
        return self._do(
            lambda done: f"Set position {label} on {_count(done.keys)}", a.set_position, list(keys), position, seen=seen
        )

    def set_priority(self, keys: Sequence[Sequence[str]], flag: bool):
        verb = "Flag" if flag else "Unflag"
        return self._do(lambda done: f"{verb} {_count(done.keys)} as priority", a.set_priority, list(keys), flag)

    def add_highlight(self, key: Sequence[str], start: int, end: int, colour: str):
        return self._do(f"Highlight in recommendation {key[1]}", a.add_highlight, key, start, end, colour)

    def remove_highlight(self, key: Sequence[str], start: int, end: int, colour: str):
        return self._do(f"Remove highlight in recommendation {key[1]}", a.remove_highlight, key, start, end, colour)

    def clear_highlights(self, key: Sequence[str], span: tuple[int, int] | None = None):
        """Remove every highlight of the recommendation (or those overlapping ``span``): one undo step."""
        return self._do(
            lambda done: (
                f"Clear {len(done.previous)} highlight{'s' if len(done.previous) > 1 else ''} in recommendation {key[1]}"
            ),
            a.clear_highlights,
            key,
            *(span or (None, None)),
        )

    def link(self, key: Sequence[str], paragraph: int, remark_position: int | None = None):
        what = f"¶ {paragraph}" + (f" remark {remark_position + 1}" if remark_position is not None else "")
        return self._do(f"Link {what} to recommendation {key[1]}", a.add_curated_link, key, paragraph, remark_position)

    def unlink(self, key: Sequence[str], paragraph: int, remark_position: int | None = None):
        return self._do(
            f"Remove link from ¶ {paragraph} to recommendation {key[1]}", a.remove_curated_link, key, paragraph, remark_position
        )

    def reject(self, key: Sequence[str], paragraph: int, remark_position: int | None):
        return self._do(
            f"Reject link from ¶ {paragraph} to recommendation {key[1]}", a.reject_link, key, paragraph, remark_position
        )

    def restore(self, key: Sequence[str], paragraph: int, remark_position: int | None):
        """Take back the rejections of a remark (and of its whole paragraph): one undo step."""
        return self._do(
            f"Restore link from ¶ {paragraph} to recommendation {key[1]}",
            a.revert_link,
            key,
            paragraph,
            remark_position,
            a.REJECTED_LINKS,
        )

    def revert_curated(self, key: Sequence[str], paragraph: int, remark_position: int | None):
        """Remove the curated links to a remark (and to its whole paragraph): one undo step."""
        return self._do(
            f"Remove link from ¶ {paragraph} to recommendation {key[1]}",
            a.revert_link,
            key,
            paragraph,
            remark_position,
            a.CURATED_LINKS,
        )

    # ------------------------------------------------------------------ the note, saved while typing

    def end_note_burst(self) -> None:
        """The next save starts a new "Edit note" step (focus left the editor, another recommendation)."""
        self._burst += 1

    def save_note(self, key: Sequence[str], text: str, seen_version: int | None = None) -> a.Changed | None:
        """Save a note; with ``seen_version`` (what the editor showed), a note someone else changed
        since is not overwritten: `stale` is emitted with their text and nothing is saved."""
        key = a.RecommendationKey(*key)
        try:
            done = self.gateway.run(a.set_note, key, text, seen_version=seen_version)
        except a.StaleEditError as error:
            self.stale.emit(error)
            return None
        except LibraryBusyError:
            self.unsaved_notes[key] = text
            self.refused.emit(
                f"Your note on recommendation {key.number} is not saved yet: another program is "
                "writing to the library. It is kept and will be saved in a moment."
            )
            self._retry.start()
            return None
        except LibraryPermissionError:  # the role may not annotate (demoted meanwhile): retrying cannot help
            self.note_unsaved = False
            self.unsaved_notes.pop(key, None)
            self.refused.emit(
                f"Your note on recommendation {key.number} cannot be saved: your database role "
                f"({self.gateway.library.role}) may not annotate this shared library; the text stays in the editor."
            )
            return None
        except LibraryError as error:  # a shared library's server is out of reach: the text stays in the editor
            self.note_unsaved = True
            self.refused.emit(f"Your note is not saved yet: {error}")
            return None
        except a.AnnotationError as error:
            self.refused.emit(str(error))
            return None
        self.note_unsaved = False
        self.unsaved_notes.pop(key, None)  # superseded by this save
        if done.changed_anything:
            after = text if text.strip() else ""
            self.stack.push(
                NoteCommand(
                    self.gateway,
                    key,
                    f"recommendation {key.number}",
                    done.previous,
                    after,
                    self._burst,
                    done,
                    self.changed.emit,
                    self.refused.emit,
                )
            )
        return done

    def retry_unsaved_notes(self) -> None:
        """Save again the notes a busy library refused (each at most once per call; failures retry later)."""
        for key, text in list(self.unsaved_notes.items()):
            self.unsaved_notes.pop(key, None)
            done = self.save_note(key, text)
            if done is not None:  # its undo step reported the change
                self.refused.emit(f"Your note on recommendation {key.number} is saved.")

    # ------------------------------------------------------------------ drops

    def drop(
        self,
        payload: drops.DropPayload,
        target: str,
        *,
        collection_id: int | None = None,
        tag_id: int | None = None,
        key: Sequence[str] | None = None,
        row: int | None = None,
    ) -> bool:
        """Perform what `models.annotations.drops` says a drop of ``payload`` on ``target`` does."""
        same_collection = payload.kind == drops.COLLECTION_ITEMS and payload.collection_id == collection_id
        same_document = key is None or payload.document_key in (None, key[0])
        action = drops.drop_action(payload.kind, target, same_collection=same_collection, same_document=same_document)
        if action == drops.ADD_TO_COLLECTION and collection_id is not None:
            done = self.add_to_collection(collection_id, payload.keys, row)
        elif action == drops.REORDER and collection_id is not None:
            done = self.reorder(collection_id, payload.keys, row)
        elif action == drops.TAG_RECOMMENDATIONS and tag_id is not None:
            done = self.tag(tag_id, payload.keys)
        elif action == drops.CURATED_LINK and key is not None and payload.paragraph is not None:
            position = payload.remark_position if payload.kind == drops.REMARK else None
            done = self.link(key, payload.paragraph, position)
        elif action == drops.MOVE_COLLECTION and payload.collection_id is not None:
            done = self.move_collection(payload.collection_id, collection_id, row)
        elif action == drops.MOVE_TAG and payload.tag_id is not None:
            done = self.move_tag(payload.tag_id, tag_id)
        else:
            return False
        if done is not None and done.changed_anything:
            self.dropped.emit(self.stack.undoText())
            return True
        return False
