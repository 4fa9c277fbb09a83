"""PostgreSQL: the server's roles ``etm_viewer``, ``etm_analyst``, ``etm_head`` and their GRANTs.

What the server enforces, whatever client connects:

- ``etm_viewer``: SELECT on every table, nothing else;
- ``etm_analyst``: SELECT; INSERT / UPDATE / DELETE on the data tables (import,
  bindings, clients …), memos and memo lines; INSERT on norm sets; INSERT only on
  the audit trail; nothing on ``memo_approval`` beyond reading;
- ``etm_head``: SELECT; INSERT on ``memo_approval`` (only the head records a
  decision); UPDATE of ``memo.state`` / ``memo.version`` only (the memo's state
  after a decision); INSERT on the audit trail;
- nobody (not even the owner, by trigger of migration 0002) UPDATEs, DELETEs or
  TRUNCATEs ``audit_record``; nobody UPDATEs or DELETEs ``memo_approval``.

What table privileges cannot say: the analyst may UPDATE ``memo.state`` (it must,
to submit, withdraw and apply), so a raw client could mark a memo «утверждена»;
:func:`etm_desktop.memos.lifecycle.apply` therefore re-checks that every route
step has a recorded approval before applying, and approvals themselves can only
come from ``etm_head``.

The owner of the schema (who ran the migrations and ``role setup-postgres``) and
superusers hold every role. Role setup is idempotent: run it again after an
upgrade that adds tables.
"""

from __future__ import annotations

from sqlalchemy import text

from etm_desktop.access.roles import ALL_ROLES, Role

SERVER_ROLES = {Role.VIEWER: "etm_viewer", Role.ANALYST: "etm_analyst", Role.HEAD: "etm_head"}

#: Written by the analyst's import and memo application; memos handled separately.
DATA_TABLES = ("centre", "cluster", "office", "territory", "employee", "employee_territory",
               "specialization_period", "client", "binding", "turnover", "receivable", "activity")


def server_access(database):
    """The :class:`~etm_desktop.access.policy.Access` of the connected login."""
    from etm_desktop.access.policy import Access

    with database.engine.connect() as connection:
        user, superuser, createrole, owner = connection.execute(text(
            "SELECT current_user, r.rolsuper, r.rolcreaterole, "
            "COALESCE(pg_has_role(current_user, t.tableowner, 'MEMBER'), false) "
            "FROM pg_roles r LEFT JOIN pg_tables t ON t.schemaname = current_schema() "
            "AND t.tablename = 'alembic_version' WHERE r.rolname = current_user")).one()
        names = set(connection.scalars(text(
            "SELECT rolname FROM pg_roles WHERE rolname IN ('etm_viewer', 'etm_analyst', 'etm_head') "
            "AND pg_has_role(current_user, oid, 'MEMBER')")))
    if superuser or owner:
        return Access(user, ALL_ROLES, "postgresql")
    roles = {role for role, name in SERVER_ROLES.items() if name in names}
    if createrole:
        roles.add(Role.ADMIN)
    return Access(user, frozenset(roles or {Role.VIEWER}), "postgresql")


