"""Roles on SQLite: the ``user_role`` table, the one guard in every write service, the ``role`` commands.

viewer reads and writes nothing; analyst imports, drafts, submits, withdraws and
applies memos, adds norm sets; head of sales records approvals and rejections;
administrator manages roles. While the table is empty every user holds every role.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from etm_desktop.access import AccessDenied, Action, Role, current_access, require
from etm_desktop.access.roles import PERMISSIONS, denial_text, parse_role
from etm_desktop.access.sqlite_roles import grant, list_grants, revoke
from etm_desktop.memos import audit
from tests.memo_support import draft, transfer

SEP = date(2026, 9, 1)

pytestmark = pytest.mark.sqlite_only  # the SQLite role table; tests/unit/test_roles_postgres.py: the server's


@pytest.fixture
def as_user(monkeypatch):
    """``as_user("petrov")``: the OS user the program sees from now on."""

    def switch(name: str) -> None:
        monkeypatch.setattr(audit, "current_user", lambda: name)

    switch("boss")
    return switch


@pytest.fixture
def staffed(database, as_user):
    """boss (who assigns roles first), viewer petrov, analyst ivanova, head sidorov."""
    grant(database, "petrov", Role.VIEWER)
    grant(database, "ivanova", Role.ANALYST)
    grant(database, "sidorov", Role.HEAD)
    return database


def test_every_action_has_a_permission_and_the_message_is_russian():
    assert set(PERMISSIONS) == set(Action)
    assert denial_text(frozenset({Role.VIEWER}), Action.MEMO_APPLY).startswith(
        "Роль «просмотр» не позволяет применять записки")
    assert parse_role("analyst") is parse_role("аналитик") is Role.ANALYST
    assert parse_role("руководитель") is Role.HEAD
    with pytest.raises(ValueError, match="Неизвестная роль"):
        parse_role("boss")


def test_an_empty_role_table_lets_every_user_do_everything(database, as_user):
    as_user("anyone")
    access = current_access(database)
    assert access.everyone_all and {Role.ANALYST, Role.HEAD, Role.ADMIN} == access.roles
    for action in Action:
        require(database, action)


def test_the_first_grant_keeps_the_granting_user_in_control(staffed):
    rows = {(user, role) for user, role, _by, _on in list_grants(staffed)}
    assert {("boss", Role.ANALYST), ("boss", Role.HEAD), ("boss", Role.ADMIN), ("petrov", Role.VIEWER),
            ("ivanova", Role.ANALYST), ("sidorov", Role.HEAD)} == rows
    assert not current_access(staffed).everyone_all


def test_a_user_missing_from_the_table_is_a_viewer(staffed, as_user):
    as_user("stranger")
    assert current_access(staffed).roles == {Role.VIEWER}


def test_a_viewer_is_refused_every_write_service(staffed, as_user, tmp_path):
    from etm_desktop.demo import generate
    from etm_desktop.exchange.importer import import_workbook
    from etm_desktop.memos import lifecycle
    from etm_desktop.memos.store import save_draft
    from etm_desktop.norms.loader import load_norm_documents
    from etm_desktop.norms.store import add_norm_set

    as_user("petrov")
    document = json.loads(json.dumps(load_norm_documents()[-1], default=str))
    refused = [
        ("импортировать данные", lambda: import_workbook(staffed, tmp_path / "none.xlsx")),
        ("заполнять базу", lambda: generate(staffed)),
        ("вводить новые наборы норм", lambda: add_norm_set(staffed, document)),
        ("сохранять служебные записки", lambda: save_draft(staffed, draft(transfer("K1", "1001", "1002")))),
        ("отправлять записки", lambda: lifecycle.submit(staffed, "СЗ-2026-001")),
        ("согласовывать записки", lambda: lifecycle.approve(staffed, "СЗ-2026-001", step="ДП", name="x")),
        ("отклонять записки", lambda: lifecycle.reject(staffed, "СЗ-2026-001", name="x", reason="y")),
        ("отзывать записки", lambda: lifecycle.withdraw(staffed, "СЗ-2026-001")),
        ("применять записки", lambda: lifecycle.apply(staffed, "СЗ-2026-001")),
        ("назначать роли", lambda: grant(staffed, "petrov", Role.ADMIN)),
    ]
    for words, call in refused:
        with pytest.raises(AccessDenied, match="^Роль «просмотр» не позволяет " + words):
            call()


def test_the_analyst_drafts_and_applies_and_only_the_head_decides(staffed, centre, as_user):
    from etm_desktop.memos import lifecycle
    from etm_desktop.memos.store import MemoStatus, get_memo, save_draft

    codes = {}
    for tab in ("1001", "1002"):
        manager = centre.manager(tab, "Универсальный")
        codes[tab] = [c.code for c in centre.paying_clients(manager, 25, SEP, ckg="ЭМО")]
        centre.outside_meetings(manager, SEP, 30)
    centre.commit()
    as_user("ivanova")
    first = save_draft(staffed, draft(transfer(codes["1001"][0], "1001", "1002")))
    second = save_draft(staffed, draft(transfer(codes["1001"][1], "1001", "1002")))
    for number in (first, second):
        lifecycle.submit(staffed, number, override="по решению ДП")
    with pytest.raises(AccessDenied, match="Роль «аналитик» не позволяет согласовывать записки"):
        lifecycle.approve(staffed, first, step="ДП", name="Сидоров")
    as_user("sidorov")
    with pytest.raises(AccessDenied, match="Роль «руководитель продаж» не позволяет сохранять"):
        save_draft(staffed, draft(transfer(codes["1001"][2], "1001", "1002")))
    assert lifecycle.approve(staffed, first, step="ДП", name="Сидоров") == []
    lifecycle.reject(staffed, second, name="Сидоров", reason="клиент остаётся")
    with pytest.raises(AccessDenied, match="не позволяет применять записки"):
        lifecycle.apply(staffed, first, on=date(2026, 10, 6))
    as_user("ivanova")
    lifecycle.apply(staffed, first, on=date(2026, 10, 6))
    assert (get_memo(staffed, first).state, get_memo(staffed, second).state) == (
        MemoStatus.APPLIED, MemoStatus.REJECTED)


def test_only_an_administrator_manages_roles_and_the_last_one_stays(staffed, as_user):
    as_user("ivanova")
    with pytest.raises(AccessDenied, match="не позволяет назначать роли"):
        grant(staffed, "ivanova", Role.HEAD)
    as_user("boss")
    with pytest.raises(AccessDenied, match="последнего администратора"):
        revoke(staffed, "boss")
    assert {r for u, r, _b, _o in list_grants(staffed) if u == "boss"} == {Role.ANALYST, Role.HEAD, Role.ADMIN}
    assert grant(staffed, "ivanova", Role.ADMIN) and not grant(staffed, "ivanova", Role.ADMIN)
    assert revoke(staffed, "boss") == 3
    assert current_access(staffed).roles == {Role.VIEWER}


def test_the_audit_trail_is_append_only(staffed):
    from sqlalchemy.exc import IntegrityError

    path = staffed.engine.url.database
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM audit_record WHERE entity = 'user_role'").fetchone()[0] == 3
    for statement in ("UPDATE audit_record SET who = 'x'", "DELETE FROM audit_record"):
        with pytest.raises(IntegrityError, match="только дополняется"):
            with staffed.engine.begin() as connection:
                connection.exec_driver_sql(statement)


def test_migration_0002_upgrades_a_released_0001_database(tmp_path):
    """A database as the released schema 0001 left it keeps its data and gains the role table."""
    from alembic import command
    from sqlalchemy import create_engine, inspect

    from etm_desktop.db import migrations
    from etm_desktop.db.database import open_database

    path = tmp_path / "v0001.sqlite"
    engine = create_engine("sqlite:///" + str(path))
    config = migrations._config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql("INSERT INTO audit_record (who, entity, entity_key, action) "
                                   "VALUES ('old', 'memo', 'СЗ-2026-001', 'create')")
        connection.exec_driver_sql("INSERT INTO memo (number, memo_date, state, version) "
                                   "VALUES ('СЗ-2026-001', '2026-10-05', 'черновик', 1)")
    assert migrations.current_revision(engine) == "0001"
    assert "user_role" not in inspect(engine).get_table_names()
    engine.dispose()

    database = open_database(str(path))
    try:
        assert migrations.current_revision(database.engine) == migrations.head_revision() == "0002"
        assert "user_role" in inspect(database.engine).get_table_names()
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT who FROM audit_record").scalar() == "old"
            assert connection.exec_driver_sql("SELECT number FROM memo").scalar() == "СЗ-2026-001"
            triggers = {row[0] for row in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"audit_record_no_update", "audit_record_no_delete"} <= triggers
        assert current_access(database).everyone_all  # an upgraded single-user install keeps working
    finally:
        database.dispose()


def test_role_commands(database, as_user, capsys):
    from etm_desktop.cli.main import main

    path = database.engine.url.database

    def run(*argv):
        status = main(["--db", path, *argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    status, out, _ = run("role", "list")
    assert status == 0 and "Роли не назначены" in out and "насколько защищена его папка" in out
    assert run("role", "grant", "petrov", "просмотр")[:2] == (0, "Пользователю «petrov» назначена роль «просмотр».\n")
    status, out, _ = run("role", "list")
    assert "petrov" in out and "просмотр" in out and "boss" in out
    as_user("petrov")
    status, _, err = run("memo", "apply", "СЗ-2026-001")
    assert status == 2 and err.startswith("Роль «просмотр» не позволяет применять записки")
    status, _, err = run("role", "grant", "petrov", "admin")
    assert status == 2 and "не позволяет назначать роли" in err
    as_user("boss")
    assert run("role", "revoke", "petrov")[:2] == (0, "У пользователя «petrov» отозваны все роли.\n")
    status, _, err = run("role", "setup-postgres")
    assert status == 2 and "только для базы PostgreSQL" in err
    assert run("role", "grant", "petrov", "boss")[0] == 2


def test_backup_and_restore_on_the_command_line_are_guarded_by_role(staffed, as_user, capsys, tmp_path):
    from etm_desktop.cli.main import main

    path = staffed.target
    staffed.dispose()

    def run(*argv):
        status = main(["--db", path, *[str(a) for a in argv]])
        return status, capsys.readouterr().err

    as_user("petrov")
    status, err = run("backup", "--out", tmp_path / "copy.sqlite")
    assert status == 2 and "не позволяет создавать резервные копии" in err and not (tmp_path / "copy.sqlite").exists()
    as_user("ivanova")
    assert run("backup", "--out", tmp_path / "copy.sqlite")[0] == 0
    status, err = run("restore", tmp_path / "copy.sqlite")
    assert status == 2 and "не позволяет восстанавливать базу" in err
    as_user("boss")  # the administrator
    assert run("restore", tmp_path / "copy.sqlite")[0] == 0
