"""Two writers at once on the same database: memo numbers, norm sets, and real racing processes.

Writers are other Database objects (other engines) on the fixture's target, threads, and
``etm-desktop`` processes started with ``--db`` on that target — nothing here names a
SQLite file, so the tests run on PostgreSQL as well.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from etm_desktop.db.models import AuditRecord, Binding, Client, Memo, MemoApproval
from etm_desktop.memos import store
from etm_desktop.memos.lifecycle import approve
from etm_desktop.memos.store import MemoConflict, MemoStatus, get_memo, list_memos, save_draft
from etm_desktop.norms.loader import load_norm_documents
from etm_desktop.norms.store import NormBook, NormConflict, add_norm_set, norms_stamp
from tests.conflict_support import (  # noqa: F401 - fixtures
    ME, OTHER, approved, other, retry_text, shop, submitted, target,
)
from tests.memo_support import draft, transfer

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 3)


# -- memo numbers -------------------------------------------------------------------------------------

def test_new_drafts_saved_at_once_by_two_analysts_get_different_numbers(database, other):
    """Two Databases, two threads, six drafts each, started together: twelve numbers, no gap."""
    line = transfer("K1", "1001", "1002")
    barrier = threading.Barrier(2)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def analyst(db, who):
        try:
            barrier.wait()
            for _ in range(6):
                numbers.append(save_draft(db, draft(line), who=who))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=analyst, args=(db, who)) for db, who in ((database, ME), (other, OTHER))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert sorted(numbers) == [f"СЗ-2026-{n:03d}" for n in range(1, 13)]


def test_a_number_taken_between_reading_and_writing_is_not_reused(database, other, monkeypatch):
    """Deterministic: both read the same next number; the first to write keeps it, the second takes the next."""
    real_next = store.next_number
    raced = []

    def next_then_other_saves(session, year):
        number = real_next(session, year)
        if not raced:
            raced.append(True)
            raced.append(save_draft(other, draft(transfer("K1", "1001", "1002")), who=OTHER))
        return number

    monkeypatch.setattr(store, "next_number", next_then_other_saves)
    mine = save_draft(database, draft(transfer("K2", "1001", "1002")), who=ME)
    assert raced[1] == "СЗ-2026-001" and mine == "СЗ-2026-002"
    stored = [get_memo(database, n).draft for n in (raced[1], mine)]
    assert [(d.author, d.lines[0].client) for d in stored] == [(OTHER, "K1"), (ME, "K2")]


def test_a_given_number_created_meanwhile_by_another_is_a_conflict(database, other):
    """A draft with its own number (memo new FILE with "number") that another analyst stored first:
    read as free, taken by the other before this transaction's first write."""
    from sqlalchemy import event

    raced = []

    def other_creates_first(_session, _context, _instances):
        if not raced:
            raced.append(save_draft(other, draft(transfer("K1", "1001", "1002"), number="СЗ-2026-050"), who=OTHER))

    event.listen(database.sessions, "before_flush", other_creates_first)
    try:
        with pytest.raises(MemoConflict) as conflict:
            save_draft(database, draft(transfer("K2", "1001", "1002"), number="СЗ-2026-050"), who=ME)
    finally:
        event.remove(database.sessions, "before_flush", other_creates_first)
    assert str(conflict.value).startswith(f"Записку СЗ-2026-050 изменил другой пользователь ({OTHER}, создание)")
    assert get_memo(database, "СЗ-2026-050").draft.lines[0].client == "K1"


# -- norm sets ---------------------------------------------------------------------------------------------

def _norm_document(start: str, name: str = "Новые нормы") -> dict:
    document = json.loads(json.dumps(load_norm_documents()[-1], default=str))
    document.update(name=name, effective_from=start)
    return document