def setup_statements(database_name: str, schema: str, quote) -> list[str]:
    """The GRANTs of the three roles on this database and schema (``quote`` quotes an identifier)."""
    db, sch = quote(database_name), quote(schema)
    everyone = "etm_viewer, etm_analyst, etm_head"

    def on(tables) -> str:
        return ", ".join("{0}.{1}".format(sch, quote(t)) for t in tables)

    return [
        "DO $$ DECLARE r text; BEGIN "
        "FOREACH r IN ARRAY ARRAY['etm_viewer', 'etm_analyst', 'etm_head'] LOOP "
        "BEGIN EXECUTE 'CREATE ROLE ' || quote_ident(r) || ' NOLOGIN'; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END; "
        "END LOOP; END $$",
        "GRANT CONNECT ON DATABASE {0} TO {1}".format(db, everyone),
        "GRANT USAGE ON SCHEMA {0} TO {1}".format(sch, everyone),
        # start from nothing, so running setup again after a change of these rules converges
        "REVOKE ALL ON ALL TABLES IN SCHEMA {0} FROM {1}".format(sch, everyone),
        "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {0} FROM {1}".format(sch, everyone),
        "GRANT SELECT ON ALL TABLES IN SCHEMA {0} TO {1}".format(sch, everyone),
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {0} TO etm_analyst, etm_head".format(sch),
        "GRANT INSERT, UPDATE, DELETE ON {0} TO etm_analyst".format(on(DATA_TABLES)),
        "GRANT INSERT, UPDATE ON {0} TO etm_analyst".format(on(["memo"])),
        "GRANT INSERT, UPDATE, DELETE ON {0} TO etm_analyst".format(on(["memo_line"])),
        "GRANT INSERT ON {0} TO etm_analyst".format(on(["norm_set"])),
        "GRANT INSERT, UPDATE ON {0} TO etm_analyst, etm_head".format(on(["data_version"])),
        "GRANT INSERT ON {0} TO etm_analyst, etm_head".format(on(["audit_record"])),
        "GRANT INSERT ON {0} TO etm_head".format(on(["memo_approval"])),
        "GRANT UPDATE (state, version) ON {0} TO etm_head".format(on(["memo"])),
        "REVOKE UPDATE, DELETE, TRUNCATE ON {0} FROM PUBLIC".format(on(["audit_record", "memo_approval"])),
        "ALTER DEFAULT PRIVILEGES IN SCHEMA {0} GRANT SELECT ON TABLES TO {1}".format(sch, everyone),
    ]


def setup_roles(database) -> list[str]:
    """Create the roles and GRANTs (idempotent; run by the schema's owner); returns the statements run."""
    from etm_desktop.access.policy import require
    from etm_desktop.access.roles import Action

    require(database, Action.MANAGE_ROLES)
    engine = database.engine
    with engine.begin() as connection:
        name, schema = connection.execute(text("SELECT current_database(), current_schema()")).one()
        statements = setup_statements(name, schema, engine.dialect.identifier_preparer.quote)
        for statement in statements:
            connection.exec_driver_sql(statement)
    return statements


def list_members(database) -> list[tuple[str, Role]]:
    """(login, role) of every member of the three roles, by login."""
    by_name = {name: role for role, name in SERVER_ROLES.items()}
    with database.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT m.rolname, r.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid "
            "JOIN pg_roles m ON m.oid = a.member WHERE r.rolname IN ('etm_viewer', 'etm_analyst', 'etm_head') "
            "ORDER BY m.rolname, r.rolname")).all()
    return [(member, by_name[role]) for member, role in rows]


def _server_role(role: Role) -> str:
    from etm_desktop.access.roles import AccessDenied

    if role not in SERVER_ROLES:
        raise AccessDenied("На PostgreSQL роль «{0}» не выдаётся программой: ролями управляет сервер "
                           "(владелец базы или пользователь с правом CREATEROLE)".format(role.value))
    return SERVER_ROLES[role]


def grant(database, user: str, role: Role) -> None:
    """GRANT etm_… TO user (the server checks the caller may)."""
    from etm_desktop.access.policy import require
    from etm_desktop.access.roles import Action

    require(database, Action.MANAGE_ROLES)
    quote = database.engine.dialect.identifier_preparer.quote
    with database.engine.begin() as connection:
        connection.exec_driver_sql("GRANT {0} TO {1}".format(_server_role(role), quote(user)))


def revoke(database, user: str, role: Role | None = None) -> None:
    """REVOKE one of the roles (or all three) FROM user."""
    from etm_desktop.access.policy import require
    from etm_desktop.access.roles import Action

    require(database, Action.MANAGE_ROLES)
    quote = database.engine.dialect.identifier_preparer.quote
    names = [_server_role(role)] if role is not None else list(SERVER_ROLES.values())
    with database.engine.begin() as connection:
        connection.exec_driver_sql("REVOKE {0} FROM {1}".format(", ".join(names), quote(user)))
