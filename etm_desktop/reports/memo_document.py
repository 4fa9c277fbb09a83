"""The printed memo's content (ГОСТ Р 7.0.97-2016 requisites), independent of the format.

:func:`memo_document` gathers everything the paper needs; ``memo_html`` (for
Qt's PDF) and ``memo_docx`` only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from etm_desktop.db.models import Centre, Client, Employee
from etm_desktop.domain.people import short_name
from etm_desktop.memos.draft import ACTION_TITLES
from etm_desktop.memos.store import MemoStatus, get_memo
from etm_desktop.memos.validation import check_memo

STEP_POSITIONS = {"ДП": "Директор по продажам", "ЦП": "ЦП", "ДП РЦ": "ДП РЦ", "УП ЦП": "УП ЦП"}

SUBJECTS = {
    "transfer": ("О перезакреплении клиентов", "перезакрепить"),
    "unbind": ("Об откреплении клиентов", "открепить"),
    "to_ook": ("О передаче клиентов в ООК", "передать в ООК"),
    "from_ook": ("О закреплении клиентов из ООК", "закрепить из ООК"),
    "bind": ("О закреплении клиентов", "закрепить"),
    "link_140": ("О связывании организаций по признаку 140", "связать по признаку 140"),
    "multi_bind": ("О множественной классификации клиентов", "закрепить (множественная классификация)"),
}


@dataclass(frozen=True)
class MemoRow:
    number: int
    client_code: str
    client_name: str
    inn: str
    ckg: str
    potential: str
    from_whom: str
    to_whom: str
    basis: str


@dataclass(frozen=True)
class Visa:
    position: str
    name: str
    decided_on: date | None


@dataclass
class MemoDocument:
    number: str
    memo_date: date
    addressee_position: str
    addressee_name: str
    author_name: str
    title: str
    text: str
    rows: list[MemoRow]
    summary: list[str]
    breaches: list[str]
    override_reason: str | None
    visas: list[Visa]
    execution_mark: str | None
    state: str
    extra: dict = field(default_factory=dict)


def _title_and_text(draft) -> tuple[str, str]:
    actions = {line.action for line in draft.lines}
    if len(actions) == 1:
        title, verb = SUBJECTS[next(iter(actions))]
    else:
        title, verb = "Об изменении закрепления клиентов", "изменить закрепление"
    title = draft.subject or title
    bases = {line.reason for line in draft.lines if line.reason}
    if len(bases) == 1:
        basis = next(iter(bases))
        text = "Прошу {0} клиентов согласно таблице. Основание: {1}.".format(verb, basis.rstrip("."))
    else:
        text = "Прошу {0} клиентов согласно таблице по основаниям, указанным в ней.".format(verb)
    return title, text


def memo_document(database, number: str) -> MemoDocument:
    """Everything the printed memo shows, read from the database."""
    memo = get_memo(database, number)
    draft = memo.draft
    with database.session() as session:
        codes = {line.client for line in draft.lines} | {line.head for line in draft.lines if line.head}
        clients = {c.code: c for c in session.scalars(select(Client).where(Client.code.in_(codes)))}
        tabs = {line.from_manager for line in draft.lines} | {line.to_manager for line in draft.lines}
        people = {e.tab_no: e for e in session.scalars(select(Employee).where(Employee.tab_no.in_(tabs - {None})))}
        centre = session.scalar(select(Centre.name).order_by(Centre.id).limit(1)) or ""
        director = session.scalar(select(Employee.full_name).where(Employee.position == "ДП",
                                                                   Employee.dismissal_date.is_(None)).limit(1))

    def who(tab: str | None, action: str, side: str) -> str:
        if tab is None:
            return "ООК" if (side == "to" and action == "to_ook") or (side == "from" and action == "from_ook") else ""
        person = people.get(tab)
        return f"{short_name(person.full_name)} ({tab})" if person else tab

    rows = []
    for line in draft.lines:
        client = clients.get(line.client)
        basis = line.reason or ""
        if line.action == "link_140":
            basis = f"головная: {line.head}" + (f"; {basis}" if basis else "")
        rows.append(MemoRow(
            number=line.line_no, client_code=line.client, client_name=client.name if client else "",
            inn=(client.inn or "") if client else "", ckg=client.ckg if client else "",
            potential=line.potential or ((client.potential or "") if client else ""),
            from_whom=who(line.from_manager, line.action, "from"), to_whom=who(line.to_manager, line.action, "to"),
            basis=f"{ACTION_TITLES[line.action]}. {basis}".strip(". ") if basis else ACTION_TITLES[line.action],
        ))
    check = memo.submitted_check or check_memo(database, draft).to_json()
    summary = []
    for effect in check["effects"]:
        before, after = effect["before"], effect["after"]
        summary.append("{0} ({1}): размер КБ был {2}, станет {3}".format(short_name(after["name"]), effect["manager"],
                                                         before["kb_size"] if before else 0, after["kb_size"]))
    breaches = [p["message"] for p in check["problems"] if p["severity"] == "breach"]
    route = list(memo.route) or list(check["approval"])
    decided = {step: (name, on) for step, name, decision, on, _ in memo.approvals if decision == "approved"}
    visas = [Visa(STEP_POSITIONS.get(step, step), short_name(decided[step][0]) if step in decided else "",
                  decided[step][1] if step in decided else None) for step in route]
    title, text = _title_and_text(draft)
    mark = None
    if memo.state == MemoStatus.APPLIED and memo.applied_on:
        mark = "Изменения внесены в классификатор 37 {0}, {1}".format(
            memo.applied_on.strftime("%d.%m.%Y"), short_name(memo.applied_by) or memo.applied_by or "")
    return MemoDocument(
        number=memo.number, memo_date=draft.memo_date,
        addressee_position=f"Директору по продажам {centre}".strip(), addressee_name=short_name(director),
        author_name=short_name(draft.author) or (draft.author or ""), title=title, text=text, rows=rows,
        summary=summary, breaches=breaches, override_reason=draft.override_reason, visas=visas,
        execution_mark=mark, state=memo.state,
    )
