"""``memo …``: memo drafts from JSON files, checked against the current data."""

from __future__ import annotations

import json
from typing import Any

from etm_desktop.cli.common import (
    EXIT_BREACHES,
    EXIT_OK,
    CliError,
    existing_file,
    open_target,
    out,
    print_json,
)
from etm_desktop.cli.output import memo_check_lines


def read_memo_file(path: str) -> dict[str, Any]:
    """The JSON object of a memo file; CliError (exit 2) if unreadable or not a JSON object."""
    file = existing_file(path, "Файл служебной записки")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise CliError("Файл служебной записки {0} не в кодировке UTF-8".format(file)) from error
    except OSError as error:
        raise CliError("Не удалось прочитать файл служебной записки {0}: {1}".format(file, error.strerror)) from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError("Файл служебной записки {0} — неверный JSON: строка {1}, позиция {2}".format(
            file, error.lineno, error.colno)) from error
    except RecursionError:
        raise CliError("Файл служебной записки {0} — неверный JSON: слишком глубокая вложенность "
                       "списков и объектов".format(file)) from None
    except ValueError as error:  # an integer of more than 4300 digits
        raise CliError("Файл служебной записки {0} — неверный JSON: {1}".format(
            file, "число из слишком многих цифр" if "digits" in str(error) else error)) from None
    if not isinstance(data, dict):
        raise CliError("Файл служебной записки {0} должен содержать объект JSON {{…}}".format(file))
    return data


def load_draft(path: str):
    """A MemoDraft parsed from a file; CliError with the parser's Russian message if malformed."""
    data = read_memo_file(path)
    from etm_desktop.memos.draft import MemoFormatError, parse_memo

    try:
        return parse_memo(data)
    except MemoFormatError as error:
        raise CliError("Служебная записка составлена неверно: {0}".format(error)) from error


def run_memo_check(args) -> int:
    """Judge a memo draft on the current data: exit 0 if it breaks nothing, 1 if it does."""
    draft = load_draft(args.file)
    from etm_desktop.memos.validation import check_memo

    database = open_target(args)
    try:
        result = check_memo(database, draft)
    finally:
        database.dispose()
    answer = result.to_json()
    if args.json:
        print_json(answer)
    else:
        for line in memo_check_lines(answer, getattr(draft, "number", None)):
            out(line)
    return EXIT_OK if result.ok else EXIT_BREACHES
