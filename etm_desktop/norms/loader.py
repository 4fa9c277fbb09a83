"""Reading ``data/norms.toml``: each later set is merged over the previous one."""

from __future__ import annotations

import copy
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from etm_desktop.norms.schema import NormError, parse_norm_set
from etm_desktop.paths import data_dir


def default_norms_file() -> Path:
    return data_dir() / "norms.toml"


def deep_merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` laid over it, tables merged key by key."""
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def load_norm_documents(path: Path | None = None) -> list[dict[str, Any]]:
    """The complete (merged) documents of every set in the file, oldest first.

    Every document is validated; an error names the set and the key.
    """
    path = path or default_norms_file()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise NormError(f"Нормы: не удалось прочитать {path}: {exc}") from exc
    sets = raw.get("norm_set")
    if not isinstance(sets, list) or not sets:
        raise NormError(f"Нормы: в {path} нет ни одного [[norm_set]]")
    ordered = sorted(sets, key=lambda s: s.get("effective_from", date.min))
    documents: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    for entry in ordered:
        current = deep_merge(current, entry)
        for key in ("name", "note"):
            current[key] = entry.get(key, "")
        current["effective_from"] = entry.get("effective_from")
        parse_norm_set(current)  # validates; raises NormError naming the place
        documents.append(copy.deepcopy(current))
    return documents
