"""The lifecycle actions of the editor: each runs in the background and reports in Russian.

Every action passes the version of the memo on screen; when another analyst changed the
memo meanwhile the action is refused (:class:`MemoConflict`), the message says who and
when, and the editor shows the memo as it is now.
"""

from __future__ import annotations

from datetime import date

from etm_desktop.access import AccessDenied
from etm_desktop.gui.memo_editor import prompts
from etm_desktop.memos import lifecycle
from etm_desktop.memos.draft import MemoFormatError, parse_memo
from etm_desktop.memos.store import MemoConflict, MemoError, MemoStatus, get_memo, store_draft


def describe_error(error: Exception) -> str:
    """A Russian text for a refused or failed action (MemoRefused lists its breaches)."""
    text = str(error)
    if isinstance(error, lifecycle.MemoRefused):
        items = [b.get("message", "") for b in error.new_breaches] or [p.message for p in error.check.breaches]
        if items:
            text += "\n\nНарушения:\n• " + "\n• ".join(items)
    elif not isinstance(error, (MemoError, MemoFormatError, AccessDenied)):
        text = "Не удалось выполнить действие: {0}".format(text)
    return text


class SavedThenFailed(Exception):
    """The draft was saved, then the next step failed: the editor learns the number anyway."""

    def __init__(self, error: Exception, number: str):
        super().__init__(str(error))
        self.error, self.number, self.memo = error, number, None


class LifecycleActions:
    """Save, submit, approve, reject, withdraw, apply — for one editor."""

    def __init__(self, editor):
        self.editor = editor
        self.context = editor.context

    def _seen(self) -> int | None:
        """The version of the stored memo on screen (None: a new, unsaved memo)."""
        stored = self.editor.stored
        return stored.version if stored is not None and stored.number == self.editor.number else None

    def _run(self, title: str, work, success) -> None:
        """Run ``work()`` → (result, stored memo) on the worker; ``success(result)`` gives the message."""
        database = self.context.database
        editor = self.editor
        shown = editor.number

        def task():
            try:
                result, number = work(database)
            except SavedThenFailed as error:
                error.memo = get_memo(database, error.number)
                raise
            except MemoConflict as error:  # fetch the memo as the other analyst left it
                error.fresh = get_memo(database, shown) if shown else None
                raise
            return result, get_memo(database, number)

        def done(answer):
            result, memo = answer
            editor.set_busy(False)
            editor.show_stored(memo)
            editor.report(title, success(result, memo))
            self.context.state.data_changed.emit()

        def failed(error):
            editor.set_busy(False)
            if isinstance(error, SavedThenFailed):
                editor.show_stored(error.memo, opened=isinstance(error.error, MemoConflict))
                self.context.state.data_changed.emit()
                error = error.error
            elif getattr(error, "fresh", None) is not None:
                editor.show_stored(error.fresh, opened=True)  # the fresh data replaces what was on screen
                self.context.state.data_changed.emit()
            editor.report(title, describe_error(error), error=True)

        editor.set_busy(True)
        self.context.runner.run(task, on_done=done, on_error=failed)

    def _draft(self):
        """The editor's draft, typed (None and a message when it is not a memo yet)."""
        try:
            return parse_memo(self.editor.draft_json())
        except MemoFormatError as error:
            self.editor.report("Служебная записка", str(error), error=True)
            return None

    def save(self) -> None:
        draft = self._draft()
        if draft is None:
            return
        seen = self._seen()
        self._run("Сохранение", lambda db: (None, store_draft(db, draft, expected_version=seen)[0]),
                  lambda _r, memo: "Черновик сохранён: № {0}".format(memo.number))

    def submit(self, override: str | None = None) -> None:
        draft = self._draft()
        if draft is None:
            return

        seen = self._seen()

        def work(db):
            # the draft as on screen is what goes for approval
            number, version = store_draft(db, draft, expected_version=seen)
            try:
                return lifecycle.submit(db, number, override=override, expected_version=version), number
            except MemoError as error:
                raise SavedThenFailed(error, number) from error

        self._run("Отправка на согласование", work, lambda check, memo: "Записка № {0} отправлена на "
                  "согласование. Маршрут: {1}".format(memo.number, " → ".join(memo.route) or "—"))

    def submit_interactive(self) -> None:
        """Ask for an override reason first when the live check shows breaches."""
        breaches = [p["message"] for p in self.editor.problems() if p["severity"] == "breach"]
        override = None
        if breaches:
            override = prompts.ask_override(self.editor, breaches)
            if override is None:
                self.editor.report("Отправка на согласование", "Отправка отменена: записка нарушает нормы, "
                                   "а обоснование не указано.", error=True)
                return
        self.submit(override=override)

    def approve(self, step: str | None = None, name: str | None = None) -> None:
        number = self.editor.number
        if step is None or name is None:
            answer = prompts.ask_approval(self.editor, self.editor.missing_steps())
            if answer is None:
                return
            step, name = answer
        seen = self._seen()
        self._run("Согласование", lambda db: (lifecycle.approve(db, number, step=step, name=name,
                                                                expected_version=seen), number),
                  lambda missing, memo: ("Согласовано ({0}). Осталось: {1}".format(step, ", ".join(missing))
                                         if missing else "Записка № {0} утверждена".format(memo.number)))

    def reject(self, name: str | None = None, reason: str | None = None) -> None:
        number = self.editor.number
        if name is None or reason is None:
            answer = prompts.ask_reject(self.editor)
            if answer is None:
                return
            name, reason = answer
        seen = self._seen()
        self._run("Отклонение", lambda db: (lifecycle.reject(db, number, name=name, reason=reason,
                                                             expected_version=seen), number),
                  lambda _r, memo: "Записка № {0} отклонена".format(memo.number))

    def withdraw(self, *, ask: bool = False) -> None:
        number = self.editor.number
        if ask and not prompts.confirm(self.editor, "Отозвать", "Отозвать служебную записку № {0}?".format(number)):
            return
        seen = self._seen()
        self._run("Отзыв", lambda db: (lifecycle.withdraw(db, number, expected_version=seen), number),
                  lambda _r, memo: "Записка № {0} отозвана".format(memo.number))

    def apply(self, on: date | None = None, *, ask: bool = False) -> None:
        number = self.editor.number
        if ask:
            on = prompts.ask_date(self.editor, "Применить записку", date.today())
            if on is None:
                return
        on = on or date.today()
        seen = self._seen()
        self._run("Применение", lambda db: (lifecycle.apply(db, number, on=on, expected_version=seen), number),
                  lambda _r, memo: "Записка № {0} применена {1}: изменения внесены в классификатор 37".format(
                      memo.number, on.strftime("%d.%m.%Y")))


EDITABLE_STATES = (None, MemoStatus.DRAFT)
