"""``memo new|submit|approve|reject|apply|list|propose|pdf|docx`` and ``history``."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date

from etm_desktop.cli.common import EXIT_BREACHES, EXIT_OK, CliError, open_target, out, output_file, print_json
from etm_desktop.cli.memo_commands import load_draft
from etm_desktop.cli.output import memo_check_lines


def date_argument(text: str) -> date:
    """A date given as ГГГГ-ММ-ДД or ДД.ММ.ГГГГ (argparse type)."""
    import argparse

    from etm_desktop.exchange.parsing import parse_date

    try:
        return parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError("«{0}» — не дата (ожидалось ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)".format(text)) from None


@contextmanager
def _database(args):
    """The open database; memo refusals become exit 1, other memo errors exit 2."""
    from etm_desktop.memos.apply_lines import StaleData
    from etm_desktop.memos.lifecycle import MemoRefused
    from etm_desktop.memos.store import MemoConflict, MemoError, MemoNotReady

    database = open_target(args)
    try:
        yield database
    except MemoRefused as refused:
        raise CliError(_refusal_text(refused), exit_code=EXIT_BREACHES) from refused
    except (MemoNotReady, StaleData, MemoConflict) as error:  # interfaces.md: apply refusals exit 1;
        # another user acting on the same memo at the same moment is refused the same way
        raise CliError(str(error), exit_code=EXIT_BREACHES) from error
    except MemoError as error:
        raise CliError(str(error)) from error
    finally:
        database.dispose()


def _refusal_text(refused) -> str:
    lines = [str(refused)]
    problems = refused.new_breaches or [p.to_json() for p in refused.check.breaches]
    for problem in problems:
        lines.append("  строка {0}: {1}".format(problem.get("line") or "—", problem["message"]))
    return "\n".join(lines)


def run_memo_new(args) -> int:
    draft = load_draft(args.file)
    from etm_desktop.memos.store import save_draft

    with _database(args) as database:
        out(save_draft(database, draft))
    return EXIT_OK


def run_memo_submit(args) -> int:
    from etm_desktop.memos.lifecycle import submit

    with _database(args) as database:
        check = submit(database, args.number, override=args.override)
    for line in memo_check_lines(check.to_json(), args.number):
        out(line)
    out("Отправлена на согласование: {0}".format(", ".join(check.approval)))
    return EXIT_OK


def run_memo_approve(args) -> int:
    from etm_desktop.memos.lifecycle import approve

    with _database(args) as database:
        missing = approve(database, args.number, step=args.step, name=args.name, on=args.date)
    out("Согласовано ({0}). {1}".format(args.step, "Осталось: " + ", ".join(missing) if missing
                                        else "Записка утверждена."))
    return EXIT_OK


def run_memo_reject(args) -> int:
    from etm_desktop.memos.lifecycle import reject

    with _database(args) as database:
        reject(database, args.number, name=args.name, reason=args.reason)
    out("Служебная записка {0} отклонена.".format(args.number))
    return EXIT_OK


def run_memo_apply(args) -> int:
    from etm_desktop.memos.lifecycle import apply

    with _database(args) as database:
        apply(database, args.number, on=args.date)
    out("Служебная записка {0} применена: изменения внесены в классификатор 37.".format(args.number))
    return EXIT_OK


def run_memo_list(args) -> int:
    from etm_desktop.memos.store import list_memos

    with _database(args) as database:
        rows = list_memos(database, args.state)
    for number, memo_date, state, author, lines in rows:
        out("{0}  {1}  {2:<16} строк: {3:<4} {4}".format(number, memo_date.strftime("%d.%m.%Y"), state, lines,
                                                        author or ""))
    return EXIT_OK


def run_memo_propose(args) -> int:
    """Draft a memo from the control lists: the month's auto-unbind, or a departing manager's KB."""
    from etm_desktop.memos.proposals import auto_unbind_draft, departure_proposal
    from etm_desktop.memos.store import draft_to_json

    with _database(args) as database:
        if args.departure:
            proposal = departure_proposal(database, args.departure, args.date)
            draft = proposal.draft
            for placement in proposal.placements:
                to = "{0} ({1})".format(placement.to_name, placement.to_manager) if placement.to_manager else "ООК"
                out("{0} {1} → {2}: {3}".format(placement.client, placement.client_name, to, placement.why))
        else:
            from etm_desktop.cli.check_command import default_month

            draft = auto_unbind_draft(database, args.month or default_month(), args.date)
    target = output_file(args.out)
    target.write_text(json.dumps(draft_to_json(draft), ensure_ascii=False, indent=2), encoding="utf-8")
    out("Проект записки ({0} строк) записан в {1}".format(len(draft.lines), target))
    return EXIT_OK


def run_memo_pdf(args) -> int:
    from etm_desktop.gui.memo_pdf import memo_pdf

    target = output_file(args.out)
    with _database(args) as database:
        pages = memo_pdf(database, args.number, target)
    out("Записано {0} (страниц: {1})".format(target, pages))
    return EXIT_OK


def run_memo_docx(args) -> int:
    from etm_desktop.reports.memo_docx import memo_docx

    target = output_file(args.out)
    with _database(args) as database:
        memo_docx(database, args.number, target)
    out("Записано {0}".format(target))
    return EXIT_OK


def run_history(args) -> int:
    from etm_desktop.memos.history import client_history

    with _database(args) as database:
        periods = client_history(database, args.client)
    if args.json:
        print_json({"client": args.client, "history": [p.to_json() for p in periods]})
        return EXIT_OK
    if not periods:
        out("Клиент {0} ни за кем не закреплялся (в ООК).".format(args.client))
    for p in periods:
        until = p.valid_to.strftime("%d.%m.%Y") if p.valid_to else "по настоящее время"
        out("{0} — {1}: {2} ({3}){4}{5}".format(
            p.valid_from.strftime("%d.%m.%Y"), until, p.manager_name, p.manager,
            ", записка " + p.memo if p.memo else "", ", закрыто запиской " + p.closed_by if p.closed_by else ""))
    return EXIT_OK


def register(memo_sub, command, common_options) -> None:
    """Add these verbs to the parser (called from ``parser.build_parser``)."""
    import argparse

    def verb(name: str, help_text: str, handler):
        p = memo_sub.add_parser(name, help=help_text, description=help_text)
        common_options(p, argparse.SUPPRESS)
        p.set_defaults(handler=handler)
        return p

    p = verb("new", "сохранить проект записки из JSON; печатает её номер", run_memo_new)
    p.add_argument("file", metavar="MEMO.json")
    p = verb("submit", "отправить на согласование (при нарушениях — только с --override)", run_memo_submit)
    p.add_argument("number", metavar="НОМЕР")
    p.add_argument("--override", metavar="ОБОСНОВАНИЕ", help="обоснование отступления от норм")
    p = verb("approve", "записать согласование одного шага маршрута", run_memo_approve)
    p.add_argument("number", metavar="НОМЕР")
    p.add_argument("--step", required=True, choices=("ДП", "ЦП", "ДП РЦ", "УП ЦП"))
    p.add_argument("--name", required=True, metavar="ФИО")
    p.add_argument("--date", type=date_argument, metavar="ДАТА")
    p = verb("reject", "отклонить записку", run_memo_reject)
    p.add_argument("number", metavar="НОМЕР")
    p.add_argument("--name", required=True, metavar="ФИО")
    p.add_argument("--reason", required=True, metavar="ПРИЧИНА")
    p = verb("apply", "применить утверждённую записку (одной транзакцией)", run_memo_apply)
    p.add_argument("number", metavar="НОМЕР")
    p.add_argument("--date", type=date_argument, metavar="ДАТА", help="дата изменений (по умолчанию сегодня)")
    p = verb("list", "список служебных записок", run_memo_list)
    p.add_argument("--state", metavar="СОСТОЯНИЕ")
    p = verb("propose", "проект записки из контрольных списков", run_memo_propose)
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--departure", metavar="ТАБ_НОМЕР", help="распределить КБ уходящего МОПП")
    group.add_argument("--auto-unbind", action="store_true", help="открепить клиентов без товарооборота")
    from etm_desktop.cli.check_command import month_argument

    p.add_argument("--month", type=month_argument, metavar="ГГГГ-ММ")
    p.add_argument("--date", type=date_argument, metavar="ДАТА", help="дата записки (по умолчанию сегодня)")
    p.add_argument("--out", required=True, metavar="MEMO.json")
    for name, handler, suffix in (("pdf", run_memo_pdf, "pdf"), ("docx", run_memo_docx, "docx")):
        p = verb(name, f"печатная форма записки (.{suffix})", handler)
        p.add_argument("number", metavar="НОМЕР")
        p.add_argument("--out", required=True, metavar=f"FILE.{suffix}")
    p = command("history", "кто вёл клиента, с какого по какое число, по какой записке", run_history)
    p.add_argument("client", metavar="КОД_КЛИЕНТА")
    p.add_argument("--json", action="store_true")
