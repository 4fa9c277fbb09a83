"""A norm document as editable key/value rows and back (the GUI's «new set from a date» editor)."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from typing import Any

from etm_desktop.norms.schema import NormError, parse_norm_set

HEADER_KEYS = ("name", "effective_from", "note")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


def value_text(value: Any) -> str:
    """How a value is shown for editing: text as is, numbers / lists / flags as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def edit_rows(document: dict[str, Any]) -> list[tuple[tuple[str, ...], Any]]:
    """(key path, value) of every leaf of the document, header keys excluded, in document order."""
    rows: list[tuple[tuple[str, ...], Any]] = []

    def walk(prefix: tuple[str, ...], node: dict[str, Any]) -> None:
        for key, value in node.items():
            if not prefix and key in HEADER_KEYS:
                continue
            if isinstance(value, dict):
                walk(prefix + (key,), value)
            else:
                rows.append((prefix + (key,), value))

    walk((), document)
    return rows


def parse_value(path: tuple[str, ...], original: Any, text: str) -> Any:
    """Read an edited text back in the type of the original (JSON-ish: decimal comma, bare lists)."""
    where = ".".join(path)
    if isinstance(original, str):
        return text
    stripped = text.strip()
    if stripped == "":
        raise NormError("Нормы: «{0}» — значение не задано".format(where))
    if _DECIMAL_COMMA.match(stripped):
        stripped = stripped.replace(",", ".")
    try:
        return json.loads(stripped)
    except ValueError:
        pass
    if isinstance(original, list):
        items = [item.strip().strip("\"'«»") for item in stripped.strip("[]").split(",")]
        return [_number_or_text(item) for item in items if item]
    if isinstance(original, bool):
        lowered = stripped.lower()
        if lowered in ("да", "true"):
            return True
        if lowered in ("нет", "false"):
            return False
        raise NormError("Нормы: «{0}» — ожидалось «да» или «нет», получено «{1}»".format(where, text))
    raise NormError("Нормы: «{0}» — ожидалось число, получено «{1}»".format(where, text))


def _number_or_text(item: str) -> Any:
    try:
        return json.loads(item.replace(",", "."))
    except ValueError:
        return item


def rebuild_document(base: dict[str, Any], edits: list[tuple[tuple[str, ...], Any, str]], *,
                     effective_from: date, name: str, note: str) -> dict[str, Any]:
    """``base`` with the edited texts read back and the new header; validated by the core's parser."""
    document = copy.deepcopy(base)
    for path, original, text in edits:
        node = document
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = parse_value(path, original, text)
    document["effective_from"] = effective_from.isoformat()
    document["name"] = name.strip()
    document["note"] = note.strip()
    if not document["name"]:
        raise NormError("Нормы: у нового набора норм не указано название")
    try:
        parse_norm_set(document)
    except NormError:
        raise
    except (TypeError, ValueError) as error:  # a value of the wrong kind deep inside a table
        raise NormError("Нормы: значение неверного вида ({0})".format(error)) from error
    return document
