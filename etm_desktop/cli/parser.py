"""The argument parser, in Russian: commands, options, help and error messages."""

from __future__ import annotations

import argparse
import re
import sys

from etm_desktop.cli.check_command import month_argument

#: The commands of this version, for the help text and the no-command summary.
COMMANDS = (
    ("import FILE.xlsx", "импорт книги обмена (всё или ничего; при ошибках — их список и код 2)"),
    ("export FILE.xlsx", "выгрузка всей базы в книгу обмена"),
    ("check [--month ГГГГ-ММ] [--json] [--out FILE.xlsx]", "сетка нормативов за месяц"),
    ("memo check MEMO.json [--json]", "проверка проекта служебной записки на текущих данных"),
    ("memo new MEMO.json", "сохранить проект записки; печатает её номер"),
    ("memo submit НОМЕР [--override ОБОСНОВАНИЕ]", "отправить на согласование"),
    ("memo approve НОМЕР --step ШАГ --name ФИО [--date Д]", "согласование шага маршрута"),
    ("memo reject НОМЕР --name ФИО --reason ТЕКСТ", "отклонить записку"),
    ("memo apply НОМЕР [--date Д]", "применить утверждённую записку"),
    ("memo list [--state СОСТОЯНИЕ]", "список записок"),
    ("memo propose (--departure ТАБ | --auto-unbind) --out MEMO.json", "проект записки из контрольных списков"),
    ("memo pdf|docx НОМЕР --out ФАЙЛ", "печатная форма записки"),
    ("history КОД_КЛИЕНТА [--json]", "история закрепления клиента"),
    ("demo [--scale small|large] [--seed N]", "заполнить базу демонстрационным региональным центром"),
    ("screenshots --out DIR", "снимки вкладок главного окна в PNG (без экрана)"),
    ("backup [--out ФАЙЛ]", "резервная копия базы SQLite (печатает путь к файлу)"),
    ("restore ФАЙЛ", "восстановить базу из резервной копии (текущая сначала копируется)"),
    ("role list", "роли пользователей: просмотр, аналитик, руководитель продаж, администратор"),
    ("role grant|revoke ПОЛЬЗОВАТЕЛЬ [РОЛЬ]", "назначить или отозвать роль"),
    ("role setup-postgres", "создать роли и права на сервере PostgreSQL (владелец базы)"),
)

_TRANSLATIONS = (
    (r"^the following arguments are required: (.*)$", r"не указаны обязательные аргументы: \1"),
    (r"^unrecognized arguments: (.*)$", r"лишние или неизвестные аргументы: \1"),
    (r"^expected one argument$", r"нужно указать значение"),
    (r"^invalid choice: (.*) \(choose from (.*)\)$", r"недопустимое значение \1 (возможны: \2)"),
    (r"^invalid int value: (.*)$", r"ожидалось целое число, получено \1"),
    (r"^invalid (\w+) value: (.*)$", r"недопустимое значение \2"),
    (r"^ambiguous option: (.*) could match (.*)$", r"неоднозначный параметр \1: подходят \2"),
    (r"^one of the arguments (.*) is required$", r"нужен один из аргументов \1"),
    (r"^not allowed with argument (.*)$", r"нельзя указывать вместе с \1"),
)


def translate_error(message: str) -> str:
    """argparse's English error text in Russian (unknown texts are left as they are)."""
    match = re.match(r"^argument (.+?): (.*)$", message, re.S)
    if match:
        return "аргумент {0}: {1}".format(match.group(1), translate_error(match.group(2)))
    for pattern, replacement in _TRANSLATIONS:
        if re.match(pattern, message, re.S):
            return re.sub(pattern, replacement, message, flags=re.S)
    return message


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help layout with a Russian usage prefix."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "использование: " if prefix is None else prefix)


class RussianArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help headings, ``-h`` and errors speak Russian."""

    def __init__(self, *args, **kwargs):
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "аргументы"
        self._optionals.title = "параметры"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="показать эту справку и выйти")

    def error(self, message):
        """Print the usage and a Russian error, exit 2."""
        self.print_usage(sys.stderr)
        self.exit(2, "{0}: ошибка: {1}\n".format(self.prog, translate_error(message)))


def _common_options(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument("--db", metavar="ПУТЬ_ИЛИ_URL", default=default,
                        help="база данных: файл SQLite или URL PostgreSQL "
                             "(иначе $ETM_DESKTOP_DB, иначе etm-desktop.ini рядом с программой, иначе настройка пользователя, иначе файл в папке данных пользователя)")
    parser.add_argument("--debug", action="store_true", default=default,
                        help="при непредвиденной ошибке показать трассировку")


def _epilog() -> str:
    width = max(len(usage) for usage, _ in COMMANDS)
    lines = ["вызов команд:"]
    lines += ["  etm-desktop {0}  {1}".format(usage.ljust(width), text) for usage, text in COMMANDS]
    lines += ["", "Без команды — главное окно программы.",
              "Коды завершения: 0 — успешно, 1 — есть нарушения, 2 — ошибка во входных данных "
              "или действие не разрешено ролью, "
              "3 — непредвиденная ошибка."]
    return "\n".join(lines)


def build_parser() -> RussianArgumentParser:
    """The whole command line of this version (interfaces.md, section 2)."""
    from etm_desktop.cli import (
        backup_commands,
        check_command,
        data_commands,
        memo_commands,
        memo_lifecycle_commands,
        role_commands,
        screenshots_command,
    )

    parser = RussianArgumentParser(
        prog="etm-desktop",
        description="ETM Desktop: закрепление клиентов, нормативы и служебные записки регионального центра.",
        epilog=_epilog(),
    )
    _common_options(parser, None)
    parser.add_argument("--smoke", action="store_true",
                        help="проверка сборки: главное окно на временной демонстрационной базе, сетка и PDF записки")
    parser.set_defaults(handler=None, debug=False)
    sub = parser.add_subparsers(dest="command", title="команды", metavar="КОМАНДА",
                                parser_class=RussianArgumentParser)

    def command(name: str, help_text: str, handler) -> argparse.ArgumentParser:
        child = sub.add_parser(name, help=help_text, description=help_text)
        _common_options(child, argparse.SUPPRESS)
        child.set_defaults(handler=handler)
        return child

    p = command("import", "импорт книги обмена .xlsx (всё или ничего)", data_commands.run_import)
    p.add_argument("file", metavar="FILE.xlsx", help="книга обмена")

    p = command("export", "выгрузка всей базы в книгу обмена .xlsx", data_commands.run_export)
    p.add_argument("file", metavar="FILE.xlsx", help="куда записать книгу")

    p = command("check", "сетка нормативов за месяц", check_command.run_check)
    p.add_argument("--month", type=month_argument, metavar="ГГГГ-ММ",
                   help="месяц (по умолчанию — последний завершённый)")
    p.add_argument("--json", action="store_true", help="вывести результат в JSON")
    p.add_argument("--out", metavar="FILE.xlsx", help="записать сетку в книгу Excel")

    memo = sub.add_parser("memo", help="служебные записки", description="служебные записки")
    _common_options(memo, argparse.SUPPRESS)
    memo_sub = memo.add_subparsers(dest="memo_command", title="действия", metavar="ДЕЙСТВИЕ",
                                   required=True, parser_class=RussianArgumentParser)
    p = memo_sub.add_parser("check", help="проверить проект записки на текущих данных",
                            description="Проверить проект служебной записки: что она нарушит или исправит. "
                                        "Код завершения: 0 — нарушений нет, 1 — есть нарушения, "
                                        "2 — файл не читается или составлен неверно.")
    _common_options(p, argparse.SUPPRESS)
    p.set_defaults(handler=memo_commands.run_memo_check)
    p.add_argument("file", metavar="MEMO.json", help="проект служебной записки в JSON")
    p.add_argument("--json", action="store_true", help="вывести результат в JSON")

    memo_lifecycle_commands.register(memo_sub, command, _common_options)

    p = command("demo", "заполнить базу демонстрационными данными", data_commands.run_demo)
    p.add_argument("--scale", choices=("small", "large"), default="small",
                   help="размер: small — небольшой центр, large — крупный (по умолчанию small)")
    p.add_argument("--seed", type=int, metavar="N", help="начальное число генератора (для повторяемости)")

    screenshots_command.register(command)
    backup_commands.register(command)
    role_commands.register(sub, _common_options)
    return parser
