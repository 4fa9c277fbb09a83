"""Importing malformed workbooks (issue 7): never a traceback, exit 2 in Russian, the database unchanged.

Cells of every wrong kind in every column (numbers as text and text as numbers,
NaN, infinities, huge numbers, formulas, error values, dates as text, junk
Unicode, shared strings that do not exist …), broken sheet layouts (missing,
empty, doubled headers, merged cells), files that are no workbook at all, a zip
bomb and an archive that lies about its sizes. Hypothesis draws the inputs; the
budget is the ``ci`` or ``fuzz`` profile of :mod:`tests.fuzz_support`.
"""

from __future__ import annotations

import random
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etm_desktop.exchange import zip_guard
from etm_desktop.exchange.errors import ImportFailed
from etm_desktop.exchange.importer import import_workbook
from etm_desktop.exchange.sheets import SHEETS
from tests.fuzz_support import assert_clean_refusal, budget, dump, fuzz_settings, is_russian, run_cli, tried
from tests.unit.test_exchange_support import TODAY, base_sheets, write_book
from tests.xlsx_raw import declare_sizes, write_raw_book, zip_bomb

SHEET_NAMES = [sheet.name for sheet in SHEETS]


def db_file(database) -> str:
    return database.target


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


def _assert_refusal_is_located(error: ImportFailed) -> None:
    """Every problem of a broken cell or row names its sheet and is in Russian."""
    assert error.problems, "a refusal without a problem"
    for problem in error.problems:
        assert problem.sheet in SHEET_NAMES, problem
        assert is_russian(problem.message), problem
    assert is_russian(str(error))


