"""Helpers for the memo editor tests: no modal dialogs, waiting for live checks."""

from __future__ import annotations

from datetime import date

from tests.gui.conftest import wait_idle

DAY = date(2026, 12, 3)  # the small demo's "today"


def transfer(client: str, giver: str, receiver: str) -> dict:
    return {"action": "transfer", "client": client, "from": giver, "to": receiver}


def record_dialogs(monkeypatch) -> dict:
    """Record what the editor would ask or show in a modal dialog; answers are set per test."""
    from etm_desktop.gui.memo_editor import prompts

    record = {"warn": [], "inform": [], "override": None, "approval": None, "reject": None, "date": None,
              "path": None, "confirm": True, "asked": []}
    monkeypatch.setattr(prompts, "warn", lambda _p, title, text: record["warn"].append((title, text)))
    monkeypatch.setattr(prompts, "inform", lambda _p, title, text: record["inform"].append((title, text)))
    for name, key in (("ask_override", "override"), ("ask_approval", "approval"), ("ask_reject", "reject"),
                      ("ask_date", "date"), ("ask_save_path", "path"), ("confirm", "confirm")):
        monkeypatch.setattr(prompts, name, lambda *args, _k=key: record["asked"].append(_k) or record[_k])
    return record


def settle(qtbot, context, editor, timeout: int = 30_000) -> None:
    """Wait for the debounced live check and every background task to finish."""
    qtbot.waitUntil(lambda: not editor.checker.pending and not context.runner.busy, timeout=timeout)
    wait_idle(qtbot, context)
    qtbot.waitUntil(lambda: not editor.checker.pending and not context.runner.busy, timeout=timeout)
