"""Importing malformed workbooks (issue 7): never a traceback, exit 2 in Russian, the database unchanged.

Cells of every wrong kind in every column (numbers as text and text as numbers,
NaN, infinities, huge numbers, formulas, error values, dates as text, junk
Unicode, shared strings that do not exist …) and broken sheet layouts (missing,
empty, doubled headers, merged cells). Files that are no workbook at all, zip
bombs, far cells and a million rows: ``test_fuzz_import_files.py``. Hypothesis draws the inputs; the
budget is the ``ci`` or ``fuzz`` profile of :mod:`tests.fuzz_support`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etm_desktop.exchange.errors import ImportFailed
from etm_desktop.exchange.importer import import_workbook
from etm_desktop.exchange.sheets import SHEETS
from tests.fuzz_support import (
    assert_clean_refusal, budget, db_file, dump, fuzz_settings, import_or_refusal, is_russian, run_cli, tried,
)
from tests.unit.test_exchange_support import TODAY, base_sheets
from tests.xlsx_raw import write_raw_book

SHEET_NAMES = [sheet.name for sheet in SHEETS]



# -- what a cell may hold --------------------------------------------------------------------------

#: Cells written as raw XML: what Excel never writes, or writes only with a formula or an error.
RAW_CELLS = [
    ("raw", '<c r="{ref}"><v>NaN</v></c>'),
    ("raw", '<c r="{ref}"><v>nan</v></c>'),
    ("raw", '<c r="{ref}"><v>inf</v></c>'),
    ("raw", '<c r="{ref}"><v>-INF</v></c>'),
    ("raw", '<c r="{ref}"><v>1e400</v></c>'),
    ("raw", '<c r="{ref}"><v>-1e400</v></c>'),
    ("raw", '<c r="{ref}"><v>1' + "0" * 400 + "</v></c>"),
    ("raw", '<c r="{ref}"><v>abc</v></c>'),
    ("raw", '<c r="{ref}"><v></v></c>'),
    ("raw", '<c r="{ref}"/>'),
    ("raw", '<c r="{ref}" t="b"><v>2</v></c>'),
    ("raw", '<c r="{ref}" t="b"><v>да</v></c>'),
    ("raw", '<c r="{ref}" t="e"><v>#DIV/0!</v></c>'),
    ("raw", '<c r="{ref}" t="e"><v>#N/A</v></c>'),
    ("raw", '<c r="{ref}" t="s"><v>999</v></c>'),
    ("raw", '<c r="{ref}" t="s"><v>-1</v></c>'),
    ("raw", '<c r="{ref}" t="d"><v>2024-13-45</v></c>'),
    ("raw", '<c r="{ref}" t="d"><v>junk</v></c>'),
    ("raw", '<c r="{ref}" t="d"><v>2024-02-01T10:00:00</v></c>'),
    ("raw", '<c r="{ref}" t="str"><f>1+1</f><v>2</v></c>'),
    ("raw", '<c r="{ref}"><f>1+1</f><v>2</v></c>'),
    ("raw", '<c r="{ref}"><f>1+1</f></c>'),
    ("raw", '<c r="{ref}" t="str"><f>HYPERLINK("http://example.com","ссылка")</f><v>ссылка</v></c>'),
    ("raw", '<c r="{ref}"><f>HYPERLINK("http://example.com")</f></c>'),
    ("raw", '<c r="{ref}" t="e"><f>1/0</f><v>#DIV/0!</v></c>'),
    ("raw", '<c r="{ref}" t="inlineStr"><is><r><t>бо</t></r><r><t>гатый</t></r></is></c>'),
    ("raw", '<c r="{ref}" t="inlineStr"><is></is></c>'),
    ("raw", '<c r="{ref}" t="unknown"><v>1</v></c>'),
    ("raw", '<c r="{ref}" s="999"><v>45000</v></c>'),
]

TEXTS = st.one_of(
    st.text(max_size=30),
    st.sampled_from([
        "", " ", "\u00a0", "=1+1", '=HYPERLINK("http://x","y")', "+7 999", "-5", "@SUM(A1)", "'00123",
        "31.02.2024", "2024-02-30", "13.2024", "2024-13", "00.00.0000", "1.1.1", "2024-1-1 25:61",
        "１２.０３.２０２４", "٠١.٠١.٢٠٢٤", "1 234,5,6", "1e5", "₽", "NaN", "inf", "-0", "0x10",
        "Да ", "ДА", "истина", "maybe", "МОПП\u200b", "м о п п", "S", "Ы", "A, B", ",,,", ";",
        "\u202e\u202dRTL", "😀" * 5, "\ufeff", "a\x00b", "line\nbreak", "x" * 5000, "Ж" * 32767,
    ]),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10 ** 20), max_value=10 ** 20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 1, -1, 0.5, 1e-300, 1e308, -1e308, 2 ** 53 + 1, 45000, 45000.999, 2958465, 2958466,
                     -1, 18263, 73415]),
)
CELLS = st.one_of(TEXTS, NUMBERS, st.booleans(), st.none(), st.sampled_from(RAW_CELLS))


def _kind(value) -> str:
    if isinstance(value, tuple):
        return "raw XML cell (NaN, inf, error, formula, bad type …)"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "empty"
    return "text"


# -- cells of the wrong kind -------------------------------------------------------------------------

mutations = st.lists(
    st.tuples(st.sampled_from(SHEET_NAMES), st.integers(0, 4), st.integers(0, 9), CELLS),
    min_size=1, max_size=6,
)


def _mutated_book(tmp_path: Path, changes) -> Path:
    sheets = base_sheets()
    sheets["Специализации"] = [["Таб. номер", "Специализация", "Дата начала"],
                                ["1001", "Универсальный", "01.01.2020"]]
    for name, row_index, column, value in changes:
        rows = sheets[name]
        row = rows[1 + row_index % (len(rows) - 1)] if len(rows) > 1 else rows[0]
        row[column % len(row)] = value
    return write_raw_book(tmp_path / "mutated.xlsx", sheets)


def test_cells_of_every_wrong_kind_are_refused_cleanly_or_imported(database, tmp_path):
    """Random wrong cells anywhere: the import succeeds, or fails listing located Russian problems
    and changing nothing. Never any other exception."""
    count = 0

    @fuzz_settings(150)
    @given(mutations)
    def one(changes):
        nonlocal count
        count += 1
        for *_where, value in changes:
            tried("workbook: cell — " + _kind(value))
        import_or_refusal(database, _mutated_book(tmp_path, changes), dump(db_file(database)))

    one()
    assert count >= budget(150)


def test_wrong_cells_through_the_command_line(database, tmp_path):
    """The same through ``etm-desktop import``: exit 0, or exit 2 in Russian with the database unchanged."""
    target = db_file(database)
    database.dispose()
    count = 0

    @fuzz_settings(25)
    @given(mutations)
    def one(changes):
        nonlocal count
        count += 1
        tried("workbook: cell, via the CLI")
        book = _mutated_book(tmp_path, changes)
        before = dump(target)
        status, _out, err = run_cli("--db", target, "import", book)
        if status != 0:
            assert_clean_refusal(status, err, before=before, after=dump(target))
            assert "лист «" in err.lower() or "Лист «" in err

    one()
    assert count >= budget(25)


#: A value no parser of the column's kind accepts, by column key.
WRONG = {
    "date": "не дата", "hire_date": "32.13.2020", "novice_date": True, "dismissal_date": "2020-02-30",
    "start_date": 12.5e9, "valid_from": "вчера", "as_of": "1.1.1", "month": "13.2024", "amount": "много",
    "in_city": "может быть", "outside_office": "иногда", "position": "Космонавт", "specialization": "Шаман",
    "ckg": "Пираты", "potential": "Z", "kind": "Танец", "territories": True,
}


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda sheet: sheet.name)
def test_a_wrong_value_in_any_column_is_named_by_sheet_row_and_column(database, tmp_path, sheet):
    """Per sheet, one wrong value in each column in turn (text for a date, a boolean for a code …):
    the refusal names that sheet, that row and that column's header, in Russian."""
    sheets = base_sheets()
    sheets["Специализации"] = [["Таб. номер", "Специализация", "Дата начала"],
                                ["1001", "Универсальный", "01.01.2020"]]
    before = dump(db_file(database))
    for index, column in enumerate(sheet.columns):
        book = {name: [list(r) for r in rows] for name, rows in sheets.items()}
        header = book[sheet.name][0]
        position = header.index(column.header)
        book[sheet.name][1][position] = WRONG.get(column.key, True)  # True: never a code, text or date
        tried("workbook: wrong type, column by column")
        with pytest.raises(ImportFailed) as caught:
            import_workbook(database, write_raw_book(tmp_path / "c{0}.xlsx".format(index), book), today=TODAY)
        located = [p for p in caught.value.problems
                   if (p.sheet, p.row, p.column) == (sheet.name, 2, column.header)]
        assert located, (column.header, [str(p) for p in caught.value.problems])
        assert all(is_russian(p.message) for p in located)
        assert dump(db_file(database)) == before


