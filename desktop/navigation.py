"""Back and forward history across the detail pane and the reader.

A `Location` names what was shown (a recommendation, a paragraph in the reader,
a speaker's or a State's remarks) by ids and names only. `History` is plain
Python; the main window records locations as the user navigates and replays
them on Back/Forward without recording again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    kind: str  # "recommendation", "paragraph", "speaker", "origin"
    key: tuple  # (id,), (paragraph id, start, end), (label,), (kind, name)


class History:
    def __init__(self, limit: int = 200) -> None:
        self._entries: list[Location] = []
        self._index = -1
        self._limit = limit

    @property
    def current(self) -> Location | None:
        return self._entries[self._index] if self._index >= 0 else None

    def visit(self, location: Location) -> None:
        if self.current == location:
            return
        del self._entries[self._index + 1 :]
        self._entries.append(location)
        if len(self._entries) > self._limit:
            del self._entries[0]
        self._index = len(self._entries) - 1

    def can_go_back(self) -> bool:
        return self._index > 0

    def can_go_forward(self) -> bool:
        return self._index < len(self._entries) - 1

    def back(self) -> Location | None:
        if not self.can_go_back():
            return None
        self._index -= 1
        return self.current

    def forward(self) -> Location | None:
        if not self.can_go_forward():
            return None
        self._index += 1
        return self.current
