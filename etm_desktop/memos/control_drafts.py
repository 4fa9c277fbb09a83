"""Unbind drafts for rows the analyst selected in the control lists (blacklist, auto-unbind)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from etm_desktop.compliance.service import prepared_inputs
from etm_desktop.domain.calendar import month_end
from etm_desktop.memos.draft import MemoDraft, MemoLineDraft
from etm_desktop.memos.proposals import auto_unbind_draft
from etm_desktop.memos.store import MemoError
from etm_desktop.norms.store import NormBook


def held_cards(database, month: date, entries: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    """(group client, manager) → codes of that group's cards the manager holds at the month's end (I9)."""
    norms = NormBook.load(database).in_force(month_end(month))
    inputs = prepared_inputs(database, month_end(month), month, norms)
    clients, bindings = inputs.clients, inputs.bindings
    tabs = dict(zip(inputs.employees["tab_no"], inputs.employees["id"]))
    result = {}
    for client, manager in entries:
        found = clients.index[clients["code"] == client]
        if len(found) == 0 or manager not in tabs:
            result[(client, manager)] = []
            continue
        members = clients.index[clients["group_id"] == clients.at[found[0], "group_id"]]
        held = bindings[(bindings["employee_id"] == tabs[manager]) & bindings["client_id"].isin(members)]
        result[(client, manager)] = sorted(clients.loc[held["client_id"], "code"])
    return result


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
    """The month's auto-unbind draft, keeping only the lines of the selected (client, manager) rows."""
    entries = list(entries)
    draft = auto_unbind_draft(database, month, on)
    cards = held_cards(database, month, entries)
    keep = {(code, manager) for (_, manager), codes in cards.items() for code in codes}
    keep |= set(entries)
    lines = [line for line in draft.lines if (line.client, line.from_manager) in keep]
    if not lines:
        raise MemoError("Не выбрано ни одного клиента из списка автооткрепления")
    renumbered = tuple(MemoLineDraft(n, l.action, l.client, l.from_manager, l.to_manager, l.head, l.potential,
                                     l.reason) for n, l in enumerate(lines, start=1))
    return MemoDraft(number=draft.number, memo_date=draft.memo_date, lines=renumbered, subject=draft.subject)
