"""Print preview, print, PDF and DOCX of a saved memo (HTML built on the worker, painted here)."""

from __future__ import annotations

from pathlib import Path

from etm_desktop.gui.memo_editor import prompts


def _memo_html(database, number: str) -> str:
    from etm_desktop.reports.memo_document import memo_document
    from etm_desktop.reports.memo_html import memo_html

    return memo_html(memo_document(database, number))


def _document(html: str):
    from PySide6.QtGui import QFont, QTextDocument

    document = QTextDocument()
    document.setDefaultFont(QFont("PT Serif", 12))
    document.setHtml(html)
    return document


class MemoPrinting:
    """The printing actions of one editor (its memo must be saved)."""

    def __init__(self, editor):
        self.editor = editor
        self.context = editor.context

    def _with_html(self, title: str, then) -> None:
        number = self.editor.number
        if not number:
            self.editor.report(title, "Сначала сохраните служебную записку", error=True)
            return
        database = self.context.database
        self.context.runner.run(lambda: _memo_html(database, number), on_done=then,
                                on_error=lambda error: self.editor.report(title, str(error), error=True))

    def preview(self) -> None:
        """QPrintPreviewDialog over the printed memo."""
        def show(html: str) -> None:
            from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrinter

            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            dialog = QPrintPreviewDialog(printer, self.editor)
            dialog.setWindowTitle("Предпросмотр печати — {0}".format(self.editor.number))
            document = _document(html)
            dialog.paintRequested.connect(document.print_)
            dialog.exec()

        self._with_html("Предпросмотр печати", show)

    def print(self) -> None:
        """The system print dialog, then the memo on the chosen printer."""
        def show(html: str) -> None:
            from PySide6.QtPrintSupport import QPrintDialog, QPrinter

            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            dialog = QPrintDialog(printer, self.editor)
            if dialog.exec():
                _document(html).print_(printer)

        self._with_html("Печать", show)

    def save_pdf(self, path: str | None = None) -> None:
        """Write the memo as an A4 PDF (asks for the file when ``path`` is None)."""
        path = path or prompts.ask_save_path(self.editor, "Сохранить PDF", f"{self.editor.number}.pdf", "PDF (*.pdf)")
        if not path:
            return

        def write(html: str) -> None:
            from etm_desktop.gui.memo_pdf import render_html_to_pdf

            try:
                pages = render_html_to_pdf(html, path, title="Служебная записка {0}".format(self.editor.number))
            except OSError as error:
                self.editor.report("Сохранить PDF", "Не удалось записать файл: {0}".format(error), error=True)
                return
            self.editor.report("Сохранить PDF", "Записан PDF ({0} стр.): {1}".format(pages, path))

        self._with_html("Сохранить PDF", write)

    def save_docx(self, path: str | None = None) -> None:
        """Write the memo as DOCX on the worker."""
        number = self.editor.number
        if not number:
            self.editor.report("Сохранить DOCX", "Сначала сохраните служебную записку", error=True)
            return
        path = path or prompts.ask_save_path(self.editor, "Сохранить DOCX", f"{number}.docx", "Word (*.docx)")
        if not path:
            return
        from etm_desktop.reports.memo_docx import memo_docx

        database = self.context.database
        self.context.runner.run(
            lambda: memo_docx(database, number, Path(path)),
            on_done=lambda _r: self.editor.report("Сохранить DOCX", "Записан DOCX: {0}".format(path)),
            on_error=lambda error: self.editor.report("Сохранить DOCX", str(error), error=True))
