"""A memo draft as the analyst writes it (interfaces.md, ``memo check``), checked for form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from etm_desktop.exchange.parsing import parse_date

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


def _text(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise MemoFormatError(f"{where}: ожидался текст, получено {value!r}")
    text = str(value).strip()
    return text or None


def _date(value: Any) -> date:
    if not isinstance(value, str):
        raise MemoFormatError("Поле «date»: ожидалась дата ГГГГ-ММ-ДД или ДД.ММ.ГГГГ")
    try:
        return parse_date(value)
    except ValueError:
        raise MemoFormatError(f"Поле «date»: «{value}» — не дата (ожидалось ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)") from None


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
        action = _text(raw.get("action"), f"{where}, поле «action»")
        if action not in ACTIONS:
            raise MemoFormatError(
                "{0}: неизвестное действие «{1}»; допустимы: {2}".format(where, action, ", ".join(ACTIONS))
            )
        client = _text(raw.get("client"), f"{where}, поле «client»")
        if client is None:
            raise MemoFormatError(f"{where}: не указан код клиента («client»)")
        lines.append(
            MemoLineDraft(
                line_no=number,
                action=action,
                client=client,
                from_manager=_text(raw.get("from"), f"{where}, поле «from»"),
                to_manager=_text(raw.get("to"), f"{where}, поле «to»"),
                head=_text(raw.get("head"), f"{where}, поле «head»"),
                potential=_text(raw.get("potential"), f"{where}, поле «potential»"),
                reason=_text(raw.get("reason"), f"{where}, поле «reason»")
                or _text(raw.get("basis"), f"{where}, поле «basis»"),
            )
        )
    return MemoDraft(
        number=_text(data.get("number"), "Поле «number»"),
        memo_date=memo_date,
        lines=tuple(lines),
        author=_text(data.get("author"), "Поле «author»"),
        subject=_text(data.get("subject"), "Поле «subject»"),
        override_reason=_text(data.get("override_reason"), "Поле «override_reason»"),
    )
