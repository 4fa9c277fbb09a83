"""Unbind drafts for rows the analyst selected in the control lists (blacklist, auto-unbind)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from etm_desktop.memos.draft import MemoDraft, MemoLineDraft
from etm_desktop.memos.proposals import auto_unbind_draft, held_cards
from etm_desktop.memos.store import MemoError


def blacklist_draft(database, month: date, entries: Iterable[tuple[str, str, str]],
                    on: date | None = None) -> MemoDraft:
    """Открепление of the selected blacklist rows (client, manager, reason): every held card of the group."""
    entries = list(entries)
    cards = held_cards(database, month, [(c, m) for c, m, _ in entries])
    lines: list[MemoLineDraft] = []
    for client, manager, reason in entries:
        for code in cards[(client, manager)] or [client]:
            lines.append(MemoLineDraft(len(lines) + 1, "unbind", code, from_manager=manager,
                                       reason="Чёрный список: " + reason))
    if not lines:
        raise MemoError("Не выбрано ни одного клиента из чёрного списка")
    return MemoDraft(number=None, memo_date=on or date.today(), lines=tuple(lines),
                     subject="Об откреплении клиентов из чёрного списка")


def selected_auto_unbind_draft(database, month: date, entries: Iterable[tuple[str, str]],
                               on: date | None = None) -> MemoDraft:
    """The month's auto-unbind draft for the selected (client, manager) rows only."""
    try:
        return auto_unbind_draft(database, month, on, only=list(entries))
    except MemoError:
        raise MemoError("Не выбрано ни одного клиента из списка автооткрепления") from None
