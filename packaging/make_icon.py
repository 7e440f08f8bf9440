"""Render resources/icons/app.svg into the icon files of the desktop bundle.

    python packaging/make_icon.py OUTPUT_DIR

Writes app.png (256 px), app.ico (Windows: 16 to 256 px) and app.icns (macOS: 16 to
1024 px). Qt draws the SVG; the ICO and ICNS containers hold PNG images and are
written here, so no image plugin or Pillow is needed. Run by xref-explorer.spec.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / "app.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09", 1024: b"ic10"}


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG images (Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images.items():
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def icns(images: dict[int, bytes]) -> bytes:
    """An ICNS file whose entries are PNG images (macOS 10.7 and later)."""
    body = b"".join(ICNS_TYPES[size] + struct.pack(">I", 8 + len(png)) + png for size, png in images.items())
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(output: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"error: cannot read {SVG}")
    output.mkdir(parents=True, exist_ok=True)
    pngs = {size: render_png(renderer, size) for size in sorted({*ICO_SIZES, *ICNS_TYPES})}
    (output / "app.png").write_bytes(pngs[256])
    (output / "app.ico").write_bytes(ico({size: pngs[size] for size in ICO_SIZES}))
    (output / "app.icns").write_bytes(icns({size: pngs[size] for size in ICNS_TYPES}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
