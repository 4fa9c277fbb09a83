"""A memo draft as the analyst writes it (interfaces.md, ``memo check``), checked for form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from etm_desktop.db.models import Memo, MemoLine
from etm_desktop.exchange.parsing import CODE_LENGTH, EXCEL_EPOCH, SERIAL_RANGE, parse_date

ACTIONS = ("bind", "unbind", "transfer", "to_ook", "from_ook", "link_140", "multi_bind")

#: Russian names of the actions, for messages, the GUI and the printed memo.
ACTION_TITLES = {
    "bind": "Закрепить",
    "unbind": "Открепить",
    "transfer": "Перезакрепить",
    "to_ook": "Передать в ООК",
    "from_ook": "Закрепить из ООК",
    "link_140": "Связать (признак 140)",
    "multi_bind": "Множественная классификация",
}


class MemoFormatError(ValueError):
    """The memo file is not a memo: the message says where, in Russian."""


def _length(column) -> int:
    return column.type.length


#: The longest text each field may hold: what the database's column keeps (the potential, one
#: letter once normalised, is let through as long as a code and judged by the line rules).
FIELD_LENGTHS = {
    "number": _length(Memo.__table__.c.number), "author": _length(Memo.__table__.c.author),
    "subject": _length(Memo.__table__.c.subject), "action": _length(MemoLine.__table__.c.action),
    "client": _length(MemoLine.__table__.c.client_code), "from": _length(MemoLine.__table__.c.from_tab_no),
    "to": _length(MemoLine.__table__.c.to_tab_no), "head": _length(MemoLine.__table__.c.head_code),
    "potential": CODE_LENGTH,
}
#: Free text (a reason, a basis) beyond this is not a memo any more.
TEXT_LENGTH = 10_000
#: A memo's date lies in these years (as the exchange's dates do).
FIRST_DAY = EXCEL_EPOCH + timedelta(days=SERIAL_RANGE[0])
LAST_DAY = EXCEL_EPOCH + timedelta(days=SERIAL_RANGE[1])


@dataclass(frozen=True)
class MemoLineDraft:
    line_no: int
    action: str
    client: str
    from_manager: str | None = None
    to_manager: str | None = None
    head: str | None = None
    potential: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class MemoDraft:
    number: str | None
    memo_date: date
    lines: tuple[MemoLineDraft, ...]
    author: str | None = None
    subject: str | None = None
    override_reason: str | None = None


def _shown(value: Any) -> str:
    """A wrong value quoted back, cut short (a memo file may hold megabytes in one field)."""
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # an int beyond str()'s digit limit, a self-nested list
        text = "<{0}>".format(type(value).__name__)
    return text if len(text) <= 80 else text[:77] + "…"


def _text(value: Any, where: str, field: str | None = None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise MemoFormatError(f"{where}: ожидался текст, получено {_shown(value)}")
    if isinstance(value, int) and value.bit_length() > 64:
        raise MemoFormatError(f"{where}: ожидался текст или код, получено число из слишком многих цифр")
    text = str(value).strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise MemoFormatError(f"{where}: недопустимые символы (непарные суррогаты UTF-16)") from None
    limit = FIELD_LENGTHS.get(field, TEXT_LENGTH)
    if len(text) > limit:
        raise MemoFormatError(f"{where}: слишком длинный текст ({len(text)} знаков, допустимо не более {limit})")
    return text or None


def _date(value: Any) -> date:
    if not isinstance(value, str):
        raise MemoFormatError("Поле «date»: ожидалась дата ГГГГ-ММ-ДД или ДД.ММ.ГГГГ")
    try:
        day = parse_date(value)
    except ValueError:
        shown = value if len(value) <= 40 else value[:39] + "…"
        raise MemoFormatError(f"Поле «date»: «{shown}» — не дата (ожидалось ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise MemoFormatError("Поле «date»: {0:02d}.{1:02d}.{2:04d} — вне допустимых лет {3}–{4}".format(
            day.day, day.month, day.year, FIRST_DAY.year, LAST_DAY.year))
    return day


def parse_memo(data: Any) -> MemoDraft:
    """Check the form of a memo draft (a JSON object) and return it typed.

    Only the form is checked here; whether the clients and managers exist and
    what the memo breaks is :func:`etm_desktop.memos.validation.check_memo`'s job.
    """
    if not isinstance(data, dict):
        raise MemoFormatError("Служебная записка должна быть JSON-объектом с полями «date» и «lines»")
    if "date" not in data:
        raise MemoFormatError("Нет поля «date» (дата служебной записки)")
    memo_date = _date(data["date"])
    raw_lines = data.get("lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise MemoFormatError("Поле «lines» должно быть непустым списком строк записки")
    lines = []
    for number, raw in enumerate(raw_lines, start=1):
        where = f"Строка {number}"
        if not isinstance(raw, dict):
            raise MemoFormatError(f"{where}: ожидался объект с полями «action» и «client»")
        action = _text(raw.get("action"), f"{where}, поле «action»", "action")
        if action not in ACTIONS:
            raise MemoFormatError(
                "{0}: неизвестное действие «{1}»; допустимы: {2}".format(where, action, ", ".join(ACTIONS))
            )
        client = _text(raw.get("client"), f"{where}, поле «client»", "client")
        if client is None:
            raise MemoFormatError(f"{where}: не указан код клиента («client»)")
        lines.append(
            MemoLineDraft(
                line_no=number,
                action=action,
                client=client,
                from_manager=_text(raw.get("from"), f"{where}, поле «from»", "from"),
                to_manager=_text(raw.get("to"), f"{where}, поле «to»", "to"),
                head=_text(raw.get("head"), f"{where}, поле «head»", "head"),
                potential=_text(raw.get("potential"), f"{where}, поле «potential»", "potential"),
                reason=_text(raw.get("reason"), f"{where}, поле «reason»", "reason")
                or _text(raw.get("basis"), f"{where}, поле «basis»", "basis"),
            )
        )
    return MemoDraft(
        number=_text(data.get("number"), "Поле «number»", "number"),
        memo_date=memo_date,
        lines=tuple(lines),
        author=_text(data.get("author"), "Поле «author»", "author"),
        subject=_text(data.get("subject"), "Поле «subject»", "subject"),
        override_reason=_text(data.get("override_reason"), "Поле «override_reason»", "override_reason"),
    )
