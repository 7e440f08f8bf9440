"""Undo commands for annotation changes: each redo/undo is one domain call in its own transaction.

`AnnotationCommand` is pushed *after* its action ran (so that a refused action
never reaches the stack); its first `redo` only reports the change. Undo runs
the stored `Changed.inverse`, redo runs the inverse of that inverse: the domain
guarantees each is exact (a deleted collection comes back with its id, so later
commands that name it stay valid). `NoteCommand` merges the saves of one typing
burst into a single "Edit note" step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from desktop.annotation_gateway import AnnotationGateway
from models.annotations import AnnotationError, Changed, RecommendationKey, set_note
from models.db.library import LibraryError

Notify = Callable[[Changed], None]
Refuse = Callable[[str], None]
NOTE_COMMAND_ID = 4201


def _ignore(_message: str) -> None:
    pass


class AnnotationCommand(QUndoCommand):
    """Undo and redo are this user's own: in a shared library, an undo that would overwrite
    someone else's later change is refused (the domain's `StaleEditError`) and reported.

    A refused step leaves the library as it was while the stack moves past it: the step back (a
    redo after a refused undo, an undo after a refused redo) then has nothing to do, and the next
    try runs the refused step again (it may succeed once the user has cleared the way).
    """

    def __init__(self, gateway: AnnotationGateway, text: str, done: Changed, notify: Notify, refuse: Refuse = _ignore) -> None:
        super().__init__(text)
        self._gateway = gateway
        self._notify = notify
        self._refuse = refuse
        self._undo = done.inverse
        self._redo = None
        self._done = done  # reported by the first redo (the push)
        self._in_effect = True  # the action is in the library (pushed after it ran)

    def redo(self) -> None:
        if self._done is not None:
            changed, self._done = self._done, None
        elif self._in_effect:  # its undo was refused: nothing to redo
            return
        else:
            try:
                changed = self._gateway.run(self._redo)
            except (AnnotationError, LibraryError) as error:
                self._refuse(str(error))
                return
            self._undo = changed.inverse
        self._in_effect = True
        self._notify(changed)

    def undo(self) -> None:
        if not self._in_effect:  # its redo was refused: nothing to undo
            return
        try:
            changed = self._gateway.run(self._undo)
        except (AnnotationError, LibraryError) as error:
            self._refuse(str(error))
            return
        self._redo = changed.inverse
        self._in_effect = False
        self._notify(changed)


class NoteCommand(QUndoCommand):
    """Saves of one note while the delegate types; merged while ``burst`` is the same."""

    def __init__(
        self,
        gateway: AnnotationGateway,
        key: RecommendationKey,
        label: str,
        before: str,
        after: str,
        burst: int,
        done: Changed,
        notify: Notify,
        refuse: Refuse = _ignore,
    ) -> None:
        super().__init__(f"Edit note on {label}")
        self._gateway, self._notify, self._refuse = gateway, notify, refuse
        self.key, self.before, self.after, self.burst = key, before, after, burst
        self._done: Changed | None = done

    def id(self) -> int:
        return NOTE_COMMAND_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, NoteCommand) or other.key != self.key or other.burst != self.burst:
            return False
        self.after = other.after
        if self.after == self.before:
            self.setObsolete(True)
        return True

    def _set(self, text: str, expected: str) -> None:
        try:  # refused if the note is no longer what this user left (someone else changed it since)
            changed = self._gateway.run(set_note, self.key, text, expected=expected)
        except (AnnotationError, LibraryError) as error:  # someone else changed the note since: theirs stays
            self._refuse(str(error))
            return
        self._notify(changed)

    def redo(self) -> None:
        if self._done is not None:
            changed, self._done = self._done, None
            self._notify(changed)
        else:
            self._set(self.after, self.before)

    def undo(self) -> None:
        self._set(self.before, self.after)
