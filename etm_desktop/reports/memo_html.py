"""The memo laid out as HTML for Qt's rich-text engine (QTextDocument → PDF, print preview).

Qt's HTML subset: tables with ``<thead>`` repeat their header row on every page.
"""

from __future__ import annotations

from html import escape

from etm_desktop.reports.memo_document import MemoDocument

FONT_SERIF = "PT Serif"
COLUMNS = ("№", "Код клиента", "Наименование", "ИНН", "ЦКГ", "Потенциал", "От кого", "Кому", "Основание")
WIDTHS = (4, 9, 17, 11, 13, 7, 12, 12, 15)  # percent of the text width


def _p(text: str, style: str = "") -> str:
    return f'<p style="margin:0; {style}">{escape(text)}</p>'


def memo_html(doc: MemoDocument) -> str:
    """The whole memo as one HTML page (A4 pagination is the renderer's job)."""
    e = escape
    parts = [f'<html><body style="font-family:\'{FONT_SERIF}\'; font-size:12pt;">']
    parts.append('<table width="100%" cellspacing="0" cellpadding="0"><tr><td width="50%"></td><td>')
    parts.append(_p(doc.addressee_position))
    if doc.addressee_name:
        parts.append(_p(doc.addressee_name))
    parts.append(_p(f"от менеджера по клиентскому анализу {doc.author_name}".rstrip()))
    parts.append("</td></tr></table><br/>")
    parts.append(_p("СЛУЖЕБНАЯ ЗАПИСКА", "text-align:center; font-weight:bold; font-size:14pt;"))
    parts.append(_p("{0} № {1}".format(doc.memo_date.strftime("%d.%m.%Y"), doc.number), "text-align:center;"))
    parts.append("<br/>")
    parts.append(_p(doc.title, "font-weight:bold;"))
    parts.append("<br/>")
    parts.append(_p(doc.text, "text-indent:1.25cm; text-align:justify;"))
    parts.append("<br/>")
    parts.append('<table width="100%" border="1" cellspacing="0" cellpadding="3" '
                 'style="border-collapse:collapse; font-size:9pt;">')
    parts.append("<thead><tr>" + "".join(f'<th width="{w}%">{e(c)}</th>' for c, w in zip(COLUMNS, WIDTHS))
                 + "</tr></thead><tbody>")
    for row in doc.rows:
        cells = (str(row.number), row.client_code, row.client_name, row.inn, row.ckg, row.potential,
                 row.from_whom, row.to_whom, row.basis)
        parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
    parts.append("</tbody></table><br/>")
    parts.append(_p("Итог проверки", "font-weight:bold;"))
    for line in doc.summary:
        parts.append(_p(line))
    if doc.breaches:
        parts.append(_p("Выявлены нарушения норм:", "margin-top:4px;"))
        for line in doc.breaches:
            parts.append(_p(f"— {line}"))
        if doc.override_reason:
            parts.append(_p(f"Обоснование отступления от норм: {doc.override_reason}", "margin-top:4px;"))
    else:
        parts.append(_p("Нарушений норм не выявлено."))
    parts.append("<br/><br/>")
    parts.append('<table width="100%" cellspacing="0" cellpadding="0"><tr>'
                 '<td width="45%">Менеджер по клиентскому анализу</td>'
                 '<td width="25%">____________</td>'
                 f'<td>{e(doc.author_name)}</td></tr></table><br/>')
    for visa in doc.visas:
        when = visa.decided_on.strftime("%d.%m.%Y") if visa.decided_on else "___ . ___ . 20__"
        parts.append(_p("СОГЛАСОВАНО", "margin-top:8px;"))
        parts.append('<table width="100%" cellspacing="0" cellpadding="0"><tr>'
                     f'<td width="45%">{e(visa.position)}</td><td width="25%">____________</td>'
                     f'<td>{e(visa.name or "________________")}</td></tr></table>')
        parts.append(_p(when))
    if doc.execution_mark:
        parts.append("<br/>")
        parts.append(_p(doc.execution_mark, "font-size:10pt;"))
    parts.append("</body></html>")
    return "".join(parts)
