"""The command line (interfaces.md, section 2): commands, Russian messages, exit codes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import types
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from etm_desktop.cli import main as cli_main
from etm_desktop.cli.main import main
from etm_desktop.domain.calendar import last_completed_month, month_key

OCT, SEP = date(2026, 10, 1), date(2026, 9, 1)
REPO = Path(__file__).resolve().parents[2]
REAL_FIND_MAIN_WINDOW = cli_main.find_main_window


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No test touches the user's own database, and no GUI opens."""
    monkeypatch.setenv("ETM_DESKTOP_DB", str(tmp_path / "env-default.sqlite"))
    monkeypatch.setattr(cli_main, "find_main_window", lambda: None)


def db_path(database) -> str:
    return database.target


def run(capsys, *argv):
    """Run the CLI in-process; returns (exit status, stdout, stderr)."""
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def two_managers(centre, database):
    """1001: a sound Универсальный ветеран with 25 paying clients; 1003: only 3 clients."""
    good = centre.manager("1001", "Универсальный")
    small = centre.manager("1003", "Универсальный")
    for holder, n in ((good, 25), (small, 3)):
        centre.clients(holder, n, ckg="ЭМО", potential="A", turnover={OCT: 20000, SEP: 20000})
        centre.meetings(holder, date(2026, 10, 15), 20)
    centre.commit()
    return db_path(database)


# -- parsing, help, no command ---------------------------------------------------------------

def test_help_is_russian_and_lists_the_commands(capsys):
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert "использование: etm-desktop" in out
    for command in ("import", "export", "check", "memo", "demo"):
        assert command in out


@pytest.mark.parametrize("argv, words", [
    (["check", "--month", "2026-13"], "ГГГГ-ММ"),
    (["check", "--month", "октябрь"], "ГГГГ-ММ"),
    (["nonsense"], "недопустимое значение"),
    (["memo"], "не указаны обязательные аргументы"),
    (["demo", "--scale", "huge"], "недопустимое значение"),
    (["import"], "не указаны обязательные аргументы"),
])
def test_bad_command_lines_exit_2_in_russian(capsys, argv, words):
    status, _, err = run(capsys, *argv)
    assert status == 2
    assert "ошибка" in err and words in err


def test_no_command_summarises_an_empty_database(capsys, tmp_path):
    target = tmp_path / "new" / "etm.sqlite"
    status, out, err = run(capsys, "--db", target)
    assert status == 0, err
    assert target.exists()
    assert str(target.resolve()) in out
    assert "Клиентов: 0, сотрудников: 0, действующих закреплений: 0" in out
    for command in ("import FILE.xlsx", "export FILE.xlsx", "check", "memo check", "demo"):
        assert "etm-desktop " + command in out


def test_no_command_counts_what_the_database_holds(capsys, centre, database):
    lead = centre.manager("1001", "Универсальный")
    centre.clients(lead, 3)
    centre.client(lead, bound_to=date(2021, 1, 1))  # an ended binding is not counted
    centre.client(None)
    centre.commit()
    status, out, _ = run(capsys, "--db", db_path(database))
    assert status == 0
    assert "Клиентов: 5, сотрудников: 1, действующих закреплений: 3" in out


def test_database_from_environment(capsys, tmp_path, monkeypatch):
    target = tmp_path / "from-env.sqlite"
    monkeypatch.setenv("ETM_DESKTOP_DB", str(target))
    status, out, _ = run(capsys)
    assert status == 0 and target.exists()
    assert str(target) in out


