"""The memo verbs and ``history`` on the command line (interfaces.md, section 2 — a contract).

Exit status: 0 done; 1 refused because of the norms or the route (breaches without an
override, a step missing, applied already, data changed); 2 a user error (bad file,
unknown memo, a wrong state). Run in-process through ``etm_desktop.cli.main.main``.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from etm_desktop.cli import main as cli_main
from etm_desktop.cli.main import main
from etm_desktop.compliance import service
from etm_desktop.compliance.inputs import InputsCache
from etm_desktop.db.models import Binding, Client, Employee
from etm_desktop.memos.history import client_history
from etm_desktop.memos.store import MemoStatus, get_memo
from tests.memo_support import transfer

SEP = date(2026, 9, 1)
DAY = "2026-10-05"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No test touches the user's own database, no GUI opens, the frame cache starts empty."""
    monkeypatch.setenv("ETM_DESKTOP_DB", str(tmp_path / "env-default.sqlite"))
    monkeypatch.setattr(cli_main, "find_main_window", lambda: None)
    monkeypatch.setattr(service, "_cache", InputsCache())


def run(capsys, *argv):
    """Run the CLI in-process; returns (exit status, stdout, stderr)."""
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def db(database, centre):
    """ОП1: Универсальные 1001 and 1002 with 25 paying clients, 1003 at his minimum (20);
    МРД 1005 and 1007 with 20 dealers. Returns the database file for ``--db``."""
    for tab, spec, n, ckg in (("1001", "Универсальный", 25, "ЭМО"), ("1002", "Универсальный", 25, "ЭМО"),
                              ("1003", "Универсальный", 20, "ЭМО"), ("1005", "МРД", 20, "Дилеры"),
                              ("1007", "МРД", 20, "Дилеры")):
        manager = centre.manager(tab, spec)
        centre.paying_clients(manager, n, SEP, ckg=ckg)
        centre.outside_meetings(manager, SEP, 30)
    centre.commit()
    return database.target


def codes(database, tab_no) -> list[str]:
    with database.session() as session:
        return list(session.scalars(
            select(Client.code).join(Binding, Binding.client_id == Client.id)
            .join(Employee, Employee.id == Binding.employee_id)
            .where(Employee.tab_no == tab_no, Binding.valid_to.is_(None)).order_by(Client.code)))


def memo_file(tmp_path, *lines, name="memo.json", **fields):
    path = tmp_path / name
    path.write_text(json.dumps({"date": DAY, "lines": list(lines), **fields}, ensure_ascii=False), encoding="utf-8")
    return path


def new_memo(capsys, db, path) -> str:
    status, out, err = run(capsys, "memo", "new", path, "--db", db)
    assert (status, err) == (0, "")
    return out.strip()


# -- memo new ---------------------------------------------------------------------------------------

def test_memo_new_prints_the_number(capsys, database, db, tmp_path):
    client = codes(database, "1001")[0]
    assert new_memo(capsys, db, memo_file(tmp_path, transfer(client, "1001", "1002"))) == "СЗ-2026-001"
    assert new_memo(capsys, db, memo_file(tmp_path, transfer(client, "1001", "1002"))) == "СЗ-2026-002"
    memo = get_memo(database, "СЗ-2026-001")
    assert memo.state == MemoStatus.DRAFT
    assert [(l.action, l.client, l.from_manager, l.to_manager) for l in memo.draft.lines] == [
        ("transfer", client, "1001", "1002")]


