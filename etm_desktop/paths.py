"""Where the program finds its shipped files and the user's database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "ETM Desktop"
DB_ENV_VAR = "ETM_DESKTOP_DB"


def install_root() -> Path:
    """The folder holding ``data/`` and ``resources/`` (source tree or frozen build)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return install_root() / "data"


def resources_dir() -> Path:
    return install_root() / "resources"


def user_data_dir() -> Path:
    from platformdirs import user_data_dir as _user_data_dir

    return Path(_user_data_dir(APP_NAME, appauthor=False))


def user_log_dir() -> Path:
    """The folder of the program's rotating log file."""
    from platformdirs import user_log_dir as _user_log_dir

    return Path(_user_log_dir(APP_NAME, appauthor=False))


def database_source(explicit: str | None = None, user_setting=None) -> tuple[str, str]:
    """(database, where it came from): ``--db``, ``$ETM_DESKTOP_DB``, the config file beside the
    executable, the user's setting (``user_setting()``, read only when reached), the per-user default."""
    if explicit:
        return explicit, "option"
    env = os.environ.get(DB_ENV_VAR)
    if env:
        return env, "environment"
    from etm_desktop.config import configured_database

    configured = configured_database()
    if configured:
        return configured, "config"
    chosen = user_setting() if user_setting is not None else None
    if chosen:
        return chosen, "user"
    return str(user_data_dir() / "etm-desktop.sqlite"), "default"


def default_database(user_setting=None) -> str:
    """The database to open when ``--db`` is not given (see :func:`database_source`)."""
    return database_source(None, user_setting)[0]
