"""The administrator's config file beside the executable (``etm-desktop.ini``)."""

from __future__ import annotations

import configparser
import logging
import sys
from pathlib import Path

CONFIG_NAME = "etm-desktop.ini"

log = logging.getLogger(__name__)


def executable_dir() -> Path:
    """The folder of the program: the frozen executable's, else the source tree's root."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    from etm_desktop.paths import install_root

    return install_root()


def config_path() -> Path:
    """Where the administrator's config file is looked for."""
    return executable_dir() / CONFIG_NAME


def _resolve(value: str, base: Path) -> str:
    """A URL as it is; a relative SQLite path taken from the config file's folder."""
    if "://" in value:
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else base / path)


def configured_database(path: Path | None = None) -> str | None:
    """``[database] url`` of the config file, or None (no file, no key, or an unreadable file)."""
    path = path or config_path()
    if not path.is_file():
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8-sig")
    except (configparser.Error, OSError, UnicodeDecodeError) as error:
        log.warning("Файл настроек %s не прочитан: %s", path, error)
        return None
    value = parser.get("database", "url", fallback="").strip()
    return _resolve(value, path.parent) if value else None


#: How many automatic backups of a SQLite database are kept (``[backup] keep`` overrides it).
DEFAULT_BACKUPS_KEPT = 10


def backups_kept(path: Path | None = None) -> int:
    """``[backup] keep`` of the config file (at least 1), else :data:`DEFAULT_BACKUPS_KEPT`."""
    path = path or config_path()
    if not path.is_file():
        return DEFAULT_BACKUPS_KEPT
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8-sig")
        value = parser.getint("backup", "keep", fallback=DEFAULT_BACKUPS_KEPT)
    except (configparser.Error, OSError, UnicodeDecodeError, ValueError) as error:
        log.warning("Настройка [backup] keep в %s не прочитана: %s", path, error)
        return DEFAULT_BACKUPS_KEPT
    return max(1, value)
