"""The memo editor: lines with undo/redo, live validation, lifecycle actions, printing."""

from etm_desktop.gui.memo_editor.editor import MemoEditor

__all__ = ["MemoEditor"]