def test_a_set_built_on_norms_another_analyst_changed_is_refused(database, other):
    seen = norms_stamp(database)
    add_norm_set(other, _norm_document("2027-01-01", "КБ 45"), who=OTHER, today=TODAY)
    with pytest.raises(NormConflict) as conflict:
        add_norm_set(database, _norm_document("2027-02-01"), who=ME, today=TODAY, expected_stamp=seen)
    assert str(conflict.value) == (
        "Нормы изменил другой пользователь ({0}, новый набор с 01.01.2027) {1}; данные обновлены, повторите "
        "действие".format(OTHER, conflict.value.at.strftime("в %H:%M")))
    assert [s.effective_from for s in NormBook.load(database).sets][-1] == date(2027, 1, 1)
    add_norm_set(database, _norm_document("2027-02-01"), who=ME, today=TODAY, expected_stamp=norms_stamp(database))


@pytest.mark.parametrize("theirs", ["2027-02-01", "2027-01-01"])
def test_two_sets_stored_at_once_store_one(database, other, monkeypatch, theirs):
    """2 scenarios: the same date (the unique key) or another date (both copy the same latest set)."""
    real_load = NormBook.load.__func__
    raced = []

    def load_then_other_adds(cls, db):
        if not raced:
            raced.append(True)
            add_norm_set(other, _norm_document(theirs, "их"), who=OTHER, today=TODAY)
        return real_load(cls, db)

    monkeypatch.setattr(NormBook, "load", classmethod(load_then_other_adds))
    with pytest.raises(NormConflict) as conflict:
        add_norm_set(database, _norm_document("2027-02-01", "мои"), who=ME, today=TODAY)
    assert f"({OTHER}, новый набор с" in str(conflict.value) and retry_text(str(conflict.value))
    monkeypatch.undo()
    assert [(s.effective_from.isoformat(), s.name) for s in NormBook.load(database).sets][4:] == [(theirs, "их")]


# -- real processes ---------------------------------------------------------------------------------------

def _start(database, *argv) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, "-m", "etm_desktop", "--db", target(database), *map(str, argv)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8")


def _finish(processes) -> list[tuple[int, str, str]]:
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append((process.returncode, out, err))
    return results


def test_two_processes_applying_one_memo_apply_it_once(database, shop):
    client = shop["1001"][0]
    number = approved(database, transfer(client, "1001", "1002"))
    results = _finish([_start(database, "memo", "apply", number, "--date", "2026-10-20") for _ in range(2)])
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 1], results
    refused = next(err for code, _, err in results if code == 1)
    assert "Traceback" not in refused and number in refused
    assert "уже применена" in refused or retry_text(refused), refused
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Binding).join(Client)
                              .where(Client.code == client, Binding.valid_to.is_(None))) == 1
        memo_id = session.scalar(select(Memo.id).where(Memo.number == number))
        assert session.scalar(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.memo_id == memo_id, AuditRecord.action == "apply")) == 1
    assert get_memo(database, number).state == MemoStatus.APPLIED


def test_three_processes_storing_new_memos_at_once_get_three_numbers(database, tmp_path):
    memo = tmp_path / "memo.json"
    memo.write_text(json.dumps({"date": "2026-10-05", "lines": [transfer("K1", "1001", "1002")]}), encoding="utf-8")
    results = _finish([_start(database, "memo", "new", memo) for _ in range(3)])
    assert [code for code, _, _ in results] == [0, 0, 0], results
    assert sorted(out.strip() for _, out, _ in results) == ["СЗ-2026-001", "СЗ-2026-002", "СЗ-2026-003"]
    assert len(list_memos(database)) == 3


def test_a_memo_approved_by_another_process_refuses_my_approval_of_what_i_saw(database, shop):
    """I look at the memo; another analyst approves it from the command line; my approval is refused."""
    number = submitted(database, transfer(shop["1001"][0], "1001", "1002"))
    seen = get_memo(database, number)
    done = _finish([_start(database, "memo", "approve", number, "--step", seen.route[0], "--name", "Петров")])
    assert done[0][0] == 0, done
    with pytest.raises(MemoConflict) as conflict:
        approve(database, number, step=seen.route[0], name="Борисов", expected_version=seen.version)
    assert str(conflict.value).startswith(f"Записку {number} изменил другой пользователь (")
    assert "согласование" in str(conflict.value) and retry_text(str(conflict.value))
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(MemoApproval)) == 1
