"""Roles on a real PostgreSQL server: the server itself refuses what a role may not do.

Runs only when ``ETM_TEST_POSTGRES_URL`` names a superuser connection
(``postgresql+psycopg://etm:etm@127.0.0.1:5432/postgres``); skipped otherwise.
One database ``roles_test_…`` and three logins ``roles_…_viewer|analyst|head``
are created for the module and dropped afterwards. The cluster-wide roles
``etm_viewer``, ``etm_analyst``, ``etm_head`` are the product's and are kept.
"""

from __future__ import annotations

import os
import uuid
from datetime import date

import pytest

URL = os.environ.get("ETM_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="ETM_TEST_POSTGRES_URL не задан: тесты PostgreSQL пропущены")

SEP = date(2026, 9, 1)


class Server:
    """The test database and a URL per login."""

    def __init__(self, owner_url: str, urls: dict[str, str], logins: dict[str, str]):
        self.owner_url, self.urls, self.logins = owner_url, urls, logins

    def raw(self, who: str):
        """A plain psycopg connection as ``who`` — "another client", not the program."""
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(self.urls[who])
        return psycopg.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                               dbname=url.database, autocommit=True)

    def open(self, who: str):
        from etm_desktop.db.database import open_database

        return open_database(self.owner_url if who == "owner" else self.urls[who])


@pytest.fixture(scope="module")
def server():
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from etm_desktop.access.postgres import grant, setup_roles
    from etm_desktop.access.roles import Role
    from etm_desktop.db.database import database_url, open_database

    suffix = uuid.uuid4().hex[:8]
    name = "roles_test_" + suffix
    admin = create_engine(database_url(URL), isolation_level="AUTOCOMMIT")
    logins = {kind: "roles_{0}_{1}".format(suffix, kind) for kind in ("viewer", "analyst", "head")}
    with admin.connect() as connection:
        connection.execute(text('CREATE DATABASE "{0}"'.format(name)))
        for login in logins.values():
            connection.execute(text("CREATE ROLE \"{0}\" LOGIN PASSWORD 'pw'".format(login)))
    base = make_url(database_url(URL))
    owner_url = base.set(database=name).render_as_string(hide_password=False)
    try:
        owner = open_database(owner_url)
        _small_centre(owner)
        setup_roles(owner)
        setup_roles(owner)  # idempotent: a second run changes nothing and does not fail
        for kind, role in (("viewer", Role.VIEWER), ("analyst", Role.ANALYST), ("head", Role.HEAD)):
            grant(owner, logins[kind], role)
        owner.dispose()
        urls = {kind: base.set(database=name, username=login, password="pw").render_as_string(hide_password=False)
                for kind, login in logins.items()}
        yield Server(owner_url, urls, logins)
    finally:
        with admin.connect() as connection:
            connection.execute(text('DROP DATABASE IF EXISTS "{0}" WITH (FORCE)'.format(name)))
            for login in logins.values():
                connection.execute(text('DROP ROLE IF EXISTS "{0}"'.format(login)))
        admin.dispose()


def _small_centre(database) -> None:
    """Two universal managers with 25 paying clients each (as in the CLI memo tests)."""
    from tests.builders import CentreBuilder

    centre = CentreBuilder(database)
    for tab in ("1001", "1002"):
        manager = centre.manager(tab, "Универсальный")
        centre.paying_clients(manager, 25, SEP, ckg="ЭМО")
        centre.outside_meetings(manager, SEP, 30)
    centre.commit()
    centre.session.close()


def _refused(connection, sql: str) -> None:
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(sql)


def test_the_program_reads_each_login_s_roles_from_the_server(server):
    from etm_desktop.access import Role, current_access

    expected = {"viewer": {Role.VIEWER}, "analyst": {Role.ANALYST}, "head": {Role.HEAD}}
    for kind, roles in expected.items():
        database = server.open(kind)
        try:
            access = current_access(database)
            assert (access.user, set(access.roles)) == (server.logins[kind], roles)
        finally:
            database.dispose()
    owner = server.open("owner")
    try:
        assert {Role.ANALYST, Role.HEAD, Role.ADMIN} <= current_access(owner).roles
    finally:
        owner.dispose()


def test_a_viewer_reads_but_cannot_write_even_with_another_client(server):
    with server.raw("viewer") as connection:
        assert connection.execute("SELECT count(*) FROM client").fetchone()[0] == 50
        assert connection.execute("SELECT count(*) FROM audit_record").fetchone() is not None
        _refused(connection, "INSERT INTO office (code, name, cluster_id, version) SELECT 'X', 'X', id, 1 FROM cluster")
        _refused(connection, "UPDATE client SET name = 'взлом'")
        _refused(connection, "UPDATE binding SET valid_to = '2026-01-01'")
        _refused(connection, "DELETE FROM turnover")
        _refused(connection, "INSERT INTO memo_approval (memo_id, step, name, decision, decided_on) "
                             "VALUES (1, 'ДП', 'x', 'approved', '2026-10-05')")
        _refused(connection, "INSERT INTO audit_record (entity, entity_key, action) VALUES ('x', 'x', 'x')")


