"""Workaround for PySide6 builds that leak a reference to None on Python < 3.12.

PySide6 6.12.0 on CPython 3.11 returns ``None`` from every void method
(``QLabel.setText``, ``QPainter.setPen``...) without taking a reference, as if
None were immortal (it is only from Python 3.12, PEP 683). Each call then lowers
None's reference count by one; after a few thousand calls CPython aborts with
"none_dealloc: deallocating None" (in the middle of a session, or at exit).

`guard_none_refcount` probes for the leak once and, only if it is present,
gives None the huge reference count Python 3.12 gives immortal objects. None is
never deallocated anyway, so this changes nothing else. Remove this module once
the project requires Python >= 3.12 or a PySide6 build without the leak.
"""

from __future__ import annotations

import ctypes
import sys

_IMMORTAL_SHARE = 1 << 40
_done = False


def leaks_none() -> bool:
    from PySide6.QtCore import QPoint

    point = QPoint()
    before = sys.getrefcount(None)
    for _ in range(10):
        point.setX(1)
    return sys.getrefcount(None) < before


def guard_none_refcount() -> bool:
    """Apply the workaround if needed (idempotent); True when it was applied now or before."""
    global _done
    if _done:
        return True
    if sys.version_info >= (3, 12) or not leaks_none():
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += _IMMORTAL_SHARE
    _done = True
    return True
