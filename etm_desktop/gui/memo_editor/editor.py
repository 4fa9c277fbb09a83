"""The memo editor widget: header, lines with undo/redo, live validation, lifecycle and printing."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QStringListModel, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from etm_desktop.access import Action
from etm_desktop.gui.access import permit
from etm_desktop.gui.memo_editor import prompts
from etm_desktop.gui.memo_editor.actions import EDITABLE_STATES, LifecycleActions
from etm_desktop.gui.memo_editor.checker import LiveChecker
from etm_desktop.gui.memo_editor.commands import InsertLinesCommand, RemoveLinesCommand, ReplaceLinesCommand
from etm_desktop.gui.memo_editor.delegates import ActionDelegate, CodeDelegate, PotentialDelegate
from etm_desktop.gui.memo_editor.lines_model import LinesModel, blank_line, normalise
from etm_desktop.gui.memo_editor.lookups import choices, load_lookups
from etm_desktop.gui.memo_editor.printing import MemoPrinting
from etm_desktop.gui.memo_editor.toolbar import build_toolbar
from etm_desktop.gui.memo_editor.validation_panel import ValidationPanel
from etm_desktop.gui.tabs.base import make_table_view
from etm_desktop.memos.store import MemoStatus, get_memo

RANK = {"warning": 1, "breach": 2}

#: The editor's actions that write, and what the role must allow (greyed out with the reason otherwise).
GUARDED = {"save": Action.MEMO_SAVE, "submit": Action.MEMO_SUBMIT, "approve": Action.MEMO_APPROVE,
           "reject": Action.MEMO_REJECT, "withdraw": Action.MEMO_WITHDRAW, "apply": Action.MEMO_APPLY}


class MemoEditor(QWidget):
    """Edits one memo; a saved memo past черновик is shown read-only with its lifecycle actions."""

    closed = Signal()

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.number: str | None = None
        self.state: str | None = None
        self.stored = None
        self.last_check: dict | None = None
        self.messages: list[tuple[str, str, bool]] = []
        self._lookups_requested = False
        self.undo_stack = QUndoStack(self)
        self.model = LinesModel(self)
        self.model.undo_stack = self.undo_stack
        self.client_choices, self.employee_choices = QStringListModel(self), QStringListModel(self)
        self.lifecycle = LifecycleActions(self)
        self.printing = MemoPrinting(self)
        self.checker = LiveChecker(context, self._draft_for_check, self)
        self.checker.checked.connect(self._show_check)
        self.checker.invalid.connect(self._show_invalid)
        self.checker.failed.connect(lambda text: self.panel.show_message("Проверка не удалась: " + text))
        self._build()
        self.model.dataChanged.connect(self._cells_changed)
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(lambda *_args: self._content_changed())
        self.date_edit.dateChanged.connect(lambda _d: self._content_changed())
        context.state.data_changed.connect(self._content_changed)  # the same draft may judge differently now
        # the empty draft a new editor starts with needs no names: they are loaded (30,000 clients'
        # completion list) when a memo is opened or the editor is shown, not at the program's start
        self._lookups_requested = True
        self.new_memo()
        self._lookups_requested = False

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.ensure_lookups()

    # -- layout -----------------------------------------------------------------
    def _build(self) -> None:
        back = QPushButton("← К списку", self)
        back.clicked.connect(self.closed.emit)
        self.title = QLabel(self)
        self.title.setObjectName("memo_title")
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd.MM.yyyy")
        self.subject_edit = QLineEdit(self)
        self.subject_edit.setPlaceholderText("О перезакреплении клиентов")
        header = QHBoxLayout()
        for widget in (back, self.title, QLabel("Дата:", self), self.date_edit, QLabel("Заголовок:", self)):
            header.addWidget(widget)
        header.addWidget(self.subject_edit, 1)
        self.toolbars, self.actions_by_name = build_toolbar(self)
        self.view = make_table_view(self, name="memo_lines")
        self.view.setSortingEnabled(False)
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(self.model.column_of("action"), ActionDelegate(self.view))
        self.view.setItemDelegateForColumn(self.model.column_of("potential"), PotentialDelegate(self.view))
        for key, source in (("client", self.client_choices), ("head", self.client_choices),
                            ("from", self.employee_choices), ("to", self.employee_choices)):
            self.view.setItemDelegateForColumn(self.model.column_of(key), CodeDelegate(source, self.view))
        self.panel = ValidationPanel(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.status = QLabel(self)
        self.status.setObjectName("memo_status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        for toolbar in self.toolbars:
            layout.addWidget(toolbar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

    # -- loading ----------------------------------------------------------------
    def ensure_lookups(self) -> None:
        """Load client and employee names for completion, once, in the background."""
        if self._lookups_requested:
            return
        self._lookups_requested = True
        database = self.context.database
        self.context.runner.run(lambda: load_lookups(database), on_done=self._got_lookups,
                                on_error=lambda error: self.report("Справочники", str(error), error=True))

    def _got_lookups(self, lookups) -> None:
        self.client_choices.setStringList(choices(lookups.clients))
        self.employee_choices.setStringList(choices(lookups.employees))
        self.model.set_names(lookups.clients, lookups.employees)

    def new_memo(self, on: date | None = None) -> None:
        """An empty draft dated ``on`` (today)."""
        self.open_draft({"date": (on or date.today()).isoformat(), "lines": []})

    def open_draft(self, data: dict) -> None:
        """A new draft pre-filled from interfaces.md JSON (``memo_requested``)."""
        self.number, self.state, self.stored = data.get("number") or None, None, None
        self._fill(data.get("date"), data.get("subject") or "", [normalise(l) for l in data.get("lines") or []])
        self.undo_stack.clear()
        self.report("", "Новая служебная записка" if not self.model.lines else
                    "Черновик из {0} строк; проверьте и сохраните".format(len(self.model.lines)))

    def open_memo(self, number: str) -> None:
        """Load a stored memo in the background and show it."""
        database = self.context.database
        self.context.runner.run(lambda: get_memo(database, number),
                                on_done=lambda memo: self.show_stored(memo, opened=True),
                                on_error=lambda error: self.report("Открыть", str(error), error=True))

    def show_stored(self, memo, *, opened: bool = False) -> None:
        """Show a stored memo (``opened`` from the list, else after an action on this screen)."""
        keep_lines = not opened and self.editable and memo.state == MemoStatus.DRAFT
        self.stored, self.number, self.state = memo, memo.number, memo.state
        if keep_lines:  # just saved from this screen: keep the lines and their undo history
            self._update_title()
            return
        lines = [normalise({"action": l.action, "client": l.client, "from": l.from_manager, "to": l.to_manager,
                            "head": l.head, "potential": l.potential, "basis": l.reason}) for l in memo.draft.lines]
        self._fill(memo.draft.memo_date.isoformat(), memo.draft.subject or "", lines)
        self.undo_stack.clear()
        if not self.editable and memo.submitted_check:
            self.checker.cancel()
            self._show_check(memo.submitted_check)

    def _fill(self, day, subject: str, lines: list[dict]) -> None:
        self.ensure_lookups()
        self.model.read_only = not self.editable
        day = date.fromisoformat(day) if isinstance(day, str) and "-" in day else (day or date.today())
        if isinstance(day, str):  # ДД.ММ.ГГГГ
            d, m, y = (int(x) for x in day.split("."))
            day = date(y, m, d)
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.blockSignals(False)
        self.subject_edit.setText(subject)
        for widget in (self.date_edit, self.subject_edit):
            widget.setEnabled(self.editable)
        self.model.raw_replace(lines)
        self._update_title()

    # -- state ------------------------------------------------------------------
    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def _update_title(self) -> None:
        number = self.number or "новая"
        route = ""
        if self.stored is not None and self.stored.route:
            done = self.stored.approved_steps
            route = " · маршрут: " + ", ".join(s + (" ✓" if s in done else "") for s in self.stored.route)
        self.title.setText("<b>№ {0}</b> — {1}{2}".format(number, self.state or "черновик (не сохранён)", route))
        self.update_actions()

    def update_actions(self, busy: bool = False) -> None:
        """Enable what the memo's state and the user's role allow."""
        saved, state = self.number is not None and self.stored is not None, self.state
        allowed = {
            "add": self.editable, "remove": self.editable, "save": self.editable, "submit": self.editable,
            "approve": state == MemoStatus.SUBMITTED,
            "reject": state in (MemoStatus.SUBMITTED, MemoStatus.APPROVED),
            "withdraw": saved and state in (MemoStatus.DRAFT, MemoStatus.SUBMITTED, MemoStatus.APPROVED),
            "apply": state == MemoStatus.APPROVED,
            "preview": saved, "print": saved, "pdf": saved, "docx": saved,
        }
        for name, enabled in allowed.items():
            action = self.actions_by_name[name]
            action.setEnabled(enabled and not busy)
            if name in GUARDED:
                permit(action, self.context, GUARDED[name])

    def set_busy(self, busy: bool) -> None:
        self.update_actions(busy)

    def missing_steps(self) -> list[str]:
        return list(self.stored.missing_steps) if self.stored is not None else []

    def report(self, title: str, text: str, *, error: bool = False) -> None:
        """Show the result of an action; errors also in a message box."""
        self.messages.append((title, text, error))
        self.status.setText(text)
        self.status.setStyleSheet("color: #9C0006;" if error else "")
        if error:
            prompts.warn(self, title or "Служебная записка", text)

    # -- editing ----------------------------------------------------------------
    def add_line(self) -> None:
        row = self.view.currentIndex().row() + 1 if self.view.currentIndex().isValid() else len(self.model.lines)
        self.undo_stack.push(InsertLinesCommand(self.model, row, [blank_line()]))
        self.view.setCurrentIndex(self.model.index(row, self.model.column_of("client")))

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedIndexes()})
        if rows:
            self.remove_lines(rows)

    def remove_lines(self, rows: list[int]) -> None:
        """Remove lines by row (0-based), undoably."""
        self.undo_stack.push(RemoveLinesCommand(self.model, rows))

    def set_lines(self, lines: list[dict]) -> None:
        """Replace every line (interfaces.md JSON dicts), undoably."""
        self.undo_stack.push(ReplaceLinesCommand(self.model, [normalise(l) for l in lines]))

    def set_date(self, day: date) -> None:
        self.date_edit.setDate(QDate(day.year, day.month, day.day))

    # -- validation -------------------------------------------------------------
    def draft_json(self) -> dict:
        """The draft on screen in interfaces.md JSON form."""
        day = self.date_edit.date()
        data = {"number": self.number, "date": date(day.year(), day.month(), day.day()).isoformat(),
                "lines": self.model.to_json_lines()}
        if self.subject_edit.text().strip():
            data["subject"] = self.subject_edit.text().strip()
        return data

    def _draft_for_check(self) -> dict | None:
        if not self.model.lines:
            self._show_invalid("Добавьте строки служебной записки")
            return None
        return self.draft_json()

    def _cells_changed(self, _first, _last, roles=()) -> None:
        if roles:
            return  # only the marks or names changed, not the draft
        self._content_changed()

    def _content_changed(self) -> None:
        if self.editable:
            self.panel.show_message("Проверка…", error=False)
            self.checker.schedule()

    def _show_check(self, check: dict) -> None:
        self.last_check = check
        self.panel.show_check(check)
        highlight: dict[int, str] = {}
        notes: dict[int, list[str]] = {}
        for problem in check.get("problems", []):
            for line in problem.get("lines") or ([problem["line"]] if problem.get("line") else []):
                if RANK[problem["severity"]] > RANK.get(highlight.get(line), 0):
                    highlight[line] = problem["severity"]
                notes.setdefault(line, []).append(problem["message"])
        self.model.set_marks(highlight, notes)

    def _show_invalid(self, text: str) -> None:
        self.last_check = None
        self.panel.show_message(text)
        self.model.set_marks({}, {})

    # -- for callers and tests --------------------------------------------------
    def line_count(self) -> int:
        return len(self.model.lines)

    def highlighted_lines(self) -> dict[int, str]:
        return dict(self.model.highlight)

    def problems(self) -> list[dict]:
        return list(self.last_check.get("problems", [])) if self.last_check else []

    def save(self) -> None:
        self.lifecycle.save()

    def submit(self, override: str | None = None) -> None:
        self.lifecycle.submit(override=override)