# -- sheets and headers -----------------------------------------------------------------------------

def _layout_cases():
    base = base_sheets()
    offices = base["Офисы"]
    yield "empty sheet", {"Офисы": []}
    yield "header only", {"Офисы": [offices[0]]}
    yield "no header, data only", {"Офисы": offices[1:]}
    yield "duplicate header", {"Офисы": [offices[0] + ["Код ОП"]] + [r + ["X"] for r in offices[1:]]}
    yield "headers as numbers", {"Офисы": [[1, 2.5, True, None]] + offices[1:]}
    yield "headers blank", {"Офисы": [["", " ", "\u00a0", None]] + offices[1:]}
    yield "headers in another case with spaces", {"офисы ": [[" код  оп", "НАЗВАНИЕ", "куст", "рц "]] + offices[1:]}
    yield "header row twice", {"Офисы": [offices[0], offices[0]] + offices[1:]}
    yield "only unknown sheets", {"Лист1": [["a"]], "Офисы2": offices}
    yield "missing referenced sheets", {"Сотрудники": base["Сотрудники"], "Закрепления": base["Закрепления"]}
    yield "sheets in reverse order", dict(reversed(list(base.items())))
    yield "a sheet twice in other case", {"Офисы": offices, "ОФИСЫ": offices}
    yield "many columns", {"Офисы": [offices[0] + ["extra{0}".format(i) for i in range(500)]]
                           + [r + [i] * 500 for i, r in enumerate(offices[1:])]}
    yield "ragged rows", {"Офисы": [offices[0], ["ОП1"], ["ОП2", "Офис", "Куст", "РЦ", "лишнее", "ещё"]]}
    yield "a sheet of empty rows", {"Офисы": [offices[0]] + [[None, "", " ", None]] * 50}