def test_main_window_is_opened_when_the_gui_exists(capsys, monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(cli_main, "find_main_window", lambda: opened.append)
    status, out, _ = run(capsys, "--db", tmp_path / "gui.sqlite")
    assert status == 0 and out == ""
    assert len(opened) == 1 and hasattr(opened[0], "session")


def test_main_window_is_looked_up_in_the_gui_package(monkeypatch):
    import etm_desktop

    without = types.ModuleType("etm_desktop.gui")
    monkeypatch.setitem(sys.modules, "etm_desktop.gui", without)
    monkeypatch.setattr(etm_desktop, "gui", without, raising=False)  # `import a.b as c` reads the attribute
    assert REAL_FIND_MAIN_WINDOW() is None  # a package without a main window
    with_window = types.ModuleType("etm_desktop.gui")
    with_window.open_main_window = print
    monkeypatch.setitem(sys.modules, "etm_desktop.gui", with_window)
    monkeypatch.setattr(etm_desktop, "gui", with_window)
    assert REAL_FIND_MAIN_WINDOW() is print


# -- errors ------------------------------------------------------------------------------------

def test_newer_database_is_refused_with_exit_2(capsys, tmp_path):
    target = tmp_path / "future.sqlite"
    assert run(capsys, "--db", target)[0] == 0
    with sqlite3.connect(target) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    status, out, err = run(capsys, "--db", target)
    assert status == 2
    assert "более новой версией" in err and "Traceback" not in err


def test_a_file_that_is_not_a_database_exits_2(capsys, tmp_path):
    target = tmp_path / "not-a-db.sqlite"
    target.write_bytes(b"PK\x03\x04 this is a zip, not SQLite" * 100)
    status, _, err = run(capsys, "--db", target)
    assert status == 2
    assert "Не удалось открыть базу данных" in err and "Traceback" not in err


def test_norm_error_exits_2(capsys, tmp_path):
    status, _, err = run(capsys, "--db", tmp_path / "n.sqlite", "check", "--month", "1990-01")
    assert status == 2
    assert err.startswith("Нормы:") and "Traceback" not in err


def test_unexpected_error_is_one_russian_line_exit_3(capsys, monkeypatch, tmp_path):
    def broken(*_args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli_main, "print_database_summary", broken)
    status, _, err = run(capsys, "--db", tmp_path / "x.sqlite")
    assert status == 3
    assert err.count("\n") == 1 and "Непредвиденная ошибка" in err and "--debug" in err
    status, _, err = run(capsys, "--db", tmp_path / "x.sqlite", "--debug")
    assert status == 3 and "Traceback" in err and "ZeroDivisionError" in err


# -- check -------------------------------------------------------------------------------------

def test_check_json_follows_the_contract(capsys, two_managers):
    status, out, _ = run(capsys, "check", "--db", two_managers, "--month", "2026-10", "--json")
    assert status == 0
    answer = json.loads(out)
    assert answer["month"] == "2026-10"
    rows = {m["id"]: m for m in answer["managers"]}
    assert set(rows) == {"1001", "1003"}
    assert rows["1001"]["kb_size"] == 25 and rows["1001"]["breaches"] == []
    assert "kb_size_min" in {b["norm"] for b in rows["1003"]["breaches"]}
    for key in ("blacklist", "auto_unbind", "overdue_rebinding"):
        assert isinstance(answer[key], list)


def test_check_text_and_workbook(capsys, two_managers, tmp_path):
    target = tmp_path / "grid.xlsx"
    status, out, _ = run(capsys, "--db", two_managers, "check", "--month", "2026-10", "--out", target)
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("Сетка нормативов за 2026-10")
    small = next(line for line in lines if line.startswith("1003"))
    assert "kb_size_min" in small
    assert "Менеджеров: 2, с нарушениями: 1" in out and "Чёрный список: 0 клиентов" in out
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:4] == ["Сетка", "Чёрный список", "Автооткрепление", "Просроченное перезакрепление"]
    assert {book["Сетка"].cell(r, 1).value for r in (2, 3)} == {"1001", "1003"}


def test_check_defaults_to_the_last_completed_month(capsys, tmp_path):
    status, out, _ = run(capsys, "--db", tmp_path / "d.sqlite", "check", "--json")
    assert status == 0
    assert json.loads(out)["month"] == month_key(last_completed_month(date.today()))


def test_check_out_into_a_missing_folder_exits_2(capsys, tmp_path):
    status, _, err = run(capsys, "--db", tmp_path / "d.sqlite", "check", "--out", tmp_path / "no" / "g.xlsx")
    assert status == 2 and "Папка" in err


# -- memo check --------------------------------------------------------------------------------

def write_memo(tmp_path, content, name="memo.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("content, words", [
    ("{ not json", "неверный JSON"),
    ("[1, 2]", "объект JSON"),
    ({"number": "СЗ-1", "lines": []}, "date"),
])
def test_malformed_memo_exits_2(capsys, tmp_path, content, words):
    memo = write_memo(tmp_path, content)
    status, _, err = run(capsys, "--db", tmp_path / "m.sqlite", "memo", "check", memo)
    assert status == 2
    assert words in err and "Traceback" not in err


def test_missing_memo_file_exits_2(capsys, tmp_path):
    status, _, err = run(capsys, "--db", tmp_path / "m.sqlite", "memo", "check", tmp_path / "nope.json")
    assert status == 2 and "не найден" in err


def test_sound_memo_exits_0(capsys, two_managers, centre, tmp_path):
    receiver = centre.manager("1002", "Универсальный")
    centre.clients(receiver, 25, ckg="ЭМО", potential="A", turnover={OCT: 20000, SEP: 20000})
    centre.meetings(receiver, date(2026, 10, 15), 20)
    centre.commit()
    good_client = centre.session.execute(text(  # one of 1001's clients
        "SELECT c.code FROM client c JOIN binding b ON b.client_id = c.id "
        "JOIN employee e ON e.id = b.employee_id WHERE e.tab_no = '1001' LIMIT 1")).scalar_one()
    memo = write_memo(tmp_path, {"number": "СЗ-2026-041", "date": "2026-11-05", "lines": [
        {"action": "transfer", "client": good_client, "from": "1001", "to": "1002"}]})
    status, out, err = run(capsys, "--db", two_managers, "memo", "check", memo, "--json")
    answer = json.loads(out)
    assert answer["ok"] is True, answer["problems"]
    assert status == 0, err
    status, out, _ = run(capsys, "--db", two_managers, "memo", "check", memo)
    assert status == 0
    assert out.startswith("Служебная записка СЗ-2026-041: нарушений нет")


