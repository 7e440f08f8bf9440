"""Print a briefing, or save it as PDF: `models.briefing.html` rendered by a QTextDocument.

Print and PDF share the HTML, so both show what the Word export writes.
Runs on the GUI thread (QTextDocument layout and QPrinter belong there).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from models.briefing.contents import Briefing
from models.briefing.html import briefing_html


def briefing_document(briefing: Briefing) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(briefing_html(briefing))
    return document


def _printer(mode: QPrinter.PrinterMode = QPrinter.PrinterMode.HighResolution) -> QPrinter:
    printer = QPrinter(mode)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setDocName("Briefing")
    return printer


def print_briefing(parent: QWidget, briefing: Briefing) -> bool:
    """Ask for a printer (QPrintDialog) and print; False when the user cancels."""
    printer = _printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setObjectName("printDialog")
    dialog.setWindowTitle("Print briefing")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    briefing_document(briefing).print_(printer)
    return True


def save_pdf(briefing: Briefing, path: Path | str) -> Path:
    """Write the briefing as a PDF file at ``path`` (no dialog)."""
    path = Path(path)
    printer = _printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    briefing_document(briefing).print_(printer)
    return path