def _import_or_refusal(database, path: Path, before: str, *, located: bool = True):
    """Import ``path``: a report, or an ImportFailed with (located) Russian problems and nothing changed."""
    try:
        return import_workbook(database, path, today=TODAY)
    except ImportFailed as error:
        if located or error.problems[0].sheet is not None:
            _assert_refusal_is_located(error)
        assert is_russian(str(error))
        assert dump(db_file(database)) == before, "a refused import changed the database"
        return error


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
        _import_or_refusal(database, _mutated_book(tmp_path, changes), dump(db_file(database)))

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
    result = _import_or_refusal(database, write_raw_book(tmp_path / "layout.xlsx", sheets),
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
    _import_or_refusal(database, write_raw_book(tmp_path / "rows.xlsx", {"Офисы": xml}), dump(db_file(database)))


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
    result = _import_or_refusal(database, path, before)
    assert isinstance(result, ImportFailed)  # merged cells leave required cells empty
    problems = " ".join(str(p) for p in result.problems)
    assert "«Офисы»" in problems and "строка 3" in problems


# -- files that are not workbooks ---------------------------------------------------------------------

def test_random_bytes_are_refused_as_unreadable(database, tmp_path):
    before = dump(db_file(database))
    count = 0

    @fuzz_settings(40)
    @given(st.one_of(st.binary(max_size=4096),
                     st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
                     st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass"))))
    def one(content):
        nonlocal count
        count += 1
        tried("file: random bytes / text")
        path = tmp_path / "junk.xlsx"
        path.write_bytes(content)
        with pytest.raises(ImportFailed) as caught:
            import_workbook(database, path, today=TODAY)
        [problem] = caught.value.problems
        assert problem.sheet is None and is_russian(problem.message)

    one()
    assert count >= budget(40)
    assert dump(db_file(database)) == before


def test_a_workbook_cut_short_anywhere_is_refused_or_read(database, tmp_path):
    whole = write_book(tmp_path / "whole.xlsx", base_sheets()).read_bytes()
    before = dump(db_file(database))
    count = 0

    @fuzz_settings(40)
    @given(st.integers(0, len(whole) - 1))
    def one(cut):
        nonlocal count
        count += 1
        tried("file: truncated workbook")
        path = tmp_path / "cut.xlsx"
        path.write_bytes(whole[:cut])
        with pytest.raises(ImportFailed) as caught:
            import_workbook(database, path, today=TODAY)
        assert all(is_russian(p.message) for p in caught.value.problems)

    one()
    assert count >= budget(40)
    assert dump(db_file(database)) == before


def test_a_workbook_with_flipped_bytes_never_crashes(database, tmp_path):
    whole = write_book(tmp_path / "whole.xlsx", base_sheets()).read_bytes()
    count = 0

    @fuzz_settings(40)
    @given(st.lists(st.tuples(st.integers(0, len(whole) - 1), st.integers(0, 255)), min_size=1, max_size=8))
    def one(flips):
        nonlocal count
        count += 1
        tried("file: workbook with flipped bytes")
        data = bytearray(whole)
        for at, byte in flips:
            data[at] = byte
        path = tmp_path / "flipped.xlsx"
        path.write_bytes(bytes(data))
        _import_or_refusal_any(database, path)

    one()
    assert count >= budget(40)


def _import_or_refusal_any(database, path: Path) -> None:
    """Like :func:`_import_or_refusal`, but a file-level problem (no sheet) is fine too."""
    before = dump(db_file(database))
    try:
        import_workbook(database, path, today=TODAY)
    except ImportFailed as error:
        assert all(is_russian(p.message) for p in error.problems)
        assert dump(db_file(database)) == before


def test_sheet_xml_that_is_not_xml_is_refused(database, tmp_path):
    count = 0

    @fuzz_settings(30)
    @given(st.one_of(st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
                     st.sampled_from(["", "<worksheet>", "<worksheet><sheetData><row r='x'/>",
                                      "<?xml version='1.0' encoding='UTF-16'?><worksheet/>",
                                      "<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]>"
                                      "<worksheet><sheetData><row r='1'><c r='A1' t='inlineStr'><is><t>&b;</t>"
                                      "</is></c></row></sheetData></worksheet>"])))
    def one(xml):
        nonlocal count
        count += 1
        tried("file: sheet part that is not XML")
        _import_or_refusal_any(database, write_raw_book(tmp_path / "xml.xlsx", {"Офисы": xml}))

    one()
    assert count >= budget(30)


@pytest.mark.parametrize("name, content", [
    ("empty.xlsx", b""),
    ("notes.txt", "Код ОП;Название\nОП1;Офис\n".encode()),
    ("table.csv", "Код ОП,Название,Куст,РЦ\nОП1,Офис,Куст,РЦ\n".encode("cp1251")),
    ("page.xlsx", b"<html><body>404</body></html>"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
])
def test_other_files_exit_2_through_the_command_line(database, tmp_path, name, content):
    target = db_file(database)
    database.dispose()
    path = tmp_path / name
    path.write_bytes(content)
    before = dump(target)
    tried("file: not a workbook, via the CLI")
    status, _out, err = run_cli("--db", target, "import", path)
    assert_clean_refusal(status, err, before=before, after=dump(target))


def test_a_zip_of_other_things_is_refused(database, tmp_path):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(20):
            archive.writestr("photo{0}.jpg".format(i), random.Random(i).randbytes(100))
    tried("file: zip of other things")
    with pytest.raises(ImportFailed) as caught:
        import_workbook(database, path, today=TODAY)
    assert is_russian(str(caught.value))


# -- archives that expand beyond reason -----------------------------------------------------------------

def test_a_zip_bomb_is_refused_before_reading(database, tmp_path):
    """3 GB of sheet XML in a 3 MB file: refused at once from the archive's directory, exit 2, unchanged."""
    bomb = zip_bomb(tmp_path / "bomb.xlsx", "Офисы", 3 * 1024 ** 3)
    assert bomb.stat().st_size < 10 * 1024 ** 2
    target = db_file(database)
    database.dispose()
    before = dump(target)
    tried("file: zip bomb (3 GB)")
    started = time.perf_counter()
    status, _out, err = run_cli("--db", target, "import", bomb)
    assert time.perf_counter() - started < 20
    assert_clean_refusal(status, err, before=before, after=dump(target))
    assert "zip-бомб" in err and "xl/worksheets/sheet1.xml" in err


def test_a_part_compressed_far_beyond_any_workbook_is_refused(database, tmp_path):
    """Below the size limits but 1000 times smaller than it expands: refused by the ratio check."""
    bomb = zip_bomb(tmp_path / "dense.xlsx", "Офисы", 64 * 1024 ** 2)
    tried("file: zip bomb (ratio)")
    with pytest.raises(ImportFailed) as caught:
        import_workbook(database, bomb, today=TODAY)
    [problem] = caught.value.problems
    assert "раз больше своего сжатого размера" in problem.message


def test_the_limits_themselves(database, tmp_path, monkeypatch):
    """Each limit refuses on its own: one part, all parts, the number of parts."""
    book = write_book(tmp_path / "book.xlsx", base_sheets())
    monkeypatch.setattr(zip_guard, "MAX_PART_BYTES", 1000)
    with pytest.raises(ImportFailed, match="при распаковке занимает"):
        import_workbook(database, book, today=TODAY)
    monkeypatch.setattr(zip_guard, "MAX_PART_BYTES", 10 ** 9)
    monkeypatch.setattr(zip_guard, "MAX_TOTAL_BYTES", 5000)
    with pytest.raises(ImportFailed, match="книга при распаковке занимает"):
        import_workbook(database, book, today=TODAY)
    monkeypatch.setattr(zip_guard, "MAX_TOTAL_BYTES", 10 ** 9)
    monkeypatch.setattr(zip_guard, "MAX_PARTS", 3)
    with pytest.raises(ImportFailed, match="частей"):
        import_workbook(database, book, today=TODAY)
    monkeypatch.setattr(zip_guard, "MAX_PARTS", 10_000)
    assert import_workbook(database, book, today=TODAY).changed
    tried("file: archive limits", 4)


def test_an_archive_that_lies_about_its_sizes_is_refused(database, tmp_path):
    """A sheet declaring 1 KB that expands to 8 MB: the reader stops at the declared size."""
    rows = [["Код ОП", "Название", "Куст", "РЦ"]] + [["ОП{0}".format(i), "Офис", "Куст", "РЦ"]
                                                      for i in range(50_000)]
    book = declare_sizes(write_raw_book(tmp_path / "liar.xlsx", {"Офисы": rows}),
                         "xl/worksheets/sheet1.xml", 1000)
    before = dump(db_file(database))
    tried("file: archive lying about sizes")
    with pytest.raises(ImportFailed) as caught:
        import_workbook(database, book, today=TODAY)
    assert all(is_russian(p.message) for p in caught.value.problems)
    assert dump(db_file(database)) == before


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
        result = _import_or_refusal(database, write_raw_book(tmp_path / "numbers.xlsx", sheets),
                                    dump(db_file(database)))
        if isinstance(number, float) and (number != number or abs(number) >= 1e14):
            assert isinstance(result, ImportFailed), number

    one()
    assert count >= budget(40)


# -- a million rows -----------------------------------------------------------------------------------

def _million_turnover_rows(clients: int = 33_334, months: int = 30, total: int = 1_000_000):
    number = 2
    for client in range(clients):
        for month in range(months):
            if number > total + 1:
                return
            yield ('<row r="{0}"><c r="A{0}" t="inlineStr"><is><t>K{1:05d}</t></is></c><c r="B{0}" '
                   't="inlineStr"><is><t>20{2:02d}-{3:02d}</t></is></c><c r="C{0}"><v>{4}</v></c></row>').format(
                number, client, 24 + month // 12, month % 12 + 1, 1000 + client)
            number += 1


def test_a_million_rows_are_refused_within_bounded_memory(tmp_path):
    """A million turnover rows of clients the database does not know (the workbook is streamed
    into the zip, ~17 MB): ``etm-desktop import`` as a real process refuses it, counting every
    error, with a peak resident set (ru_maxrss) of at most 500 MB, and the database unchanged."""
    import json
    import os
    import subprocess
    import sys

    from tests.xlsx_raw import write_streamed_sheet

    book = write_streamed_sheet(tmp_path / "million.xlsx", "Товарооборот", ["Код клиента", "Месяц", "Сумма"],
                                _million_turnover_rows())
    target = tmp_path / "million.sqlite"
    status, _out, err = run_cli("--db", target, "check", "--month", "2026-10")  # a fresh database
    assert status == 0, err
    before = dump(target)
    result = tmp_path / "measure.json"
    repo = Path(__file__).resolve().parents[2]
    tried("workbook: a million rows, real process")
    done = subprocess.run(
        [sys.executable, "-m", "tests.perf.measure", str(result),
         sys.executable, "-m", "etm_desktop", "--db", str(target), "import", str(book)],
        cwd=repo, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), capture_output=True, text=True,
        encoding="utf-8", timeout=600)
    measured = json.loads(result.read_text(encoding="utf-8"))
    assert done.returncode == 2, done.stderr[-2000:]
    first = done.stderr.splitlines()[0]
    assert "1000000 ошибок" in first and "Traceback" not in done.stderr
    assert measured["maxrss_kb"] <= 500 * 1024, measured
    assert dump(target) == before


# -- a few cells far away ---------------------------------------------------------------------------------

def _far_book(tmp_path: Path, far_cell: str) -> Path:
    offices = base_sheets()["Офисы"]
    body = "".join(
        '<row r="{0}">{1}</row>'.format(n, "".join(
            '<c r="{0}{1}" t="inlineStr"><is><t>{2}</t></is></c>'.format("ABCD"[i], n, v) for i, v in enumerate(r)))
        for n, r in enumerate(offices, start=1))
    number = "".join(ch for ch in far_cell.split('"')[1] if ch.isdigit())
    xml = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           'spreadsheetml/2006/main"><sheetData>{0}<row r="{1}">{2}</row></sheetData></worksheet>').format(
        body, number, far_cell)
    return write_raw_book(tmp_path / "far.xlsx", {"Офисы": xml})


@pytest.mark.parametrize("far_cell", ['<c r="XFD1048576"><v>1</v></c>', '<c r="ZZ1048576"><v>1</v></c>',
                                      '<c r="XFD5000" t="inlineStr"><is><t></t></is></c>',
                                      '<c r="Z999999"><v>1</v></c>'])
def test_one_value_far_away_is_refused_before_the_reader_lays_the_sheet_out(database, tmp_path, far_cell):
    """A file of a few hundred bytes whose one far cell would make the reader allocate up to
    half a terabyte (the process used to die on it, past any Python handler): exit 2, named."""
    book = _far_book(tmp_path, far_cell)
    assert book.stat().st_size < 5000
    target = db_file(database)
    database.dispose()
    before = dump(target)
    tried("file: one value far away (sparse sheet)")
    status, _out, err = run_cli("--db", target, "import", book)
    assert_clean_refusal(status, err, before=before, after=dump(target))
    assert "млн ячеек" in err and "xl/worksheets/sheet1.xml" in err


@pytest.mark.parametrize("far_cell", ['<c r="XFD1048576" s="1"/>', '<c r="A1048576"><v>1</v></c>',
                                      '<c r="AB70"><v>1</v></c>'])
def test_formatting_far_away_or_a_long_narrow_sheet_is_read(database, tmp_path, far_cell):
    """A formatted cell without a value is ignored by the reader and by the check; a million rows
    in one column or a few columns past Z are ordinary: read, then judged row by row."""
    tried("file: far formatting, long narrow sheet")
    result = _import_or_refusal(database, _far_book(tmp_path, far_cell), dump(db_file(database)))
    if "s=" in far_cell or "AB" in far_cell:
        assert not isinstance(result, ImportFailed), result