@pytest.mark.parametrize("case, sheets", list(_layout_cases()), ids=[c for c, _ in _layout_cases()])
def test_odd_sheet_layouts_are_handled_without_a_crash(database, tmp_path, case, sheets):
    tried("workbook: sheet layout")
    result = import_or_refusal(database, write_raw_book(tmp_path / "layout.xlsx", sheets),
                                dump(db_file(database)), located=case != "only unknown sheets")
    if case in ("duplicate header", "no header, data only", "only unknown sheets", "headers blank",
                "headers as numbers"):
        assert isinstance(result, ImportFailed), case


def test_row_numbers_out_of_order_and_far_away(database, tmp_path):
    """Rows written out of order, twice, or at Excel's last row: read as written, no crash."""
    xml = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           'spreadsheetml/2006/main"><sheetData>'
           '<row r="1"><c r="A1" t="inlineStr"><is><t>Код ОП</t></is></c><c r="B1" t="inlineStr"><is><t>Название'
           '</t></is></c><c r="C1" t="inlineStr"><is><t>Куст</t></is></c><c r="D1" t="inlineStr"><is><t>РЦ</t>'
           '</is></c></row>'
           '<row r="3"><c r="A3" t="inlineStr"><is><t>ОП3</t></is></c></row>'
           '<row r="2"><c r="A2" t="inlineStr"><is><t>ОП2</t></is></c></row>'
           '<row r="3"><c r="A3" t="inlineStr"><is><t>ОП3</t></is></c></row>'
           '<row r="20"><c r="XFD20" t="inlineStr"><is><t>далеко</t></is></c></row>'
           "</sheetData></worksheet>")
    tried("workbook: sheet layout", 1)
    import_or_refusal(database, write_raw_book(tmp_path / "rows.xlsx", {"Офисы": xml}), dump(db_file(database)))