def test_memo_with_breaches_exits_1(capsys, two_managers, tmp_path):
    memo = write_memo(tmp_path, {"number": "СЗ-2026-042", "date": "2026-11-05", "lines": [
        {"action": "transfer", "client": "NO-SUCH-CLIENT", "from": "1001", "to": "1003"}]})
    status, out, _ = run(capsys, "--db", two_managers, "memo", "check", memo, "--json")
    assert status == 1
    answer = json.loads(out)
    assert answer["ok"] is False
    assert "unknown_client" in {p["rule"] for p in answer["problems"]}
    status, out, _ = run(capsys, "--db", two_managers, "memo", "check", memo)
    assert status == 1
    assert "есть нарушения" in out and "unknown_client" in out


# -- import, export, demo ----------------------------------------------------------------------

def exchange_workbook(path: Path, position: str = "МОПП") -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {
        "Офисы": [["Код ОП", "Название", "Куст", "РЦ"], ["ОП1", "Офис 1", "Куст 1", "РЦ Тест"]],
        "Территории": [["Код территории", "Название", "В черте города"], ["T1", "Город", "Да"]],
        "Сотрудники": [["Таб. номер", "ФИО", "Должность", "Специализация", "Код ОП", "Дата приема",
                        "Дата статуса новичок"],
                       ["1001", "Иванов Иван", position, "Универсальный", "ОП1", "01.12.2019", "01.01.2020"]],
        "Клиенты": [["Код клиента", "Наименование", "ЦКГ", "Потенциал"],
                    ["00123", "ООО Один", "ЭМО", "A"], ["K2", "ООО Два", "ЭМО", "B"]],
        "Закрепления": [["Код клиента", "Таб. номер", "Дата закрепления"], ["00123", "1001", "2020-01-01"]],
        "Товарооборот": [["Код клиента", "Месяц", "Сумма"], ["00123", "2026-10", 20000]],
    }
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_import_then_summary(capsys, tmp_path):
    db = tmp_path / "i.sqlite"
    status, out, err = run(capsys, "--db", db, "import", exchange_workbook(tmp_path / "in.xlsx"))
    assert status == 0, err
    assert out.startswith("Импорт из")
    status, out, _ = run(capsys, "--db", db)
    assert "Клиентов: 2, сотрудников: 1, действующих закреплений: 1" in out


def test_bad_workbook_changes_nothing_and_exits_2(capsys, tmp_path):
    db = tmp_path / "i.sqlite"
    status, out, err = run(capsys, "--db", db, "import",
                           exchange_workbook(tmp_path / "bad.xlsx", position="Космонавт"))
    assert status == 2
    assert "Импорт не выполнен" in err and "Космонавт" in err and "Traceback" not in err
    assert "Клиентов: 0" in run(capsys, "--db", db)[1]


def test_import_of_a_missing_file_exits_2(capsys, tmp_path):
    status, _, err = run(capsys, "--db", tmp_path / "i.sqlite", "import", tmp_path / "nope.xlsx")
    assert status == 2 and "не найден" in err


def test_export_round_trips_through_import(capsys, two_managers, tmp_path):
    exported = tmp_path / "out.xlsx"
    status, out, err = run(capsys, "--db", two_managers, "export", exported)
    assert status == 0, err
    assert exported.exists()
    copy = tmp_path / "copy.sqlite"
    status, _, err = run(capsys, "--db", copy, "import", exported)
    assert status == 0, err
    assert "Клиентов: 28, сотрудников: 2, действующих закреплений: 28" in run(capsys, "--db", copy)[1]


def test_demo_fills_the_database(capsys, tmp_path):
    db = tmp_path / "demo.sqlite"
    status, out, err = run(capsys, "--db", db, "demo", "--scale", "small", "--seed", 7)
    assert status == 0, err
    assert "Демонстрационный РЦ создан" in out and str(db) in out
    summary = run(capsys, "--db", db)[1]
    assert "Клиентов: 0" not in summary and "сотрудников: 0" not in summary
    status, out, _ = run(capsys, "--db", db, "check", "--json")
    assert status == 0 and json.loads(out)["managers"]
    status, _, err = run(capsys, "--db", db, "demo")  # only an empty database is filled
    assert status == 2 and err.startswith("Демонстрационные данные не созданы") and "Traceback" not in err


# -- as a real process -------------------------------------------------------------------------

def _process(tmp_path, *argv) -> subprocess.CompletedProcess:
    env = dict(os.environ, ETM_DESKTOP_DB=str(tmp_path / "proc.sqlite"), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "etm_desktop", *map(str, argv)], cwd=REPO, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def test_process_user_error_has_no_traceback(tmp_path):
    memo = write_memo(tmp_path, "{ not json")
    done = _process(tmp_path, "memo", "check", memo)
    assert done.returncode == 2
    assert "неверный JSON" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_process_check_json(tmp_path):
    done = _process(tmp_path, "check", "--month", "2026-10", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["month"] == "2026-10"
    assert (tmp_path / "proc.sqlite").exists()