@pytest.mark.parametrize("content", ["{not json", '{"lines": []}', "[]"])
def test_memo_new_with_a_bad_file_exits_2(capsys, db, tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    status, out, err = run(capsys, "memo", "new", path, "--db", db)
    assert status == 2 and out == "" and "служебн" in err.lower()


# -- submit / approve / reject ------------------------------------------------------------------------

def test_submit_with_breaches_exits_1_and_with_an_override_0(capsys, database, db, tmp_path):
    number = new_memo(capsys, db, memo_file(tmp_path, transfer(codes(database, "1003")[0], "1003", "1002")))
    status, out, err = run(capsys, "memo", "submit", number, "--db", db)
    assert status == 1
    assert "--override" in err and "строка 1:" in err and "минимум 20" in err
    assert get_memo(database, number).state == MemoStatus.DRAFT

    status, out, err = run(capsys, "memo", "submit", number, "--override", "Клиент просит", "--db", db)
    assert (status, err) == (0, "")
    assert "Отправлена на согласование: ДП" in out
    assert "kb_size_min" in out
    memo = get_memo(database, number)
    assert (memo.state, memo.draft.override_reason) == (MemoStatus.SUBMITTED, "Клиент просит")


def test_submit_of_an_impossible_line_exits_1_even_with_an_override(capsys, database, db, tmp_path):
    number = new_memo(capsys, db, memo_file(tmp_path, transfer("K-NONE", "1001", "1002")))
    status, _, err = run(capsys, "memo", "submit", number, "--override", "надо", "--db", db)
    assert status == 1 and "K-NONE" in err
    assert get_memo(database, number).state == MemoStatus.DRAFT


def test_submit_of_an_unknown_memo_exits_2(capsys, db):
    status, out, err = run(capsys, "memo", "submit", "СЗ-2026-999", "--db", db)
    assert (status, out) == (2, "") and "не найдена" in err


def test_approve_step_by_step(capsys, database, db, tmp_path):
    number = new_memo(capsys, db, memo_file(tmp_path, transfer(codes(database, "1005")[0], "1005", "1007")))
    assert run(capsys, "memo", "submit", number, "--db", db)[0] == 0
    status, out, _ = run(capsys, "memo", "approve", number, "--step", "ДП", "--name", "Борисов М.Ю.",
                         "--date", "07.10.2026", "--db", db)
    assert status == 0 and "Осталось: ЦП" in out
    assert get_memo(database, number).state == MemoStatus.SUBMITTED
    status, out, _ = run(capsys, "memo", "approve", number, "--step", "ЦП", "--name", "Орлов П.И.",
                         "--date", "2026-10-08", "--db", db)
    assert status == 0 and "Записка утверждена." in out
    memo = get_memo(database, number)
    assert memo.state == MemoStatus.APPROVED
    assert [(s, n, d) for s, n, _, d, _ in memo.approvals] == [
        ("ДП", "Борисов М.Ю.", date(2026, 10, 7)), ("ЦП", "Орлов П.И.", date(2026, 10, 8))]


def test_approve_of_a_step_outside_the_route_or_twice_exits_2(capsys, database, db, tmp_path):
    number = new_memo(capsys, db, memo_file(tmp_path, transfer(codes(database, "1001")[0], "1001", "1002")))
    run(capsys, "memo", "submit", number, "--db", db)
    status, _, err = run(capsys, "memo", "approve", number, "--step", "ЦП", "--name", "Орлов П.И.", "--db", db)
    assert status == 2 and "не входит в маршрут" in err
    status, _, err = run(capsys, "memo", "approve", number, "--step", "Директор", "--name", "X", "--db", db)
    assert status == 2 and "недопустимое значение" in err
    assert run(capsys, "memo", "approve", number, "--step", "ДП", "--name", "Борисов М.Ю.", "--db", db)[0] == 0
    status, _, err = run(capsys, "memo", "approve", number, "--step", "ДП", "--name", "Борисов М.Ю.", "--db", db)
    assert status == 2
    assert get_memo(database, number).state == MemoStatus.APPROVED


def test_reject(capsys, database, db, tmp_path):
    number = new_memo(capsys, db, memo_file(tmp_path, transfer(codes(database, "1001")[0], "1001", "1002")))
    status, _, err = run(capsys, "memo", "reject", number, "--name", "Борисов М.Ю.", "--reason", "нет", "--db", db)
    assert status == 2 and "черновик" in err  # a draft is not on anyone's desk yet
    run(capsys, "memo", "submit", number, "--db", db)
    status, out, _ = run(capsys, "memo", "reject", number, "--name", "Борисов М.Ю.", "--reason",
                         "Клиент остаётся", "--db", db)
    assert status == 0 and f"{number} отклонена" in out
    memo = get_memo(database, number)
    assert memo.state == MemoStatus.REJECTED
    assert memo.approvals[-1][1:3] == ("Борисов М.Ю.", "rejected")
    assert memo.approvals[-1][4] == "Клиент остаётся"
    status, _, _ = run(capsys, "memo", "reject", number, "--name", "Борисов М.Ю.", "--db", db)
    assert status == 2  # --reason is required


# -- apply ---------------------------------------------------------------------------------------------------

def test_apply_exit_codes(capsys, database, db, tmp_path):
    client = codes(database, "1005")[0]
    number = new_memo(capsys, db, memo_file(tmp_path, transfer(client, "1005", "1007")))
    run(capsys, "memo", "submit", number, "--db", db)
    run(capsys, "memo", "approve", number, "--step", "ДП", "--name", "Борисов М.Ю.", "--db", db)

    status, out, err = run(capsys, "memo", "apply", number, "--date", "2026-10-20", "--db", db)
    assert (status, out) == (1, "") and "ЦП" in err  # a step is missing
    assert get_memo(database, number).state == MemoStatus.SUBMITTED
    assert client in codes(database, "1005")

    run(capsys, "memo", "approve", number, "--step", "ЦП", "--name", "Орлов П.И.", "--db", db)
    status, out, err = run(capsys, "memo", "apply", number, "--date", "2026-10-20", "--db", db)
    assert (status, err) == (0, "") and "применена" in out
    memo = get_memo(database, number)
    assert (memo.state, memo.applied_on) == (MemoStatus.APPLIED, date(2026, 10, 20))
    assert client not in codes(database, "1005") and client in codes(database, "1007")

    status, out, err = run(capsys, "memo", "apply", number, "--date", "2026-10-21", "--db", db)
    assert (status, out) == (1, "") and "уже применена" in err
    assert get_memo(database, number).applied_on == date(2026, 10, 20)


def test_apply_refused_when_the_data_changed_exits_1(capsys, database, centre, db, tmp_path):
    client = codes(database, "1001")[0]
    number = new_memo(capsys, db, memo_file(tmp_path, transfer(client, "1001", "1002")))
    run(capsys, "memo", "submit", number, "--db", db)
    run(capsys, "memo", "approve", number, "--step", "ДП", "--name", "Борисов М.Ю.", "--db", db)
    centre.session.expire_all()
    receiver = centre.session.scalar(select(Employee).where(Employee.tab_no == "1002"))
    centre.paying_clients(receiver, 15, SEP, bound_from=date(2026, 10, 10))  # 40: the memo would make 41
    centre.commit()
    status, out, err = run(capsys, "memo", "apply", number, "--date", "2026-10-20", "--db", db)
    assert (status, out) == (1, "")
    assert "Данные изменились" in err and "строка 1:" in err and "максимум 40" in err
    assert get_memo(database, number).state == MemoStatus.APPROVED
    assert client in codes(database, "1001")


def test_apply_of_a_draft_exits_2(capsys, database, db, tmp_path):
    number = new_memo(capsys, db, memo_file(tmp_path, transfer(codes(database, "1001")[0], "1001", "1002")))
    status, _, err = run(capsys, "memo", "apply", number, "--db", db)
    assert status == 2 and "утверждена" in err
    assert get_memo(database, number).state == MemoStatus.DRAFT


# -- list, history, print ------------------------------------------------------------------------------------

def test_memo_list(capsys, database, db, tmp_path):
    first = new_memo(capsys, db, memo_file(tmp_path, transfer(codes(database, "1001")[0], "1001", "1002"),
                                           date="2026-10-01"))
    second = new_memo(capsys, db, memo_file(tmp_path, transfer(codes(database, "1001")[1], "1001", "1002"),
                                            transfer(codes(database, "1001")[2], "1001", "1002")))
    run(capsys, "memo", "submit", second, "--db", db)
    status, out, _ = run(capsys, "memo", "list", "--db", db)
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{second}  05.10.2026  на согласовании") and "строк: 2" in lines[0]
    assert lines[1].startswith(f"{first}  01.10.2026  черновик") and "строк: 1" in lines[1]
    status, out, _ = run(capsys, "memo", "list", "--state", "черновик", "--db", db)
    assert status == 0 and [l.split()[0] for l in out.splitlines()] == [first]


def test_history(capsys, database, db, tmp_path):
    client = codes(database, "1001")[0]
    number = new_memo(capsys, db, memo_file(tmp_path, transfer(client, "1001", "1002")))
    run(capsys, "memo", "submit", number, "--db", db)
    run(capsys, "memo", "approve", number, "--step", "ДП", "--name", "Борисов М.Ю.", "--db", db)
    assert run(capsys, "memo", "apply", number, "--date", "2026-10-20", "--db", db)[0] == 0

    status, out, err = run(capsys, "history", client, "--json", "--db", db)
    assert (status, err) == (0, "")
    assert json.loads(out) == {"client": client, "history": [
        {"manager": "1001", "manager_name": "Сотрудник 1001", "valid_from": "2020-01-01",
         "valid_to": "2026-10-20", "memo": None, "closed_by": number, "basis": None},
        {"manager": "1002", "manager_name": "Сотрудник 1002", "valid_from": "2026-10-20", "valid_to": None,
         "memo": number, "closed_by": None, "basis": f"Служебная записка {number}"},
    ]}
    assert json.loads(out)["history"] == [p.to_json() for p in client_history(database, client)]

    status, out, _ = run(capsys, "history", client, "--db", db)
    assert status == 0
    assert out.splitlines() == [
        f"01.01.2020 — 20.10.2026: Сотрудник 1001 (1001), закрыто запиской {number}",
        f"20.10.2026 — по настоящее время: Сотрудник 1002 (1002), записка {number}",
    ]


def test_history_of_an_unknown_client_exits_2(capsys, db):
    status, out, err = run(capsys, "history", "K-NONE", "--json", "--db", db)
    assert (status, out) == (2, "") and "K-NONE" in err


def test_memo_pdf_and_docx(capsys, database, db, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    docx = pytest.importorskip("docx")
    number = new_memo(capsys, db, memo_file(tmp_path, transfer(codes(database, "1001")[0], "1001", "1002")))
    pdf, word = tmp_path / "memo.pdf", tmp_path / "memo.docx"
    status, out, err = run(capsys, "memo", "pdf", number, "--out", pdf, "--db", db)
    assert (status, err) == (0, "") and "страниц: 1" in out
    text = " ".join(pypdf.PdfReader(str(pdf)).pages[0].extract_text().split())
    assert "СЛУЖЕБНАЯ ЗАПИСКА" in text and number in text
    status, out, err = run(capsys, "memo", "docx", number, "--out", word, "--db", db)
    assert (status, err) == (0, "")
    assert "СЛУЖЕБНАЯ ЗАПИСКА" in [p.text for p in docx.Document(str(word)).paragraphs]
    status, _, err = run(capsys, "memo", "pdf", "СЗ-2026-999", "--out", tmp_path / "x.pdf", "--db", db)
    assert status == 2 and not (tmp_path / "x.pdf").exists()
    status, _, err = run(capsys, "memo", "docx", number, "--out", tmp_path / "missing" / "x.docx", "--db", db)
    assert status == 2 and "Папка" in err


# -- propose on the small demo ----------------------------------------------------------------------------------

@pytest.fixture
def demo(small_demo):
    """The small demo's file for ``--db`` (a private copy)."""
    return small_demo.target


def test_propose_a_departure_writes_a_memo_that_memo_check_accepts(capsys, small_demo, demo, tmp_path):
    target = tmp_path / "proposal.json"
    status, out, err = run(capsys, "memo", "propose", "--departure", "1029", "--date", "2026-12-03",
                           "--out", target, "--db", demo)
    assert (status, err) == (0, "")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["date"] == "2026-12-03"
    held = codes(small_demo, "1029")
    assert sorted(line["client"] for line in data["lines"]) == held
    assert {line["from"] for line in data["lines"]} == {"1029"}
    assert f"({len(held)} строк)" in out
    assert len([l for l in out.splitlines() if " → " in l]) == len(held)

    status, out, err = run(capsys, "memo", "check", target, "--json", "--db", demo)
    assert (status, err) == (0, "")
    answer = json.loads(out)
    assert answer["ok"] is True and answer["approval"] == ["ДП"]
    assert not [p for p in answer["problems"] if p["severity"] == "breach"]

    number = new_memo(capsys, demo, target)
    assert run(capsys, "memo", "submit", number, "--db", demo)[0] == 0
    assert run(capsys, "memo", "approve", number, "--step", "ДП", "--name", "Борисов М.Ю.", "--db", demo)[0] == 0
    assert run(capsys, "memo", "apply", number, "--date", "2026-12-03", "--db", demo)[0] == 0
    assert codes(small_demo, "1029") == []


def test_propose_auto_unbind(capsys, demo, tmp_path):
    target = tmp_path / "unbind.json"
    status, out, err = run(capsys, "memo", "propose", "--auto-unbind", "--month", "2026-11", "--date",
                           "2026-12-03", "--out", target, "--db", demo)
    assert (status, err) == (0, "")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["lines"] and {line["action"] for line in data["lines"]} == {"unbind"}
    assert data["subject"] == "Об откреплении клиентов без товарооборота"
    status, out, _ = run(capsys, "check", "--month", "2026-11", "--json", "--db", demo)
    expected = {(entry["client"], entry["manager"]) for entry in json.loads(out)["auto_unbind"]}
    assert status == 0 and expected  # the demo plants clients without turnover
    assert expected <= {(line["client"], line["from"]) for line in data["lines"]}
    status, _, err = run(capsys, "memo", "check", target, "--db", demo)
    assert (status, err) == (0, "")


def test_propose_for_an_unknown_manager_exits_2(capsys, demo, tmp_path):
    target = tmp_path / "p.json"
    status, out, err = run(capsys, "memo", "propose", "--departure", "9999", "--date", "2026-12-03",
                           "--out", target, "--db", demo)
    assert status == 2 and "9999" in err and not target.exists()
