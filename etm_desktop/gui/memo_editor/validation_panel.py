"""The live validation panel: problems, each affected manager's before → after, the route."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from etm_desktop.compliance.result import NORM_TITLES
from etm_desktop.gui.table_model import Column, RowsModel
from etm_desktop.gui.tabs.base import make_table_view
from etm_desktop.memos.problems import LINE_RULES

PROBLEM_COLUMNS = (Column("line", "Строка", "int"), Column("severity", "Уровень"),
                   Column("rule", "Правило"), Column("message", "Описание"))
EFFECT_COLUMNS = (
    Column("manager", "Таб. №"), Column("name", "Сотрудник"),
    Column("kb_before", "КБ до", "int"), Column("kb_after", "КБ после", "int"),
    Column("share_before", "Доля плат. до", "share"), Column("share_after", "Доля плат. после", "share"),
    Column("breaches_before", "Нарушения до"), Column("breaches_after", "Нарушения после"),
)
SEVERITY_TITLES = {"breach": "нарушение", "warning": "предупреждение"}
RULE_TITLES = {**NORM_TITLES, **LINE_RULES}


def _breaches(row: dict | None) -> str:
    if not row:
        return ""
    return ", ".join(NORM_TITLES.get(b["norm"], b["norm"]) + ("" if b.get("severity") == "breach" else " (пред.)")
                     for b in row.get("breaches", []))


def effect_rows(effects: list[dict]) -> list[tuple]:
    """Rows of the before → after table."""
    rows = []
    for effect in effects:
        before, after = effect.get("before") or {}, effect.get("after") or {}
        rows.append((effect["manager"], after.get("name") or before.get("name", ""),
                     before.get("kb_size"), after.get("kb_size"), before.get("paying_share"),
                     after.get("paying_share"), _breaches(before), _breaches(after)))
    return rows


class ValidationPanel(QWidget):
    """Shows one check result (``MemoCheck.to_json()``) or why there is none."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.status = QLabel("Проверка ещё не выполнялась", self)
        self.status.setObjectName("validation_status")
        self.status.setWordWrap(True)
        self.problems_model = RowsModel(PROBLEM_COLUMNS, self)
        self.problems_model.severity = lambda row, _col: self.problems_model.rows[row][4]
        self.problems_view = make_table_view(self, name="memo_problems")
        self.problems_view.setModel(self.problems_model)
        self.effects_model = RowsModel(EFFECT_COLUMNS, self)
        self.effects_view = make_table_view(self, name="memo_effects")
        self.effects_view.setModel(self.effects_model)
        self.route = QLabel("", self)
        self.route.setObjectName("validation_route")
        self.route.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.problems_view, 2)
        layout.addWidget(QLabel("Последствия для сотрудников (до → после):", self))
        layout.addWidget(self.effects_view, 2)
        layout.addWidget(self.route)

    def show_check(self, check: dict) -> None:
        """Show a check: «Нарушений нет» or the problems, the effects, the route."""
        problems = check.get("problems", [])
        breaches = sum(1 for p in problems if p["severity"] == "breach")
        warnings = len(problems) - breaches
        if not problems:
            text = "Нарушений нет"
        elif breaches:
            text = "Нарушений: {0}{1}".format(breaches, ", предупреждений: {0}".format(warnings) if warnings else "")
        else:
            text = "Нарушений нет; предупреждений: {0}".format(warnings)
        self.status.setText(text)
        self.status.setStyleSheet("color: #9C0006; font-weight: bold;" if breaches else "color: #006100;")
        self.problems_model.set_rows([
            (p.get("line"), SEVERITY_TITLES.get(p["severity"], p["severity"]), RULE_TITLES.get(p["rule"], p["rule"]), p["message"],
             p["severity"])
            for p in problems])
        self.effects_model.set_rows(effect_rows(check.get("effects", [])))
        route = check.get("approval") or []
        self.route.setText("Маршрут согласования: " + (" → ".join(route) if route else "—"))

    def show_message(self, text: str, *, error: bool = True) -> None:
        """No check to show: the draft is incomplete or the check failed."""
        self.status.setText(text)
        self.status.setStyleSheet("color: #9C0006;" if error else "")
        self.problems_model.set_rows([])
        self.effects_model.set_rows([])
        self.route.setText("")