def test_merged_cells_formulas_and_hyperlinks_written_by_openpyxl(database, tmp_path):
    """A workbook as a person might leave it: merged header and data cells, formulas without cached
    values (=1+1, =HYPERLINK(…), =A1), a real hyperlink, dates typed as text. Refused or imported;
    a formula's text never lands in the database as data."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in base_sheets().items():
        sheet = book.create_sheet(name)
        for values in rows:
            sheet.append([v.isoformat() if isinstance(v, (date, datetime)) and name == "Клиенты" else v
                          for v in values])
    offices = book["Офисы"]
    offices.merge_cells("B2:D3")
    clients = book["Клиенты"]
    clients["C2"] = "=1+1"
    clients["C3"] = '=HYPERLINK("http://example.com","АО Завод")'
    clients["C4"] = "=A1"
    clients["C5"].hyperlink = "http://example.com"
    book["Товарооборот"]["C2"] = "=SUM(1,2)"
    book["Активность"]["B2"] = "10 января 2024"
    path = tmp_path / "person.xlsx"
    book.save(path)
    tried("workbook: merged cells, formulas, hyperlinks", 1)
    before = dump(db_file(database))
    result = import_or_refusal(database, path, before)
    assert isinstance(result, ImportFailed)  # merged cells leave required cells empty
    problems = " ".join(str(p) for p in result.problems)
    assert "«Офисы»" in problems and "строка 3" in problems

# -- numbers in columns of numbers only -----------------------------------------------------------------

SPECIAL_NUMBERS = [("raw", '<c r="{ref}"><v>NaN</v></c>'), ("raw", '<c r="{ref}"><v>inf</v></c>'),
                   ("raw", '<c r="{ref}"><v>-inf</v></c>'), ("raw", '<c r="{ref}"><v>1e400</v></c>'),
                   1e308, -1e308, 1e14, -1e14, 99_999_999_999_999.99, 1e-320, 0.005, 0.015, -0.0]


def test_a_column_of_numbers_only_with_one_odd_number(database, tmp_path):
    """Amounts that are all numbers take a vectorised path: NaN, infinities and numbers beyond what
    the database holds must be refused there too (a NaN once reached SQLite as NULL: exit 3)."""
    count = 0

    @fuzz_settings(40)
    @given(st.sampled_from(["Товарооборот", "ПДЗ"]), st.integers(1, 4),
           st.one_of(st.sampled_from(SPECIAL_NUMBERS), st.floats(), st.integers(-(10 ** 18), 10 ** 18)))
    def one(name, row, number):
        nonlocal count
        count += 1
        tried("workbook: odd number in a numbers-only column")
        sheets = base_sheets()
        for values in sheets[name][1:]:
            values[2] = 100.0
        rows = sheets[name]
        rows[row % (len(rows) - 1) + 1][2] = number
        result = import_or_refusal(database, write_raw_book(tmp_path / "numbers.xlsx", sheets),
                                    dump(db_file(database)))
        if isinstance(number, float) and (number != number or abs(number) >= 1e14):
            assert isinstance(result, ImportFailed), number

    one()
    assert count >= budget(40)


