"""Advance widths of text in a TrueType font, read from the font file itself (no imaging library needed).

Tests use it to check that a table column is at least as wide as the words it holds at the
font size used, with the fonts LibreOffice lays Word files out with here (DejaVu).
"""

from __future__ import annotations

import struct
from functools import cache
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
DEJAVU_FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf")


class TrueTypeWidths:
    """Per-character advance widths (in em) of a TrueType font: tables head, hhea, hmtx and cmap (format 4)."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        count = struct.unpack(">H", data[4:6])[0]
        tables = {}
        for n in range(count):
            tag, _checksum, offset, length = struct.unpack(">4sIII", data[12 + 16 * n : 28 + 16 * n])
            tables[tag.decode("latin-1")] = (offset, length)
        head, hhea, hmtx, cmap = (tables[name][0] for name in ("head", "hhea", "hmtx", "cmap"))
        self.units = struct.unpack(">H", data[head + 18 : head + 20])[0]
        metrics = struct.unpack(">H", data[hhea + 34 : hhea + 36])[0]
        self.advances = [struct.unpack(">H", data[hmtx + 4 * i : hmtx + 4 * i + 2])[0] for i in range(metrics)]
        self.glyphs = self._cmap4(data, cmap)

    @staticmethod
    def _cmap4(data: bytes, cmap: int) -> dict[int, int]:
        subtables = struct.unpack(">H", data[cmap + 2 : cmap + 4])[0]
        for n in range(subtables):
            platform, encoding, offset = struct.unpack(">HHI", data[cmap + 4 + 8 * n : cmap + 12 + 8 * n])
            start = cmap + offset
            if (platform, encoding) in ((3, 1), (0, 3)) and struct.unpack(">H", data[start : start + 2])[0] == 4:
                break
        else:
            raise ValueError("no Unicode BMP (format 4) cmap")
        segments = struct.unpack(">H", data[start + 6 : start + 8])[0] // 2
        at = start + 14

        def array(index: int) -> tuple[int, ...]:
            base = at + index * 2 * segments + (2 if index else 0)  # a reserved word follows the end codes
            return struct.unpack(f">{segments}H", data[base : base + 2 * segments])

        ends, starts, deltas, range_offsets = array(0), array(1), array(2), array(3)
        range_base = at + 3 * 2 * segments + 2
        glyphs = {}
        for s in range(segments):
            for code in range(starts[s], min(ends[s], 0x2FFF) + 1):
                if range_offsets[s] == 0:
                    glyph = (code + deltas[s]) & 0xFFFF
                else:
                    where = range_base + 2 * s + range_offsets[s] + 2 * (code - starts[s])
                    glyph = struct.unpack(">H", data[where : where + 2])[0]
                    glyph = (glyph + deltas[s]) & 0xFFFF if glyph else 0
                glyphs[code] = glyph
        return glyphs

    def width(self, text: str) -> float:
        """The advance width of ``text`` in em (no kerning: a slight overestimate, on the safe side)."""
        total = 0
        for ch in text:
            glyph = self.glyphs.get(ord(ch), 0)
            total += self.advances[min(glyph, len(self.advances) - 1)]
        return total / self.units


@cache
def fonts() -> tuple[TrueTypeWidths, ...]:
    """The DejaVu faces LibreOffice substitutes for the template's fonts (sans and serif, regular and bold)."""
    return tuple(TrueTypeWidths(DEJAVU / name) for name in DEJAVU_FONTS if (DEJAVU / name).exists())


def widest_points(text: str, size_pt: float) -> float:
    """The width of ``text`` in points at ``size_pt`` in the widest of the DejaVu faces."""
    return max(font.width(text) for font in fonts()) * size_pt
