"""The memo as an A4 PDF, rendered by Qt (QTextDocument painted on a QPdfWriter)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# memo-form.md: margins about 20 mm left, 10 mm right, 20 mm top and bottom.
MARGINS_MM = (20.0, 20.0, 10.0, 20.0)  # left, top, right, bottom


def render_html_to_pdf(html: str, path: str | Path, *, title: str = "") -> int:
    """Paint ``html`` on A4 pages into ``path`` (atomically); returns the page count.

    Page numbers are printed from page 2 on, centred in the top margin; a table
    with ``<thead>`` repeats its header on every page.
    """
    from etm_desktop.gui.qt_app import ensure_gui_application

    ensure_gui_application()
    from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

    path = Path(path)
    fd, temporary = tempfile.mkstemp(suffix=".pdf", dir=path.parent)
    os.close(fd)
    try:
        writer = QPdfWriter(temporary)
        writer.setTitle(title)
        writer.setCreator("ETM Desktop")
        writer.setResolution(300)
        left, top, right, bottom = MARGINS_MM
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(left, top, right, bottom), QPageLayout.Unit.Millimeter))
        page = writer.pageLayout().paintRectPixels(writer.resolution())
        document = QTextDocument()
        document.documentLayout().setPaintDevice(writer)
        document.setDefaultFont(QFont("PT Serif", 12))
        document.setDocumentMargin(0)
        document.setHtml(html)
        document.setPageSize(QSizeF(page.width(), page.height()))
        pages = document.pageCount()
        painter = QPainter(writer)
        try:
            number_font = QFont("PT Serif", 10)
            for index in range(pages):
                if index:
                    writer.newPage()
                    painter.setFont(number_font)
                    top_px = top / 25.4 * writer.resolution()
                    painter.drawText(QRectF(0, -top_px * 0.75, page.width(), top_px * 0.5),
                                     int(Qt.AlignmentFlag.AlignCenter), str(index + 1))
                painter.save()
                painter.translate(0, -index * page.height())
                document.drawContents(painter, QRectF(0, index * page.height(), page.width(), page.height()))
                painter.restore()
        finally:
            painter.end()
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return pages


def memo_pdf(database, number: str, path: str | Path) -> int:
    """Write memo ``number`` as a PDF; returns the page count."""
    from etm_desktop.reports.memo_document import memo_document
    from etm_desktop.reports.memo_html import memo_html

    doc = memo_document(database, number)
    return render_html_to_pdf(memo_html(doc), path, title=f"Служебная записка {doc.number}")
