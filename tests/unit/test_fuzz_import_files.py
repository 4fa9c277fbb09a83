"""Importing files that are no sound workbook (issue 7): never a traceback, exit 2 in Russian,
the database unchanged, memory bounded.

Random, truncated and flipped bytes, sheet parts that are not XML, other files, a zip
bomb and an archive that lies about its sizes, one value far away, a million rows.
Cells and sheet layouts: ``test_fuzz_import.py``. Hypothesis draws the inputs; the
budget is the ``ci`` or ``fuzz`` profile of :mod:`tests.fuzz_support`.
"""

from __future__ import annotations

import random
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etm_desktop.exchange import zip_guard
from etm_desktop.exchange.errors import ImportFailed
from etm_desktop.exchange.importer import import_workbook
from etm_desktop.exchange.sheets import SHEETS
from tests.fuzz_support import (
    assert_clean_refusal, budget, db_file, dump, fuzz_settings, import_or_refusal, import_or_refusal_any,
    is_russian, run_cli, tried,
)
from tests.unit.test_exchange_support import TODAY, base_sheets, write_book
from tests.xlsx_raw import declare_sizes, write_raw_book, zip_bomb

SHEET_NAMES = [sheet.name for sheet in SHEETS]


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
        import_or_refusal_any(database, path)

    one()
    assert count >= budget(40)


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
        import_or_refusal_any(database, write_raw_book(tmp_path / "xml.xlsx", {"Офисы": xml}))

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
    result = import_or_refusal(database, _far_book(tmp_path, far_cell), dump(db_file(database)))
    if "s=" in far_cell or "AB" in far_cell:
        assert not isinstance(result, ImportFailed), result
