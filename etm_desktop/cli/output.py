"""Readable Russian text for what the services answer: summaries, the grid, a memo check."""

from __future__ import annotations

import dataclasses
from typing import Any

SEVERITY_WORDS = {"breach": "нарушение", "warning": "предупреждение"}


def plural(number: int, one: str, few: str, many: str) -> str:
    """``number`` with the Russian noun form that agrees with it (1 клиент, 2 клиента, 5 клиентов)."""
    n = abs(number) % 100
    if 11 <= n <= 14:
        word = many
    elif n % 10 == 1:
        word = one
    elif 2 <= n % 10 <= 4:
        word = few
    else:
        word = many
    return "{0} {1}".format(number, word)


def share_text(value: float | None) -> str:
    """A fraction as a Russian percentage (0.333 → «33,3%»); empty for None."""
    if value is None:
        return "—"
    return "{0:.1f}%".format(value * 100).replace(".", ",")


def number_text(value: Any) -> str:
    """A number without a needless «.0», with a decimal comma; anything else as text."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer():
        return "{0:,}".format(int(value)).replace(",", " ")
    return "{0:.3f}".format(value).rstrip("0").replace(".", ",")


def _value_text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join("{0}: {1}".format(k, _value_text(v)) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_value_text(v) for v in value)
    return number_text(value)


def _fields(report: Any) -> dict[str, Any] | None:
    if isinstance(report, dict):
        return report
    if dataclasses.is_dataclass(report) and not isinstance(report, type):
        return {f.name: getattr(report, f.name) for f in dataclasses.fields(report)}
    if hasattr(report, "_asdict"):
        return report._asdict()
    if hasattr(report, "__dict__"):
        return {k: v for k, v in vars(report).items() if not k.startswith("_")}
    return None


def summary_lines(report: Any) -> list[str]:
    """Lines describing a service's summary: its ``as_text()`` or own ``str()``, else its fields."""
    if report is None:
        return []
    if isinstance(report, str):
        return report.splitlines()
    as_text = getattr(report, "as_text", None)
    if callable(as_text):
        return str(as_text()).splitlines()
    if isinstance(report, (list, tuple)) and not hasattr(report, "_asdict"):
        return [line for item in report for line in summary_lines(item)]
    custom_str = type(report).__str__ is not object.__str__
    if custom_str and not isinstance(report, dict) and not hasattr(report, "_asdict"):
        return str(report).splitlines()
    fields = _fields(report)
    if fields is None:
        return [str(report)]
    return ["{0}: {1}".format(key, _value_text(value)) for key, value in fields.items()]


def _cut(text: Any, width: int) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


GRID_COLUMNS = (
    ("Таб. номер", 10), ("ФИО", 28), ("Должность", 16), ("Специализация", 15), ("Статус", 8),
    ("КБ", 4), ("Плат.", 5), ("Доля", 6), ("Встр.", 5), ("Звон.", 5), ("Наруш.", 6), ("Пред.", 5),
)


def grid_lines(grid) -> list[str]:
    """The month's grid as a fixed-width table, one line per manager, then the lists."""
    from etm_desktop.domain.calendar import month_key

    lines = ["Сетка нормативов за {0} (нормы: {1})".format(month_key(grid.month), grid.norm_set or "—")]
    header = "  ".join(_cut(title, width).ljust(width) for title, width in GRID_COLUMNS)
    lines += [header + "  Нормы с отклонениями", "-" * (len(header) + 22)]
    with_breaches = 0
    for row in grid.managers:
        breaches = [b for b in row.breaches if b.severity == "breach"]
        warnings = [b for b in row.breaches if b.severity != "breach"]
        with_breaches += bool(breaches)
        cells = (
            row.id, row.name, row.position, row.specialization or "—", row.status or "—",
            row.kb_size, row.paying, share_text(row.paying_share), row.meetings, row.cold_calls,
            len(breaches), len(warnings),
        )
        text = "  ".join(
            _cut(value, width).rjust(width) if isinstance(value, int) else _cut(value, width).ljust(width)
            for value, (_title, width) in zip(cells, GRID_COLUMNS, strict=True)
        )
        norms = ", ".join(b.norm + ("" if b.severity == "breach" else " (пред.)") for b in row.breaches)
        lines.append((text + "  " + norms).rstrip())
    lines.append("")
    lines.append(
        "Менеджеров: {0}, с нарушениями: {1}".format(len(grid.managers), with_breaches)
    )
    lines.append("Чёрный список: " + plural(len(grid.blacklist), "клиент", "клиента", "клиентов"))
    lines.append("Автооткрепление: " + plural(len(grid.auto_unbind), "клиент", "клиента", "клиентов"))
    lines.append(
        "Просроченное перезакрепление: "
        + plural(len(grid.overdue_rebinding), "сотрудник", "сотрудника", "сотрудников")
    )
    return lines


_EFFECT_FIELDS = (
    ("kb_size", "КБ", number_text),
    ("paying", "платящих", number_text),
    ("paying_share", "доля платящих", share_text),
    ("meetings", "встречи", number_text),
)


def _effect_text(before: dict | None, after: dict | None) -> str:
    before, after = before or {}, after or {}
    parts = []
    for key, title, fmt in _EFFECT_FIELDS:
        if key in before or key in after:
            old, new = before.get(key), after.get(key)
            parts.append("{0} {1}".format(title, fmt(new)) if old == new else
                         "{0} {1} → {2}".format(title, fmt(old), fmt(new)))
    old_count = sum(1 for b in before.get("breaches") or [] if b.get("severity") == "breach")
    new_count = sum(1 for b in after.get("breaches") or [] if b.get("severity") == "breach")
    parts.append("нарушений {0} → {1}".format(old_count, new_count))
    return "; ".join(parts)


def memo_check_lines(answer: dict, number: str | None = None) -> list[str]:
    """A memo check (its ``to_json()``) as a Russian listing: verdict, route, problems, effects."""
    title = "Служебная записка {0}".format(number) if number else "Служебная записка"
    problems = answer.get("problems") or []
    breaches = [p for p in problems if p.get("severity") == "breach"]
    if answer.get("ok"):
        verdict = "нарушений нет" if not problems else "нарушений нет, есть предупреждения"
    else:
        verdict = "есть нарушения ({0})".format(len(breaches))
    lines = ["{0}: {1}".format(title, verdict)]
    approval = answer.get("approval") or []
    lines.append("Согласование: " + (", ".join(approval) if approval else "—"))
    if problems:
        lines.append("Замечания:")
        for problem in problems:
            where = "строка {0}".format(problem["line"]) if problem.get("line") else "вся записка"
            lines.append("  {0} [{1}] {2}: {3}".format(
                where, SEVERITY_WORDS.get(problem.get("severity"), problem.get("severity")),
                problem.get("rule", ""), problem.get("message", ""),
            ))
    effects = answer.get("effects") or []
    if effects:
        lines.append("Последствия для менеджеров:")
        for effect in effects:
            lines.append("  {0}: {1}".format(
                effect.get("manager", "?"), _effect_text(effect.get("before"), effect.get("after"))
            ))
    return lines
