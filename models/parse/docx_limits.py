"""Checks on a Word (DOCX) archive before anything in it is inflated.

A DOCX is a ZIP archive; a hostile or broken one can hold a few megabytes that
inflate to gigabytes (a "zip bomb"). `check_docx_archive` reads only the
archive's directory and refuses members whose declared size, or whose ratio of
inflated to stored size, is beyond what any report needs. The ZIP reader then
stops at each member's declared size (and rejects a member that lies about it),
so the memory python-docx and lxml use stays bounded.
"""

from __future__ import annotations

import io
import zipfile

MAX_MEMBER_BYTES = 32 * 2**20  # one part (word/document.xml of a 100-page report is a few MB)
MAX_TOTAL_BYTES = 96 * 2**20  # every part together
MAX_RATIO = 100  # inflated / stored, for parts above RATIO_FROM (XML compresses about 5-20 times)
RATIO_FROM = 2**20
MAX_MEMBERS = 2000


class DocxLimitError(ValueError):
    """A DOCX archive beyond the limits; the message says which, in the user's terms."""


def check_docx_archive(data: bytes) -> None:
    """Raise `DocxLimitError` for an archive too large when inflated, `zipfile.BadZipFile` for a damaged one."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise DocxLimitError(f"the archive holds {len(members):,} parts (a Word document has a few dozen)")
    total = 0
    for info in members:
        size = info.file_size
        if size > MAX_MEMBER_BYTES:
            raise DocxLimitError(
                f"its part {info.filename} would inflate to {size / 2**20:,.0f} MB, above the "
                f"{MAX_MEMBER_BYTES // 2**20} MB limit"
            )
        if size > RATIO_FROM and size > MAX_RATIO * max(info.compress_size, 1):
            raise DocxLimitError(
                f"its part {info.filename} would inflate {size / max(info.compress_size, 1):,.0f} times "
                f"(more than {MAX_RATIO} times is not a document but a decompression bomb)"
            )
        total += size
    if total > MAX_TOTAL_BYTES:
        raise DocxLimitError(f"it would inflate to {total / 2**20:,.0f} MB, above the {MAX_TOTAL_BYTES // 2**20} MB limit")
