"""Importing the exchange workbook: what lands in the database, and every kind of refusal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from etm_desktop.db.models import (
    Activity,
    Client,
    Employee,
    EmployeeTerritory,
    Office,
    Receivable,
    SpecializationPeriod,
    Territory,
    Turnover,
)
from etm_desktop.exchange.errors import ImportFailed
from tests.unit.test_exchange_support import TODAY, base_sheets, has_problem, problems_of, rows, run, snapshot


# -- a good workbook --------------------------------------------------------------------------

def test_a_good_workbook_fills_every_table(database, tmp_path):
    report = run(database, tmp_path, base_sheets())
    assert report["Клиенты"].inserted == 4 and report["Товарооборот"].inserted == 4
    assert rows(database, Office.code) == [("ОП1",), ("ОП2",)]
    assert rows(database, Territory.code, Territory.in_city) == [("T1", True), ("T2", False)]
    clients = {c.code: c for c in _all(database, Client)}
    assert set(clients) == {"00123", "K2", "K3", "K4"}  # leading zeros kept
    assert clients["00123"].inn == "0278000001"
    assert (clients["K2"].potential, clients["K3"].potential) == ("B", "C")  # Cyrillic letters
    assert clients["K3"].ckg == "ПП" and clients["K3"].head_id == clients["K2"].id
    assert clients["K4"].name == "=СУММ(A1)"
    turnover = {(c, m): a for c, m, a in rows(database, Turnover.client_id, Turnover.month, Turnover.amount)}
    assert turnover[(clients["00123"].id, date(2024, 2, 1))] == pytest.approx(1234.50)
    assert turnover[(clients["K2"].id, date(2024, 1, 1))] == 20000  # a date in the month
    assert turnover[(clients["K3"].id, date(2024, 1, 1))] == 15000  # no-break space thousands
    assert rows(database, Receivable.as_of, Receivable.amount) == [(date(2024, 2, 1), 500)]


def _all(database, model):
    with database.session() as session:
        return list(session.scalars(select(model)))


def test_employees_get_leads_territories_and_a_history_from_hire(database, tmp_path):
    run(database, tmp_path, base_sheets())
    staff = {e.tab_no: e for e in _all(database, Employee)}
    assert staff["1001"].group_lead_id == staff["2001"].id
    assert staff["1001"].hire_date == date(2020, 1, 15) and staff["1001"].novice_date == date(2020, 3, 1)
    assert rows(database, EmployeeTerritory.employee_id) == [(staff["2001"].id,), (staff["2001"].id,)]
    periods = rows(database, SpecializationPeriod.employee_id, SpecializationPeriod.specialization,
                   SpecializationPeriod.start_date)
    assert periods == sorted([(staff["1001"].id, "Универсальный", date(2020, 1, 15)),
                              (staff["2001"].id, "Территориальный", date(2019, 5, 6))], key=repr)


def test_activity_defaults_outside_office_to_yes(database, tmp_path):
    run(database, tmp_path, base_sheets())
    found = rows(database, Activity.activity_date, Activity.kind, Activity.outside_office)
    assert found == [(date(2024, 1, 10), "Встреча", True), (date(2024, 1, 11), "Холодный звонок", False),
                     (date(2024, 1, 12), "Встреча", True)]


def test_reimporting_the_same_workbook_changes_nothing(database, tmp_path):
    run(database, tmp_path, base_sheets())
    before, version = snapshot(database), database.data_version()
    report = run(database, tmp_path, base_sheets())
    assert not report.changed
    assert snapshot(database) == before
    assert database.data_version() == version


def test_a_change_bumps_the_data_version_and_updates_in_place(database, tmp_path):
    run(database, tmp_path, base_sheets())
    version = database.data_version()
    sheets = base_sheets()
    sheets["Товарооборот"][1][2] = 999.99
    sheets["Клиенты"][2][2] = "АО Завод (новое имя)"
    report = run(database, tmp_path, sheets)
    assert report["Товарооборот"].updated == 1 and report["Товарооборот"].unchanged == 3
    assert report["Клиенты"].updated == 1
    assert database.data_version() == version + 1
    k2 = [c for c in _all(database, Client) if c.code == "K2"][0]
    assert k2.name == "АО Завод (новое имя)" and k2.version == 2


def test_headers_match_ignoring_case_spaces_and_order_and_extras_are_ignored(database, tmp_path):
    sheets = {
        " клиенты ": [["  ЦКГ", "лишний столбец", "НАИМЕНОВАНИЕ ", "код  клиента"],
                      ["ЭМО", "что угодно", "ООО Один", "C1"],
                      [None, None, None, None],
                      ["Дилеры", None, "ООО Два", 42]],
        "Заметки": [["что-то своё"], ["1"]],
    }
    report = run(database, tmp_path, sheets)
    assert report["Клиенты"].inserted == 2
    assert rows(database, Client.code, Client.ckg) == [("42", "Дилеры"), ("C1", "ЭМО")]


def test_references_resolve_against_the_database(database, tmp_path):
    run(database, tmp_path, base_sheets())
    sheets = {"Товарооборот": [["Код клиента", "Месяц", "Сумма"], ["K4", "2024-03", 10]]}
    assert run(database, tmp_path, sheets, name="more.xlsx")["Товарооборот"].inserted == 1


def test_an_absent_optional_column_keeps_stored_values(database, tmp_path):
    run(database, tmp_path, base_sheets())
    sheets = {"Клиенты": [["Код клиента", "Наименование", "ЦКГ"], ["K2", "АО Завод", "ПП"]]}
    assert not run(database, tmp_path, sheets, name="short.xlsx").changed
    assert [c.potential for c in _all(database, Client) if c.code == "K2"] == ["B"]


def test_a_changed_specialization_starts_a_new_period_today(database, tmp_path):
    run(database, tmp_path, base_sheets())
    sheets = base_sheets()
    sheets["Сотрудники"][1][3] = "МРЩ"
    report = run(database, tmp_path, sheets)
    assert report["Специализации"].inserted == 1
    found = rows(database, SpecializationPeriod.specialization, SpecializationPeriod.start_date)
    assert ("МРЩ", TODAY) in found and ("Универсальный", date(2020, 1, 15)) in found


def test_the_specializations_sheet_is_the_history(database, tmp_path):
    sheets = base_sheets()
    sheets["Сотрудники"][1][3] = "МРПП"
    sheets["Специализации"] = [["Таб. номер", "Специализация", "Дата начала"],
                               ["1001", "Универсальный", "15.01.2020"],
                               ["1001", "МРПП", "01.07.2023"],
                               ["2001", "Территориальный", "06.05.2019"]]
    run(database, tmp_path, sheets)
    found = rows(database, SpecializationPeriod.specialization, SpecializationPeriod.start_date)
    assert found == sorted([("Универсальный", date(2020, 1, 15)), ("МРПП", date(2023, 7, 1)),
                            ("Территориальный", date(2019, 5, 6))], key=repr)


def test_a_specialization_contradicting_the_history_sheet_is_an_error(database, tmp_path):
    sheets = base_sheets()
    sheets["Специализации"] = [["Таб. номер", "Специализация", "Дата начала"],
                               ["1001", "Универсальный", "15.01.2020"],
                               ["1001", "МРД", "01.07.2023"],
                               ["2001", "Территориальный", "06.05.2019"],
                               ["2001", "Территориальный", "06.05.2019"],
                               ["7777", "МРС", "01.01.2024"]]
    problems = problems_of(database, tmp_path, sheets)
    assert has_problem(problems, "Сотрудники", 2, "Специализация", "Универсальный", "МРД")
    assert has_problem(problems, "Специализации", 5, "Таб. номер, Дата начала", None, "строке 4")
    assert has_problem(problems, "Специализации", 6, "Таб. номер", "7777", "неизвестный табельный")
    assert len(problems) == 3, problems


def test_a_column_given_twice_is_an_error(database, tmp_path):
    sheets = {"Территории": [["Код территории", "Название", "название", "В черте города"],
                             ["T1", "Центр", "Центр 2", "Да"]]}
    problems = problems_of(database, tmp_path, sheets)
    assert has_problem(problems, "Территории", 1, "Название", None, "дважды")


def test_activity_of_a_month_is_replaced_by_the_sheet(database, tmp_path):
    run(database, tmp_path, base_sheets())
    kept = [a.id for a in _all(database, Activity) if a.activity_date == date(2024, 1, 10)]
    sheets = {"Активность": [["Таб. номер", "Дата", "Тип", "Код клиента", "Вне ОП"],
                             ["1001", "10.01.2024", "Встреча", "00123", "Да"],
                             ["1001", "20.01.2024", "Встреча", "K2", "Да"]]}
    report = run(database, tmp_path, sheets, name="act.xlsx")
    assert (report["Активность"].inserted, report["Активность"].deleted, report["Активность"].unchanged) == (1, 1, 1)
    found = {(a.employee_id, a.activity_date, a.kind) for a in _all(database, Activity)}
    assert len(found) == 3  # the call of 11.01 is gone, the lead's meeting (another employee) stays
    assert [a.id for a in _all(database, Activity) if a.activity_date == date(2024, 1, 10)] == kept
    assert not run(database, tmp_path, sheets, name="act.xlsx").changed


def test_progress_reports_every_stage_up_to_the_total(database, tmp_path):
    seen = []
    run(database, tmp_path, base_sheets(), progress=lambda done, total, stage: seen.append((done, total, stage)))
    dones = [done for done, _total, _stage in seen]
    assert dones == sorted(dones) and dones[0] == 0
    assert seen[-1][0] == seen[-1][1] and all(isinstance(stage, str) and stage for *_x, stage in seen)


# -- refusals ---------------------------------------------------------------------------------

def _edit(sheet, row, column, value):
    def change(sheets):
        header = sheets[sheet][0]
        sheets[sheet][row - 1][header.index(column)] = value
    return change


def _append(sheet, row):
    return lambda sheets: sheets[sheet].append(row)


def _drop_column(sheet, column):
    def change(sheets):
        index = sheets[sheet][0].index(column)
        for row in sheets[sheet]:
            del row[index]
    return change


CASES = {
    "missing required column": (_drop_column("Клиенты", "ЦКГ"), ("Клиенты", 1, "ЦКГ", None, "нет обязательного")),
    "unknown client": (_edit("Товарооборот", 3, "Код клиента", "NOPE"),
                       ("Товарооборот", 3, "Код клиента", "NOPE", "неизвестный код клиента")),
    "unknown employee": (_edit("Закрепления", 2, "Таб. номер", "9999"),
                         ("Закрепления", 2, "Таб. номер", "9999", "неизвестный табельный")),
    "unknown office": (_edit("Сотрудники", 4, "Код ОП", "ОП9"), ("Сотрудники", 4, "Код ОП", "ОП9", "код ОП")),
    "unknown territory": (_edit("Клиенты", 2, "Код территории", "T9"),
                          ("Клиенты", 2, "Код территории", "T9", "территории")),
    "bad date": (_edit("Сотрудники", 2, "Дата приема", "32.01.2020"),
                 ("Сотрудники", 2, "Дата приема", "32.01.2020", "ожидается дата")),
    "bad month": (_edit("Товарооборот", 2, "Месяц", "2024-13"),
                  ("Товарооборот", 2, "Месяц", "2024-13", "ожидается месяц")),
    "bad money": (_edit("Товарооборот", 2, "Сумма", "тысяча"),
                  ("Товарооборот", 2, "Сумма", "тысяча", "ожидается сумма")),
    "bad potential": (_edit("Клиенты", 3, "Потенциал", "Z"), ("Клиенты", 3, "Потенциал", "Z", "потенциал")),
    "bad ЦКГ": (_edit("Клиенты", 3, "ЦКГ", "Прочие"), ("Клиенты", 3, "ЦКГ", "Прочие", "недопустимое")),
    "bad position": (_edit("Сотрудники", 3, "Должность", "Космонавт"),
                     ("Сотрудники", 3, "Должность", "Космонавт", "МОПП")),
    "bad specialization": (_edit("Сотрудники", 2, "Специализация", "Продавец"),
                           ("Сотрудники", 2, "Специализация", "Продавец", "Универсальный")),
    "missing specialization": (_edit("Сотрудники", 2, "Специализация", None),
                               ("Сотрудники", 2, "Специализация", None, "обязательна")),
    "bad yes-no": (_edit("Территории", 3, "В черте города", "Может быть"),
                   ("Территории", 3, "В черте города", "Может быть", "«Да» или «Нет»")),
    "bad activity type": (_edit("Активность", 2, "Тип", "Звонок"), ("Активность", 2, "Тип", "Звонок", "Встреча")),
    "empty required cell": (_edit("Клиенты", 5, "Наименование", None),
                            ("Клиенты", 5, "Наименование", None, "не заполнено")),
    "duplicate turnover": (_append("Товарооборот", ["K2", "01.2024", 5]),
                           ("Товарооборот", 6, "Код клиента, Месяц", None, "строке 4")),
    "duplicate binding": (_append("Закрепления", ["K2", "1001", None, None]),
                          ("Закрепления", 5, "Код клиента, Таб. номер", None, "строке 3")),
    "duplicate client": (_append("Клиенты", ["K2", None, "Ещё раз", "ЭМО", None, None, None]),
                         ("Клиенты", 6, "Код клиента", "K2", "строке 3")),
    "head with a head": (_append("Клиенты", ["K5", None, "Внук", "ЭМО", None, None, "K3"]),
                         ("Клиенты", 6, "Головная организация", "K3", "сама указывает")),
    "head is itself": (_edit("Клиенты", 2, "Головная организация", "00123"),
                       ("Клиенты", 2, "Головная организация", "00123", "самому себе")),
    "unknown head": (_edit("Клиенты", 2, "Головная организация", "K99"),
                     ("Клиенты", 2, "Головная организация", "K99", "головная")),
    "binding to НОП": (_append("Закрепления", ["K4", "3001", None, None]),
                       ("Закрепления", 5, "Таб. номер", "3001", "запрещено")),
    "lead who is no lead": (_edit("Сотрудники", 2, "Старший группы", "3001"),
                            ("Сотрудники", 2, "Старший группы", "3001", "Старший группы")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_kind_of_error_is_named_with_its_place(database, tmp_path, case):
    change, (sheet, row, column, value, text) = CASES[case]
    sheets = base_sheets()
    change(sheets)
    problems = problems_of(database, tmp_path, sheets)
    assert has_problem(problems, sheet, row, column, value, text), problems
    assert snapshot(database)["client"] == []  # nothing written


def test_all_errors_of_a_workbook_are_reported_at_once(database, tmp_path):
    sheets = base_sheets()
    for case in ("bad date", "bad potential", "bad money", "duplicate binding", "binding to НОП", "bad yes-no"):
        CASES[case][0](sheets)
    sheets["Товарооборот"].insert(2, [None, None, None])  # an empty row keeps later row numbers true
    problems = problems_of(database, tmp_path, sheets)
    assert has_problem(problems, "Сотрудники", 2, "Дата приема", "32.01.2020")
    assert has_problem(problems, "Клиенты", 3, "Потенциал", "Z")
    assert has_problem(problems, "Товарооборот", 2, "Сумма", "тысяча")
    assert has_problem(problems, "Закрепления", 5, "Код клиента, Таб. номер")
    assert has_problem(problems, "Закрепления", 6, "Таб. номер", "3001")
    assert has_problem(problems, "Территории", 3, "В черте города", "Может быть")
    assert len(problems) == 6, problems
    with pytest.raises(ImportFailed) as caught:
        run(database, tmp_path, sheets, name="again.xlsx")
    text = str(caught.value)
    assert text.splitlines()[0].startswith("Импорт не выполнен") and "Ошибок: 6" in text
    assert "Лист «Клиенты», строка 3, столбец «Потенциал», значение «Z»" in text


def test_a_failing_import_leaves_the_database_unchanged(database, tmp_path):
    run(database, tmp_path, base_sheets())
    before, version = snapshot(database), database.data_version()
    sheets = base_sheets()
    sheets["Клиенты"][2][2] = "Новое имя"  # a valid change …
    del sheets["Закрепления"][2]  # … a binding to close …
    sheets["Товарооборот"].append(["K2", "2024-05", "много"])  # … and one error
    with pytest.raises(ImportFailed):
        run(database, tmp_path, sheets, name="bad.xlsx")
    assert snapshot(database) == before and database.data_version() == version


def test_a_head_that_already_heads_stored_clients_cannot_get_a_head(database, tmp_path):
    run(database, tmp_path, base_sheets())
    sheets = {"Клиенты": [["Код клиента", "Наименование", "ЦКГ", "Головная организация"],
                          ["K2", "АО Завод", "ПП", "00123"]]}
    problems = problems_of(database, tmp_path, sheets)
    assert has_problem(problems, "Клиенты", 2, "Головная организация", "00123", "K3")
