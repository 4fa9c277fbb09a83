"""``--smoke`` in-process (offscreen), the log file, the crash hook and the settings dialog."""

from __future__ import annotations

import logging
import re
import sys

import pytest

SMOKE_LINE = re.compile(r"^smoke ok: (\d+) сотрудников, (\d+) клиентов, сетка \d{4}-\d{2}: (\d+) строк, "
                        r"PDF (\d+) стр\., libpq \d+\.\d+, .*всего \d+\.\d\d s$")


@pytest.fixture
def log_folder(tmp_path):
    from etm_desktop import logging_setup

    folder = tmp_path / "logs"
    yield folder
    logging_setup.setup_logging(folder.parent / "after")  # release the file handler of this test


def test_smoke_prints_one_line_and_exits_0(qapp, capsys, log_folder, monkeypatch):
    from etm_desktop.gui.smoke import run_smoke
    from etm_desktop.logging_setup import setup_logging

    log = setup_logging(log_folder)
    assert run_smoke() == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    match = SMOKE_LINE.match(lines[0])
    assert match, lines[0]
    employees, clients, rows, pages = map(int, match.groups())
    assert employees > 0 and clients > 0 and rows > 0 and pages >= 1
    assert log.exists() and "smoke ok" in log.read_text(encoding="utf-8")


def test_smoke_failure_is_one_line_and_non_zero(qapp, capsys, monkeypatch):
    from etm_desktop.gui import smoke

    monkeypatch.setattr(smoke, "_counts", lambda database: 1 / 0)
    assert smoke.run_smoke() == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == ["smoke failed: ZeroDivisionError: division by zero"]


def test_command_line_smoke_option(qapp, capsys, monkeypatch):
    from etm_desktop.cli import main as cli_main
    from etm_desktop.gui import smoke

    monkeypatch.setattr(smoke, "run_smoke", lambda: 0)
    assert cli_main.main(["--smoke"]) == 0


def test_streams_of_a_windowed_executable_never_crash(monkeypatch):
    from etm_desktop.cli.common import err, out
    from etm_desktop.logging_setup import guard_streams

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    guard_streams()
    out("строка")
    err("ошибка")
    sys.stderr.flush()


def test_unhandled_exception_is_logged_and_shown(qapp, monkeypatch, caplog, tmp_path):
    from etm_desktop.gui import crash_dialog

    shown = []
    monkeypatch.setattr(crash_dialog, "show_crash", lambda error, path: shown.append((error, path)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    crash_dialog.install_excepthook(tmp_path / "etm-desktop.log")
    try:
        raise ValueError("плохо")
    except ValueError:
        with caplog.at_level(logging.ERROR):
            sys.excepthook(*sys.exc_info())
    assert shown and isinstance(shown[0][0], ValueError)
    assert "Необработанное исключение" in caplog.text
    message = crash_dialog.crash_message(ValueError("плохо"), tmp_path / "etm-desktop.log")
    assert "ValueError: плохо" in message and str(tmp_path / "etm-desktop.log") in message


def test_settings_dialog_stores_the_database(qapp, settings, tmp_path):
    from etm_desktop.gui.settings_dialog import SettingsDialog, stored_database

    dialog = SettingsDialog(settings, current=str(tmp_path / "a.sqlite"), source="default")
    dialog.postgres_button.setChecked(True)
    dialog.url_edit.setText("postgresql+psycopg://etm@server/etm")
    dialog.accept()
    assert stored_database(settings) == "postgresql+psycopg://etm@server/etm"
    dialog = SettingsDialog(settings)
    assert dialog.postgres_button.isChecked()
    dialog.sqlite_button.setChecked(True)
    dialog.path_edit.setText("")
    dialog.accept()
    assert stored_database(settings) is None
