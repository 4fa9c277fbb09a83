"""``role list|grant|revoke|setup-postgres``: who may do what in this database."""

from __future__ import annotations

from etm_desktop.cli.common import EXIT_OK, CliError, open_target, out


def _role(text: str):
    import argparse

    from etm_desktop.access.roles import parse_role

    try:
        return parse_role(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _is_postgres(database) -> bool:
    return database.engine.dialect.name == "postgresql"


def run_role_list(args) -> int:
    """The role holders, the current user's roles, and on SQLite what the roles cannot protect."""
    from etm_desktop.access import current_access
    from etm_desktop.access.policy import SQLITE_WARNING

    database = open_target(args)
    try:
        access = current_access(database)
        if _is_postgres(database):
            from etm_desktop.access.postgres import list_members

            rows = [(user, role, None) for user, role in list_members(database)]
        else:
            from etm_desktop.access.sqlite_roles import list_grants

            rows = [(user, role, by) for user, role, by, _on in list_grants(database)]
    finally:
        database.dispose()
    if not rows:
        out("Роли не назначены: каждый пользователь — аналитик, руководитель продаж и администратор."
            if not _is_postgres(database) else
            "Роли сервера (etm_viewer, etm_analyst, etm_head) никому не выданы; владелец базы может всё.")
    for user, role, by in rows:
        out("{0:<24} {1:<22}{2}".format(user, role.value, " (назначил: {0})".format(by) if by else ""))
    out("")
    out(access.describe() + ".")
    if not _is_postgres(database):
        out("")
        out("Внимание: " + SQLITE_WARNING)
    return EXIT_OK


def run_role_grant(args) -> int:
    database = open_target(args)
    try:
        if _is_postgres(database):
            from etm_desktop.access.postgres import grant

            grant(database, args.user, args.role)
            added = True
        else:
            from etm_desktop.access.sqlite_roles import grant

            try:
                added = grant(database, args.user, args.role)
            except ValueError as error:
                raise CliError(str(error)) from error
    finally:
        database.dispose()
    out(("Пользователю «{0}» назначена роль «{1}»." if added else
         "У пользователя «{0}» уже есть роль «{1}».").format(args.user, args.role.value))
    return EXIT_OK


def run_role_revoke(args) -> int:
    database = open_target(args)
    try:
        if _is_postgres(database):
            from etm_desktop.access.postgres import revoke

            revoke(database, args.user, args.role)
            taken = 1
        else:
            from etm_desktop.access.sqlite_roles import revoke

            taken = revoke(database, args.user, args.role)
    finally:
        database.dispose()
    what = "роль «{0}»".format(args.role.value) if args.role else "роли"
    if taken:
        out("У пользователя «{0}» отозвана {1}.".format(args.user, what) if args.role else
            "У пользователя «{0}» отозваны все роли.".format(args.user))
    else:
        out("У пользователя «{0}» не было: {1}.".format(args.user, what))
    return EXIT_OK


def run_role_setup_postgres(args) -> int:
    """Create etm_viewer / etm_analyst / etm_head and their GRANTs (idempotent; by the owner)."""
    database = open_target(args)
    try:
        if not _is_postgres(database):
            raise CliError("Команда role setup-postgres — только для базы PostgreSQL (--db postgresql+psycopg://…)")
        from etm_desktop.access.postgres import setup_roles

        statements = setup_roles(database)
    finally:
        database.dispose()
    out("Роли сервера созданы и права выданы ({0} команд SQL): etm_viewer — только чтение; "
        "etm_analyst — импорт, записки, нормы; etm_head — согласование записок. "
        "Журнал изменений только дополняется.".format(len(statements)))
    out("Выдайте роль пользователю: etm-desktop role grant ЛОГИН analyst (или viewer, head).")
    return EXIT_OK


def register(sub, common_options) -> None:
    """Add ``role`` and its verbs to the parser (called from ``parser.build_parser``)."""
    import argparse

    from etm_desktop.cli.parser import RussianArgumentParser

    role = sub.add_parser("role", help="роли пользователей", description=(
        "Роли: просмотр (viewer) — только чтение; аналитик (analyst) — импорт, записки, нормы; "
        "руководитель продаж (head) — согласование и отклонение записок; администратор (admin) — "
        "назначение ролей. Пока роли не назначены, каждому доступно всё."))
    common_options(role, argparse.SUPPRESS)
    verbs = role.add_subparsers(dest="role_command", title="действия", metavar="ДЕЙСТВИЕ", required=True,
                                parser_class=RussianArgumentParser)

    def verb(name: str, help_text: str, handler):
        p = verbs.add_parser(name, help=help_text, description=help_text)
        common_options(p, argparse.SUPPRESS)
        p.set_defaults(handler=handler)
        return p

    verb("list", "кто какую роль имеет", run_role_list)
    p = verb("grant", "назначить роль пользователю", run_role_grant)
    p.add_argument("user", metavar="ПОЛЬЗОВАТЕЛЬ", help="имя пользователя ОС (SQLite) или логин PostgreSQL")
    p.add_argument("role", type=_role, metavar="РОЛЬ", help="viewer, analyst, head, admin (или по-русски)")
    p = verb("revoke", "отозвать роль (без РОЛИ — все роли)", run_role_revoke)
    p.add_argument("user", metavar="ПОЛЬЗОВАТЕЛЬ")
    p.add_argument("role", type=_role, metavar="РОЛЬ", nargs="?")
    verb("setup-postgres", "создать роли сервера PostgreSQL и выдать права (запускает владелец базы)",
         run_role_setup_postgres)
