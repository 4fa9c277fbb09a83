"""Cell parsers of the exchange workbook: examples plus round-trip properties."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etm_desktop.exchange.parsing import (
    EXCEL_EPOCH,
    parse_code,
    parse_codes,
    parse_date,
    parse_money,
    parse_month,
    parse_text,
    parse_yes_no,
)

days = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


# -- dates ------------------------------------------------------------------------------------

@given(days, st.sampled_from(["dmy", "ymd", "date", "datetime", "serial", "padded"]))
def test_a_date_written_any_accepted_way_reads_back(day, style):
    written = {
        "dmy": day.strftime("%d.%m.%Y"),
        "ymd": day.isoformat(),
        "date": day,
        "datetime": datetime(day.year, day.month, day.day, 13, 45),
        "serial": float((day - EXCEL_EPOCH).days),
        "padded": "  {0}.{1}.{2} ".format(day.day, day.month, day.year),
    }[style]
    assert parse_date(written) == day


@pytest.mark.parametrize("text", ["2024-01-05", "05.01.2024", "5.1.2024", "2024-01-05 00:00:00"])
def test_date_text_examples(text):
    assert parse_date(text) == date(2024, 1, 5)


@pytest.mark.parametrize("bad", ["", "31.02.2024", "2024-13-01", "2024/01/05", "01-05-2024", "завтра",
                                 True, 5.0, "05.01.24", timedelta(days=3)])
def test_bad_dates_are_refused_in_russian(bad):
    with pytest.raises(ValueError, match="ожидается дата"):
        parse_date(bad)


# -- months -----------------------------------------------------------------------------------

@given(days, st.sampled_from(["ym", "my", "date", "datetime", "dmy"]))
def test_a_month_written_any_accepted_way_reads_back_as_its_first_day(day, style):
    written = {
        "ym": "{0:04d}-{1:02d}".format(day.year, day.month),
        "my": "{0:02d}.{1:04d}".format(day.month, day.year),
        "date": day,
        "datetime": datetime(day.year, day.month, day.day),
        "dmy": day.strftime("%d.%m.%Y"),
    }[style]
    assert parse_month(written) == date(day.year, day.month, 1)


@pytest.mark.parametrize("bad", ["2024-13", "13.2024", "2024/01", "январь 2024", "", 3.5, False])
def test_bad_months_are_refused_in_russian(bad):
    with pytest.raises(ValueError, match="ожидается месяц"):
        parse_month(bad)


# -- money ------------------------------------------------------------------------------------

kopecks = st.decimals(min_value=Decimal("-999999999999.99"), max_value=Decimal("999999999999.99"),
                      places=2, allow_nan=False, allow_infinity=False)


def _grouped(amount: Decimal, thousands: str, decimal_mark: str) -> str:
    sign = "-" if amount < 0 else ""
    whole, fraction = "{0:.2f}".format(abs(amount)).split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + thousands.join(groups) + decimal_mark + fraction


@given(kopecks, st.sampled_from([" ", "\u00a0", "\u202f", ""]), st.sampled_from([",", "."]))
def test_money_text_with_thousand_spaces_reads_back(amount, thousands, decimal_mark):
    assert parse_money(_grouped(amount, thousands, decimal_mark)) == float(amount)


@given(kopecks)
def test_money_numbers_read_back_rounded_to_kopecks(amount):
    assert parse_money(float(amount)) == float(amount)
    assert parse_money(str(amount)) == float(amount)


def test_money_examples():
    assert parse_money("1 234,50") == 1234.5
    assert parse_money("1\u00a0234,50") == 1234.5
    assert parse_money("15 000") == 15000.0
    assert parse_money(20000) == 20000.0
    assert parse_money(" 99.999 ") == 100.0
    assert parse_money(10.004) == 10.0 and parse_money(10.006) == 10.01
    assert parse_money("-0,001") == 0.0


@pytest.mark.parametrize("bad", ["", "abc", "1.234,50", "12,34,5", "1 2 3,4,5", True, None, "--5",
                                 float("nan"), float("inf")])
def test_bad_money_is_refused_in_russian(bad):
    with pytest.raises(ValueError, match="ожидается сумма"):
        parse_money(bad)


# -- codes and text ---------------------------------------------------------------------------

code_text = st.text(alphabet=st.sampled_from("0123456789ABCKОПТ-_/"), min_size=1, max_size=12)


@given(code_text)
def test_text_codes_are_kept_as_written(code):
    assert parse_code(code) == code
    assert parse_code("  " + code + " ") == code


@given(st.integers(min_value=0, max_value=10 ** 15))
def test_a_numeric_code_cell_reads_as_the_integer_text(number):
    assert parse_code(float(number)) == str(number)
    assert parse_code(number) == str(number)


def test_leading_zeros_survive():
    assert parse_code("00123") == "00123"


@pytest.mark.parametrize("bad", ["", "   ", 12.5, True, date(2024, 1, 1)])
def test_bad_codes_are_refused(bad):
    with pytest.raises(ValueError, match="ожидается код"):
        parse_code(bad)


def test_text_cells():
    assert parse_text(" ООО Ромашка ") == "ООО Ромашка"
    assert parse_text(42.0) == "42"
    with pytest.raises(ValueError):
        parse_text("  ")


def test_codes_lists():
    assert parse_codes("T1, T2;T3 ,") == ("T1", "T2", "T3")
    assert parse_codes(7.0) == ("7",)
    with pytest.raises(ValueError):
        parse_codes(" , ")


# -- yes / no ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["Да", "да", " ДА ", "yes", "YES", "1", 1, 1.0, "true", "TRUE", True])
def test_yes(value):
    assert parse_yes_no(value) is True


@pytest.mark.parametrize("value", ["Нет", "нет", "НЕТ", "no", "0", 0, 0.0, "false", False])
def test_no(value):
    assert parse_yes_no(value) is False


@pytest.mark.parametrize("bad", ["", "может быть", 2, "ok", date(2024, 1, 1)])
def test_bad_yes_no_is_refused(bad):
    with pytest.raises(ValueError, match="«Да» или «Нет»"):
        parse_yes_no(bad)
