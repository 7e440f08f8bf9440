"""What a briefing includes, and writing it to a file in either format.

`BriefingOptions` are the delegate's "include" choices; `apply_options` trims a
`Briefing` to them before any writer sees it, so the Word, CSV, print and PDF
outputs agree without each writer growing switches. `write_briefing_file`
writes a .docx or a .csv at a path so that the file appears only when it is
complete: a cancelled or failed export leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from models.briefing.contents import Briefing, ExportCancelled
from models.briefing.spreadsheet import write_briefing_csv
from models.briefing.word import write_docx
from models.safe_output import atomic_output

FORMATS = ("docx", "csv")

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class BriefingOptions:
    """What each recommendation carries besides its number, section, text and topics."""

    remarks: bool = True  # the remarks behind it
    annotations: bool = True  # the delegation's note, position and priority
    subitems: bool = True  # its lettered sub-items
    at_a_glance: bool = False  # Word: the Overview's tables first (gathered by `collect_briefing`)


def apply_options(briefing: Briefing, options: BriefingOptions) -> Briefing:
    """``briefing`` without what ``options`` leave out (the same briefing when they keep everything)."""
    if replace(options, at_a_glance=False) == BriefingOptions():
        return briefing
    changes: dict[str, object] = {}
    if not options.remarks:
        changes.update(remarks=(), links=())
    if not options.annotations:
        changes.update(note=None, position=None, priority=False, subitem_annotations=())
    if not options.subitems:  # a sub-item's annotations and selection go with its line
        changes.update(subitems=(), subitem_annotations=(), selected=())
    return replace(briefing, items=tuple(replace(item, **changes) for item in briefing.items))


def write_briefing_file(
    briefing: Briefing,
    dest: Path | str,
    fmt: str,
    *,
    per: str = "recommendation",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Path:
    """Write ``briefing`` as ``fmt`` ("docx" or "csv") to ``dest``; return the path.

    Raises `ExportCancelled` (nothing written) when ``cancelled()`` turns true,
    `EmptyBriefingError` for a briefing without items, `OSError` when the folder
    cannot be written.
    """
    path = Path(dest)
    if fmt == "docx":
        write_docx(briefing, path, progress=progress, cancelled=cancelled)
        return path
    if fmt != "csv":
        raise ValueError(f"Unknown format {fmt!r}; expected one of {', '.join(FORMATS)}.")
    with atomic_output(path, "w", encoding="utf-8", newline="") as stream:
        write_briefing_csv(briefing, stream, per=per)
        if progress is not None:
            progress(len(briefing.items), len(briefing.items))
        if cancelled is not None and cancelled():
            raise ExportCancelled()
    return path
