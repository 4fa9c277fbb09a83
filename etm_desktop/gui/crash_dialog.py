"""An unhandled exception in the window: logged, then shown in Russian with the log path."""

from __future__ import annotations

import logging
import sys
import traceback

log = logging.getLogger("etm_desktop.crash")

_showing = False


def crash_message(error: BaseException, log_file) -> str:
    """The Russian text of the error dialog."""
    detail = (str(error).strip().splitlines() or [""])[0][:300]
    return ("Произошла непредвиденная ошибка: {0}{1}.\n\n"
            "Программа продолжит работу, но последнее действие могло не выполниться.\n"
            "Подробности записаны в журнал:\n{2}\n\n"
            "Пришлите этот файл разработчикам.").format(type(error).__name__, ": " + detail if detail else "",
                                                        log_file or "(журнал недоступен)")


def show_crash(error: BaseException, log_file) -> None:
    """Show the error dialog (only with a running QApplication, never two at once)."""
    global _showing
    from PySide6.QtWidgets import QApplication, QMessageBox

    if _showing or QApplication.instance() is None:
        return
    _showing = True
    try:
        box = QMessageBox(QMessageBox.Icon.Critical, "ETM Desktop — ошибка", crash_message(error, log_file))
        box.setDetailedText("".join(traceback.format_exception(error)))
        box.exec()
    finally:
        _showing = False


def install_excepthook(log_file) -> None:
    """Route unhandled exceptions to the log and the error dialog instead of a silent exit."""

    def hook(kind, error, tb):
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        log.error("Необработанное исключение", exc_info=(kind, error, tb))
        try:
            show_crash(error, log_file)
        except Exception:  # noqa: BLE001 - the hook itself must never raise
            log.exception("Не удалось показать окно ошибки")

    sys.excepthook = hook