def test_a_viewer_is_refused_by_the_services_in_russian(server):
    from etm_desktop.access import AccessDenied
    from etm_desktop.memos.store import save_draft
    from tests.memo_support import draft, transfer

    database = server.open("viewer")
    try:
        with pytest.raises(AccessDenied, match="Роль «просмотр» не позволяет сохранять служебные записки"):
            save_draft(database, draft(transfer("K1", "1001", "1002")))
    finally:
        database.dispose()


def test_nobody_changes_or_deletes_the_audit_trail(server):
    import psycopg

    with server.raw("analyst") as connection:
        connection.execute("INSERT INTO audit_record (entity, entity_key, action, who) VALUES ('x', 'k', 'test', 'a')")
        _refused(connection, "UPDATE audit_record SET who = 'кто-то другой'")
        _refused(connection, "DELETE FROM audit_record")
        _refused(connection, "TRUNCATE audit_record")
    with server.raw("head") as connection:
        _refused(connection, "UPDATE audit_record SET who = 'кто-то другой'")
        _refused(connection, "DELETE FROM audit_record")
    owner = server.open("owner")
    try:  # the owner holds every privilege; the trigger of migration 0002 still says no
        with owner.engine.connect() as connection, pytest.raises(Exception, match="только дополняется"):
            connection.exec_driver_sql("DELETE FROM audit_record")
    finally:
        owner.dispose()
    assert psycopg  # imported for the error classes used by _refused


def test_approvals_come_only_from_the_head(server):
    """The analyst drafts, submits and applies; only the head records the approval."""
    from etm_desktop.access import AccessDenied
    from etm_desktop.memos import lifecycle
    from etm_desktop.memos.store import MemoStatus, get_memo, save_draft
    from tests.memo_support import draft, transfer

    analyst, head = server.open("analyst"), server.open("head")
    try:
        with analyst.session() as session:
            from sqlalchemy import text

            client = session.scalar(text(
                "SELECT c.code FROM client c JOIN binding b ON b.client_id = c.id JOIN employee e "
                "ON e.id = b.employee_id WHERE e.tab_no = '1001' AND b.valid_to IS NULL LIMIT 1"))
        number = save_draft(analyst, draft(transfer(client, "1001", "1002")))
        check = lifecycle.submit(analyst, number, override="проверка ролей")
        assert check.approval == ["ДП"]
        with pytest.raises(AccessDenied, match="Роль «аналитик» не позволяет согласовывать записки"):
            lifecycle.approve(analyst, number, step="ДП", name="Петров П.П.")
        with server.raw("analyst") as connection:  # nor behind the program's back
            memo_id = connection.execute("SELECT id FROM memo WHERE number = %s", (number,)).fetchone()[0]
            _refused(connection, "INSERT INTO memo_approval (memo_id, step, name, decision, decided_on) "
                                 "VALUES ({0}, 'ДП', 'x', 'approved', '2026-10-05')".format(memo_id))
        with pytest.raises(AccessDenied, match="не позволяет применять записки"):
            lifecycle.apply(head, number)
        assert lifecycle.approve(head, number, step="ДП", name="Петров П.П.") == []
        with server.raw("head") as connection:  # the head may not touch the bindings themselves
            _refused(connection, "UPDATE binding SET valid_to = '2026-01-01'")
            _refused(connection, "UPDATE memo SET subject = 'другая'")
        lifecycle.apply(analyst, number, on=date(2026, 10, 6))
        assert get_memo(analyst, number).state == MemoStatus.APPLIED
    finally:
        analyst.dispose()
        head.dispose()


def test_a_raw_state_change_does_not_let_an_unapproved_memo_be_applied(server):
    """Table privileges let the analyst UPDATE memo.state; the service still wants every approval."""
    from etm_desktop.memos import lifecycle
    from etm_desktop.memos.store import MemoNotReady, save_draft
    from tests.memo_support import draft, transfer

    analyst = server.open("analyst")
    try:
        number = save_draft(analyst, draft(transfer("K-нет", "1001", "1002")))
        with server.raw("analyst") as connection:
            connection.execute("UPDATE memo SET state = 'утверждена', route = '[\"ДП\"]' WHERE number = %s",
                               (number,))
        with pytest.raises(MemoNotReady, match="нет согласования ДП"):
            lifecycle.apply(analyst, number)
    finally:
        analyst.dispose()


def test_a_viewer_opens_a_database_that_lacks_a_default_norm_set(server):
    """The default norms are seeded by whoever may write; a viewer just reads what is there."""
    from sqlalchemy import func, select

    from etm_desktop.db.models import NormSet

    owner = server.open("owner")
    with owner.engine.begin() as connection:
        latest = connection.execute(select(func.max(NormSet.effective_from))).scalar()
        connection.execute(NormSet.__table__.delete().where(NormSet.effective_from == latest))
    owner.dispose()
    viewer = server.open("viewer")
    try:
        with viewer.session() as session:
            assert latest not in set(session.scalars(select(NormSet.effective_from)))
    finally:
        viewer.dispose()
    owner = server.open("owner")  # the owner's next open puts the set back
    try:
        with owner.session() as session:
            assert latest in set(session.scalars(select(NormSet.effective_from)))
    finally:
        owner.dispose()
