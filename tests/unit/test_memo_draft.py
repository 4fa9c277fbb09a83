"""parse_memo: the form of a memo draft (interfaces.md, ``memo check``).

Every malformed shape is a :class:`MemoFormatError` with a Russian message that
says where; a well-formed draft comes back typed, lines numbered from 1.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from etm_desktop.memos.draft import ACTIONS, MemoDraft, MemoFormatError, MemoLineDraft, parse_memo

LINE = {"action": "transfer", "client": "K17", "from": "1001", "to": "1002"}
CYRILLIC = re.compile("[А-Яа-яЁё]")


def memo(**fields) -> dict:
    data = {"number": "СЗ-2026-041", "date": "2026-11-05", "lines": [dict(LINE)]}
    data.update(fields)
    return data


def format_error(data) -> str:
    """The message of the MemoFormatError that ``data`` raises; fails if it parses."""
    with pytest.raises(MemoFormatError) as caught:
        parse_memo(data)
    message = str(caught.value)
    assert CYRILLIC.search(message), f"not a Russian message: {message!r}"
    return message


# -- the whole document ---------------------------------------------------------------

def test_a_memo_error_is_a_value_error():
    assert issubclass(MemoFormatError, ValueError)


@pytest.mark.parametrize("data", [[LINE], "СЗ", 17, None, True])
def test_not_an_object(data):
    assert "JSON-объектом" in format_error(data)


def test_no_date():
    data = memo()
    del data["date"]
    assert "«date»" in format_error(data)


@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30", "05/11/2026", "5 ноября 2026", "", "завтра"])
def test_bad_date_text(value):
    message = format_error(memo(date=value))
    assert "«date»" in message
    assert "не дата" in message


@pytest.mark.parametrize("value", [20261105, None, ["2026-11-05"], {"y": 2026}])
def test_date_not_text(value):
    assert "«date»" in format_error(memo(date=value))


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-05", date(2026, 11, 5)),
    ("05.11.2026", date(2026, 11, 5)),
    ("  29.02.2024 ", date(2024, 2, 29)),
    ("2009-12-15", date(2009, 12, 15)),
])
def test_both_date_formats(text, expected):
    assert parse_memo(memo(date=text)).memo_date == expected


@pytest.mark.parametrize("lines", [[], None, "transfer", {"action": "transfer", "client": "K17"}])
def test_lines_empty_or_not_a_list(lines):
    assert "«lines»" in format_error(memo(lines=lines))


def test_lines_absent():
    data = memo()
    del data["lines"]
    assert "«lines»" in format_error(data)


# -- one line -------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["transfer K17", ["transfer", "K17"], 5, None])
def test_a_line_not_an_object_is_named_by_its_number(bad):
    message = format_error(memo(lines=[dict(LINE), bad]))
    assert message.startswith("Строка 2:")
    assert "объект" in message


@pytest.mark.parametrize("action", ["move", "Transfer", "закрепить", ""])
def test_unknown_action(action):
    message = format_error(memo(lines=[dict(LINE, action=action)]))
    assert message.startswith("Строка 1:")
    assert "неизвестное действие" in message
    for known in ACTIONS:  # the message lists what is allowed
        assert known in message


def test_absent_action():
    line = dict(LINE)
    del line["action"]
    assert "неизвестное действие" in format_error(memo(lines=[line]))


@pytest.mark.parametrize("client", [None, "", "   "])
def test_missing_client(client):
    line = dict(LINE, client=client)
    message = format_error(memo(lines=[dict(LINE), line]))
    assert message.startswith("Строка 2:")
    assert "«client»" in message


def test_absent_client():
    line = dict(LINE)
    del line["client"]
    assert "не указан код клиента" in format_error(memo(lines=[line]))


@pytest.mark.parametrize(("field", "value"), [
    ("action", ["transfer"]),
    ("client", ["K17"]),
    ("client", {"code": "K17"}),
    ("client", True),
    ("from", 10.5),
    ("to", ["1002"]),
    ("to", False),
    ("head", {"code": "K1"}),
    ("potential", 1.0),
    ("reason", ["потенциал A"]),
    ("basis", {"text": "обоснование"}),
])
def test_wrong_field_types(field, value):
    message = format_error(memo(lines=[dict(LINE, **{field: value})]))
    assert message.startswith("Строка 1, поле «")
    assert "ожидался текст" in message


@pytest.mark.parametrize("field", ["number", "author", "subject", "override_reason"])
def test_wrong_type_of_a_memo_field(field):
    assert f"«{field}»" in format_error(memo(**{field: ["x"]}))


# -- what a well-formed memo gives ----------------------------------------------------

def test_a_full_memo_comes_back_typed():
    draft = parse_memo({
        "number": "СЗ-2026-041", "date": "2026-11-05", "author": "МКА Петрова", "subject": "Перезакрепление",
        "lines": [
            {"action": "transfer", "client": "K17", "from": "1001", "to": "1002"},
            {"action": "from_ook", "client": "K90", "to": "1002", "potential": "A", "reason": " нет доступа в ООК "},
            {"action": "link_140", "client": "K91", "head": "K90"},
        ],
    })
    assert draft == MemoDraft(
        number="СЗ-2026-041", memo_date=date(2026, 11, 5), author="МКА Петрова", subject="Перезакрепление",
        lines=(
            MemoLineDraft(1, "transfer", "K17", from_manager="1001", to_manager="1002"),
            MemoLineDraft(2, "from_ook", "K90", to_manager="1002", potential="A", reason="нет доступа в ООК"),
            MemoLineDraft(3, "link_140", "K91", head="K90"),
        ),
    )


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_is_accepted(action):
    assert parse_memo(memo(lines=[{"action": action, "client": "K1"}])).lines[0].action == action


def test_reason_and_basis_are_both_accepted():
    by_reason = parse_memo(memo(lines=[dict(LINE, reason="потенциал A, тендер")]))
    by_basis = parse_memo(memo(lines=[dict(LINE, basis="потенциал A, тендер")]))
    assert by_reason.lines[0].reason == by_basis.lines[0].reason == "потенциал A, тендер"
    assert parse_memo(memo()).lines[0].reason is None


@pytest.mark.parametrize("empty", [None, "", "  "])
def test_an_empty_reason_does_not_hide_the_basis(empty):
    """A form that writes both keys, one left blank, still carries the justification."""
    line = parse_memo(memo(lines=[dict(LINE, reason=empty, basis="тендер на 2 млн")])).lines[0]
    assert line.reason == "тендер на 2 млн"


def test_a_basis_of_the_wrong_type_names_its_field():
    assert "«basis»" in format_error(memo(lines=[dict(LINE, basis=["x"])]))


def test_blank_optional_fields_read_as_absent():
    draft = parse_memo({"date": "2026-11-05",
                        "lines": [{"action": "bind", "client": " K17 ", "to": "  ", "reason": ""}]})
    assert draft.number is None
    assert draft.lines[0] == MemoLineDraft(1, "bind", "K17")


def test_numbers_are_read_as_codes():
    """A tab number typed as a JSON number is the same tab number."""
    line = parse_memo(memo(lines=[{"action": "transfer", "client": 17, "from": 1001, "to": 1002}])).lines[0]
    assert (line.client, line.from_manager, line.to_manager) == ("17", "1001", "1002")


def test_lines_are_numbered_from_one_in_order():
    draft = parse_memo(memo(lines=[dict(LINE, client=f"K{i}") for i in range(1, 4)]))
    assert [(line.line_no, line.client) for line in draft.lines] == [(1, "K1"), (2, "K2"), (3, "K3")]
