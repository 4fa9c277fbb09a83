"""The memo as a .docx (python-docx), for analysts who finish memos in Word.

python-docx escapes text itself, so ``&`` and ``<`` in client names survive.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from etm_desktop.reports.memo_document import MemoDocument, memo_document
from etm_desktop.reports.memo_html import COLUMNS


def _paragraph(document, text: str, *, bold: bool = False, align=None, size: int | None = None):
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def write_memo_docx(doc: MemoDocument, path: str | Path) -> None:
    """Lay ``doc`` out as an A4 Word document at ``path`` (atomically)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(20), Mm(10)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = document.styles["Normal"]
    style.font.name = "PT Serif"
    style.font.size = Pt(12)

    right = WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph(document, doc.addressee_position, align=right)
    if doc.addressee_name:
        _paragraph(document, doc.addressee_name, align=right)
    _paragraph(document, f"от менеджера по клиентскому анализу {doc.author_name}".rstrip(), align=right)
    _paragraph(document, "")
    _paragraph(document, "СЛУЖЕБНАЯ ЗАПИСКА", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    _paragraph(document, "{0} № {1}".format(doc.memo_date.strftime("%d.%m.%Y"), doc.number),
               align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "")
    _paragraph(document, doc.title, bold=True)
    _paragraph(document, "")
    _paragraph(document, doc.text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(document, "")

    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    header = table.rows[0]
    for cell, title in zip(header.cells, COLUMNS):
        cell.text = title
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.size = Pt(9)
    # repeat the header row on every page
    properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for row in doc.rows:
        cells = table.add_row().cells
        values = (str(row.number), row.client_code, row.client_name, row.inn, row.ckg, row.potential,
                  row.from_whom, row.to_whom, row.basis)
        for cell, value in zip(cells, values):
            cell.text = value
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)

    _paragraph(document, "")
    _paragraph(document, "Итог проверки", bold=True)
    for line in doc.summary:
        _paragraph(document, line)
    if doc.breaches:
        _paragraph(document, "Выявлены нарушения норм:")
        for line in doc.breaches:
            _paragraph(document, f"— {line}")
        if doc.override_reason:
            _paragraph(document, f"Обоснование отступления от норм: {doc.override_reason}")
    else:
        _paragraph(document, "Нарушений норм не выявлено.")
    _paragraph(document, "")
    _paragraph(document, f"Менеджер по клиентскому анализу\t____________\t{doc.author_name}")
    for visa in doc.visas:
        _paragraph(document, "")
        _paragraph(document, "СОГЛАСОВАНО")
        _paragraph(document, f"{visa.position}\t____________\t{visa.name or '________________'}")
        _paragraph(document, visa.decided_on.strftime("%d.%m.%Y") if visa.decided_on else "___ . ___ . 20__")
    if doc.execution_mark:
        _paragraph(document, "")
        _paragraph(document, doc.execution_mark, size=10)

    path = Path(path)
    fd, temporary = tempfile.mkstemp(suffix=".docx", dir=path.parent)
    os.close(fd)
    try:
        document.save(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def memo_docx(database, number: str, path: str | Path) -> None:
    write_memo_docx(memo_document(database, number), path)
